"""Institutional sign-in end to end through the Django test client and a real local OIDC provider."""

from urllib.parse import urlsplit

import httpx
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from mentora.notifications.models import Notification
from mentora.sso.selectors import identity_provider_origins
from mentora.sso.services import institution_sign_on_configure
from tests.factories import InstitutionFactory, UserFactory

User = get_user_model()


def sign_in(client, sub: str, provider_id: str = "riverside"):
    """Start at Mentora, authorise at the provider as `sub`, come back to the callback."""
    start = client.post(f"/accounts/oidc/{provider_id}/login/")
    assert start.status_code == 302, start.content[:500]
    authorize_url = start["Location"]
    answer = httpx.post(authorize_url, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["location"])
    return client.get(f"{callback.path}?{callback.query}")


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.mark.django_db(transaction=True)
def test_verified_email_links_the_existing_account(client, riverside_sign_on, set_identity):
    person = UserFactory(email="amara.okafor@riverside.edu", full_name="Amara Okafor")
    set_identity("sub-amara", email="amara.okafor@riverside.edu", email_verified=True, name="Amara Okafor")

    response = sign_in(client, "sub-amara")

    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user(client) == person
    account = SocialAccount.objects.get(user=person)
    assert (account.provider, account.uid) == ("riverside", "sub-amara")
    assert User.objects.filter(email="amara.okafor@riverside.edu").count() == 1
    # The link is confirmed to the person in the app and by email.
    notice = Notification.objects.get(user=person, kind="privacy")
    assert "Riverside Health Sciences" in notice.title
    assert any(m.to == ["amara.okafor@riverside.edu"] and "linked" in m.subject for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_second_sign_in_uses_the_link_not_the_email(client, riverside_sign_on, set_identity):
    person = UserFactory(email="li.wei@riverside.edu")
    set_identity("sub-li", email="li.wei@riverside.edu", email_verified=True)
    sign_in(client, "sub-li")
    client.logout()
    # The provider now sends a changed address: the subject still identifies the linked person.
    set_identity("sub-li", email="wei.li@riverside.edu", email_verified=True)
    sign_in(client, "sub-li")
    assert logged_in_user(client) == person
    assert SocialAccount.objects.filter(user=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_unverified_email_is_refused_and_nothing_is_linked(client, riverside_sign_on, set_identity):
    person = UserFactory(email="target@riverside.edu")
    set_identity("sub-attacker", email="target@riverside.edu", email_verified=False)

    response = sign_in(client, "sub-attacker")

    assert response.status_code == 403
    assert b"did not confirm" in response.content
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    person.refresh_from_db()
    assert person.has_usable_password()  # the account was not touched


@pytest.mark.django_db(transaction=True)
def test_missing_email_verified_claim_counts_as_unverified(client, riverside_sign_on, set_identity):
    set_identity("sub-new", email="new.resident@riverside.edu")
    response = sign_in(client, "sub-new")
    assert response.status_code == 403
    assert not User.objects.filter(email="new.resident@riverside.edu").exists()


@pytest.mark.django_db(transaction=True)
def test_verified_new_person_gets_an_account_with_a_verified_address(client, riverside_sign_on, set_identity):
    set_identity("sub-new", email="new.resident@riverside.edu", email_verified=True, name="Nadia Haddad")
    response = sign_in(client, "sub-new")
    assert response.status_code == 302
    user = logged_in_user(client)
    assert user.email == "new.resident@riverside.edu" and user.full_name == "Nadia Haddad"
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db(transaction=True)
def test_signup_closed_for_the_institution_creates_no_account(client, riverside_sign_on, set_identity):
    riverside_sign_on.allow_signup = False
    riverside_sign_on.save()
    set_identity("sub-new", email="new.resident@riverside.edu", email_verified=True)
    sign_in(client, "sub-new")
    assert logged_in_user(client) is None
    assert not User.objects.filter(email="new.resident@riverside.edu").exists()


@pytest.mark.django_db(transaction=True)
def test_address_outside_the_institutions_domains_is_refused(client, riverside_sign_on, set_identity):
    UserFactory(email="someone@gmail.com")
    set_identity("sub-x", email="someone@gmail.com", email_verified=True)
    response = sign_in(client, "sub-x")
    assert response.status_code == 403 and b"riverside.edu" in response.content
    assert logged_in_user(client) is None


@pytest.mark.django_db(transaction=True)
def test_sign_on_switched_off_midway_refuses(client, riverside_sign_on, set_identity):
    set_identity("sub-a", email="a@riverside.edu", email_verified=True)
    start = client.post("/accounts/oidc/riverside/login/")
    riverside_sign_on.is_enabled = False
    riverside_sign_on.save()
    callback = urlsplit(httpx.post(start["Location"], data={"sub": "sub-a"}).headers["location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code in {403, 404}
    assert logged_in_user(client) is None


@pytest.mark.django_db
def test_sign_on_switched_off_is_not_listed_nor_startable(client, riverside_sign_on):
    riverside_sign_on.is_enabled = False
    riverside_sign_on.save()
    assert b"Riverside Health Sciences" not in client.get("/accounts/login/").content
    assert client.post("/accounts/oidc/riverside/login/").status_code == 404


@pytest.mark.django_db
def test_login_page_lists_the_institution_and_allows_its_origin_in_form_action(client, riverside_sign_on,
                                                                               oidc_server):
    response = client.get("/accounts/login/")
    assert b"Riverside Health Sciences" in response.content
    assert oidc_server in response["Content-Security-Policy"].split("form-action")[1].split(";")[0]
    assert identity_provider_origins() == [oidc_server]
    # Pages outside /accounts/ keep the strict policy.
    assert oidc_server not in client.get("/help/")["Content-Security-Policy"]


@pytest.mark.django_db
def test_configure_validates_and_updates_in_place(oidc_server):
    institution = InstitutionFactory(slug="lakeside")
    with pytest.raises(ValidationError):
        institution_sign_on_configure(institution=institution, server_url="not a url", client_id="c", secret="s")
    with pytest.raises(ValidationError):
        institution_sign_on_configure(institution=institution, server_url=oidc_server, client_id="c", secret="s",
                                      email_domains=["not a domain"])
    first = institution_sign_on_configure(institution=institution, server_url=oidc_server, client_id="c",
                                          secret="s", email_domains=["@Lakeside.org"])
    second = institution_sign_on_configure(institution=institution, server_url=oidc_server + "/", client_id="c2",
                                           secret="s2")
    assert first.pk == second.pk and first.app_id == second.app_id
    second.app.refresh_from_db()
    assert second.app.client_id == "c2" and second.app.provider_id == "lakeside"
    assert first.email_domains == ["lakeside.org"]
    assert second.email_domains == ["lakeside.org"]  # an update that leaves the domains out keeps them


# --- a sign-on never takes over a staff account, and always needs its domain list ------------------


def _staff_people():
    from tests.factories import MembershipFactory, NetworkFactory

    coordinator = MembershipFactory(role="coordinator", training_level="",
                                    user__email="coordinator@riverside.edu").user
    network_coordinator = UserFactory(email="network.lead@riverside.edu")
    NetworkFactory().coordinators.add(network_coordinator)
    return {
        "superuser": UserFactory(email="root@riverside.edu", is_superuser=True, is_staff=True),
        "staff": UserFactory(email="helpdesk@riverside.edu", is_staff=True),
        "coordinator": coordinator,
        "network_coordinator": network_coordinator,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["superuser", "staff", "coordinator", "network_coordinator"])
def test_verified_email_of_a_staff_account_is_never_linked_by_itself(client, riverside_sign_on, set_identity,
                                                                   role):
    person = _staff_people()[role]
    set_identity(f"sub-{role}", email=person.email, email_verified=True)

    response = sign_in(client, f"sub-{role}")

    assert response.status_code == 403
    assert b"Third-party accounts" in response.content  # it says how the person links it themself
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    person.refresh_from_db()
    assert person.has_usable_password()


@pytest.mark.django_db(transaction=True)
def test_a_staff_person_links_their_institution_after_logging_in_with_their_password(
        client, riverside_sign_on, set_identity):
    from tests.factories import PASSWORD

    person = _staff_people()["coordinator"]
    set_identity("sub-coordinator", email=person.email, email_verified=True)
    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert logged_in_user(client) == person

    start = client.post("/accounts/oidc/riverside/login/", {"process": "connect"})
    answer = httpx.post(start["Location"], data={"sub": "sub-coordinator"})
    callback = urlsplit(answer.headers["location"])
    confirm = client.get(f"{callback.path}?{callback.query}")
    # Linking asks for the password again (or the authenticator code), then completes.
    assert confirm.status_code == 302 and confirm["Location"].startswith("/accounts/reauthenticate/")
    assert not SocialAccount.objects.exists()
    client.post(confirm["Location"], {"password": PASSWORD})
    assert SocialAccount.objects.get(user=person).uid == "sub-coordinator"

    client.logout()
    sign_in(client, "sub-coordinator")  # from now on the link signs them in
    assert logged_in_user(client) == person


@pytest.mark.django_db
def test_a_sign_on_needs_its_email_domains():
    from mentora.sso.models import InstitutionSignOn

    institution = InstitutionFactory(slug="lakeside")
    with pytest.raises(ValidationError) as error:
        institution_sign_on_configure(institution=institution, server_url="https://login.lakeside.org",
                                      client_id="c", secret="s", email_domains=[])
    assert "email_domains" in error.value.message_dict
    assert not InstitutionSignOn.objects.exists()
    sign_on = institution_sign_on_configure(institution=institution, server_url="https://login.lakeside.org",
                                            client_id="c", secret="s", email_domains=["lakeside.org"])
    sign_on.email_domains = []
    with pytest.raises(ValidationError):
        sign_on.full_clean()  # the admin form validates the same way
    sign_on.email_domains = ["lakeside.org", "not a domain"]
    with pytest.raises(ValidationError):
        sign_on.full_clean()


@pytest.mark.django_db(transaction=True)
def test_a_sign_on_whose_domain_list_is_empty_signs_nobody_in(client, riverside_sign_on, set_identity):
    from mentora.sso.models import InstitutionSignOn

    UserFactory(email="someone@anywhere.example")
    set_identity("sub-any", email="someone@anywhere.example", email_verified=True)
    start = client.post("/accounts/oidc/riverside/login/")
    # the list is emptied while the person is at the provider (a database edited by hand)
    InstitutionSignOn.objects.filter(pk=riverside_sign_on.pk).update(email_domains=[])
    callback = urlsplit(httpx.post(start["Location"], data={"sub": "sub-any"}).headers["location"])
    assert client.get(f"{callback.path}?{callback.query}").status_code in {403, 404}
    assert client.post("/accounts/oidc/riverside/login/").status_code == 404
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert b"Riverside Health Sciences" not in client.get("/accounts/login/").content
