import pytest
from django.contrib.auth import get_user_model

User = get_user_model()


@pytest.mark.django_db
def test_email_is_the_login_and_is_normalised():
    user = User.objects.create_user("Ada.Lovelace@Example.ORG", "a-long-password-1")
    assert user.email == "ada.lovelace@example.org"
    assert user.check_password("a-long-password-1")
    assert user.display_name == "ada.lovelace@example.org"


@pytest.mark.django_db
def test_superuser():
    admin = User.objects.create_superuser("root@example.org", "a-long-password-1")
    assert admin.is_staff and admin.is_superuser


@pytest.mark.django_db
def test_login_page_logs_in_by_email(client):
    User.objects.create_user("resident@example.org", "a-long-password-1")
    response = client.post("/accounts/login/", {"login": "resident@example.org", "password": "a-long-password-1"})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated


@pytest.mark.django_db
def test_mfa_setup_is_available_to_every_user(client):
    user = User.objects.create_user("resident@example.org", "a-long-password-1")
    client.force_login(user)
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
    assert b"Authenticator" in response.content


@pytest.mark.django_db
def test_password_reset_sends_an_email(client, mailoutbox):
    User.objects.create_user("resident@example.org", "a-long-password-1")
    response = client.post("/accounts/password/reset/", {"email": "resident@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "resident@example.org" in mailoutbox[0].to


def test_the_dashboard_greets_by_name_not_by_title(client, db):
    from django.urls import reverse

    from tests.factories import UserFactory

    for full_name, greeting in (("Dr. Elena García", "Welcome, Elena"), ("Dr Amara Okafor", "Welcome, Amara"),
                                ("Prof. Dr. Li Wei", "Welcome, Li"), ("Priya Raman", "Welcome, Priya"),
                                ("Dr.", "Welcome, Dr.")):
        user = UserFactory(full_name=full_name)
        client.force_login(user)
        page = client.get(reverse("home:home")).content.decode()
        assert f"<h1>{greeting}</h1>" in page, (full_name, page[page.index("<h1>"):page.index("</h1>") + 5])
        assert "<title>Dashboard · Mentora</title>" in page
