"""The account menu reaches every account setting; the two-factor page shows how to verify an email
address first, with a resend of the verification email."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import UserFactory

MENU = {
    "My profile": "profiles:profile_me", "Email addresses": "account_email", "Password": "account_change_password",
    "Two-factor authentication": "mfa_index", "Notification choices": "notifications:notification_preferences",
    "Privacy": "privacy:privacy_home", "API tokens": "tokens:api_tokens", "Your data": "dataio:export_page",
}


def _menu(html: str) -> str:
    match = re.search(r'<details class="account-menu">(.*?)</details>', html, re.S)
    assert match, "no account menu"
    return match.group(1)


@pytest.mark.django_db
def test_every_account_setting_is_in_the_menu_and_nowhere_else_in_the_header(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("home:home")).content.decode()
    menu = _menu(html)
    for label, name in MENU.items():
        assert f'<a href="{reverse(name)}">{label}</a>' in menu, label
    assert "Sign out" in menu and reverse("account_logout") in menu
    header = html[html.index("<header"):html.index("</header>")]
    outside = header.replace(menu, "")
    for name in ("account_email", "tokens:api_tokens", "dataio:export_page", "privacy:privacy_home",
                 "profiles:profile_me"):
        assert f'href="{reverse(name)}"' not in outside, name
    for name in MENU.values():  # every page of the menu opens
        assert client.get(reverse(name), follow=True).status_code == 200, name


@pytest.mark.django_db
def test_two_factor_with_an_unverified_email_shows_how_to_verify(client, mailoutbox):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Verify your email address first" in html and user.email in html
    assert 'name="action_send"' in html
    response = client.post(reverse("account_email"), {"email": user.email, "action_send": ""})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[user.email]]


@pytest.mark.django_db
def test_two_factor_with_a_verified_email_goes_straight_on(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Verify your email address first" not in html
