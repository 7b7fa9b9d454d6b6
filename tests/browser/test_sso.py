"""Institutional sign-in in the browser: Mentora's login page, the provider's page, back signed in."""

import pytest

from tests.factories import UserFactory

from .conftest import screenshot, visit


def forgive_provider_page(checker, oidc_server, expected_status: str | None = None):
    """The mock provider's own page loads a stylesheet from the internet (unreachable here); that
    page is the institution's, not ours, so its console errors are dropped. A refusal is answered
    with 403 on purpose, which Chromium also reports on the console."""
    checker.problems = [
        p for p in checker.problems
        if not p.startswith(f"console error on {oidc_server}/")
        and not (expected_status and f"status of {expected_status}" in p)
    ]


@pytest.mark.django_db(transaction=True)
def test_oidc_login_end_to_end_links_by_verified_email(checked_page, live_server, riverside_sign_on,
                                                      set_identity, oidc_server):
    page, checker = checked_page
    UserFactory(email="amara.okafor@riverside.edu", full_name="Amara Okafor")
    set_identity("amara", email="amara.okafor@riverside.edu", email_verified=True, name="Amara Okafor")

    visit(checked_page, f"{live_server.url}/accounts/login/")
    screenshot(page, "sso-login-page")
    page.get_by_role("link", name="Riverside Health Sciences").click()
    checker.check()  # Mentora's confirmation page
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{oidc_server}/**")  # the institution's provider (not ours: not checked by axe)
    page.get_by_placeholder("sub").fill("amara")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")
    checker.check()
    forgive_provider_page(checker, oidc_server)
    assert page.get_by_text("Amara Okafor").first.is_visible()
    screenshot(page, "sso-signed-in")


@pytest.mark.django_db(transaction=True)
def test_oidc_login_with_unverified_email_is_refused(checked_page, live_server, riverside_sign_on,
                                                     set_identity, oidc_server):
    page, checker = checked_page
    UserFactory(email="target@riverside.edu")
    set_identity("mallory", email="target@riverside.edu", email_verified=False)
    visit(checked_page, f"{live_server.url}/accounts/oidc/riverside/login/")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{oidc_server}/**")
    page.get_by_placeholder("sub").fill("mallory")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/accounts/oidc/riverside/login/callback/**")
    checker.check()
    forgive_provider_page(checker, oidc_server, expected_status="403")
    assert page.get_by_role("heading", name="We could not sign you in through Riverside Health Sciences").is_visible()
    screenshot(page, "sso-refused")
