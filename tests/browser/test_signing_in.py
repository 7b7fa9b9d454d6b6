"""Signing in as a visitor sees it: invitation-only pages, and a sign-up that reveals no account."""

import pytest
from django.test import override_settings

from tests.factories import UserFactory

from .conftest import screenshot, visit


@pytest.mark.django_db(transaction=True)
@override_settings(MENTORA_ALLOW_SIGNUPS=False)
def test_invitation_only_pages_offer_no_sign_up(checked_page, live_server):
    page, _checker = checked_page
    visit(checked_page, f"{live_server.url}/")
    assert page.get_by_role("link", name="Create an account").count() == 0
    assert page.get_by_text("Accounts are by invitation").is_visible()
    visit(checked_page, f"{live_server.url}/accounts/login/")
    screenshot(page, "login-invitation-only")
    assert page.get_by_role("link", name="sign up").count() == 0
    assert page.get_by_text("Accounts are by invitation").is_visible()


@pytest.mark.django_db(transaction=True)
@override_settings(MENTORA_ALLOW_SIGNUPS=True, MENTORA_SIGNUP_DOMAINS=[])
def test_signing_up_with_a_taken_address_looks_like_any_sign_up(checked_page, live_server):
    page, _checker = checked_page
    UserFactory(email="amara.okafor@riverside.edu")
    visit(checked_page, f"{live_server.url}/accounts/signup/")
    page.locator('input[name="email"]').fill("amara.okafor@riverside.edu")
    page.locator('input[name="password1"]').fill("a-long-new-passphrase-42")
    page.locator('input[name="password2"]').fill("a-long-new-passphrase-42")
    page.locator('form button[type="submit"]').last.click()
    page.wait_for_url("**/accounts/confirm-email/")
    screenshot(page, "signup-check-your-email")
    assert "already" not in page.content().lower()
