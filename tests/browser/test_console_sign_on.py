"""A site admin sets up an institution's OpenID Connect sign-on in the console and tests it against
the local provider: the attributes that came back are shown, and the admin is still themself."""

import pytest

from tests.factories import PASSWORD, InstitutionFactory, UserFactory

from .conftest import log_in, screenshot, visit
from .test_sso import forgive_provider_page


@pytest.mark.django_db(transaction=True)
def test_admin_sets_up_oidc_and_tests_the_sign_on(checked_page, live_server, oidc_server, set_identity):
    page, checker = checked_page
    UserFactory(email="admin@example.org", full_name="Site Admin", is_superuser=True, is_staff=True)
    institution = InstitutionFactory(name="Riverside Health Sciences", slug="riverside")
    set_identity("amara", email="amara.okafor@riverside.edu", email_verified=True, name="Amara Okafor")

    log_in(checked_page, live_server.url, "admin@example.org", PASSWORD)
    visit(checked_page, f"{live_server.url}/console/sign-on/")
    row = page.get_by_role("row", name=institution.name)
    row.get_by_role("link", name="Set up OpenID Connect").click()
    checker.check()
    page.get_by_label("Issuer URL").fill(oidc_server)
    page.get_by_label("Client id").fill("mentora-console")
    page.get_by_label("Client secret").fill("s3cret")
    page.get_by_label("Email domains the institution vouches for").fill("riverside.edu")
    screenshot(page, "console-oidc-form")
    page.get_by_role("button", name="Save").click()
    checker.check()
    assert page.get_by_text("OpenID Connect sign-on is saved").is_visible()

    page.get_by_role("link", name="OpenID Connect").click()
    checker.check()
    page.get_by_role("button", name="Test sign-on").click()
    page.wait_for_url(f"{oidc_server}/**")  # the institution's provider (not ours: not checked by axe)
    page.get_by_placeholder("sub").fill("amara")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/console/sign-on/{institution.pk}/test/result/")
    checker.check()
    forgive_provider_page(checker, oidc_server)
    assert page.get_by_text("amara.okafor@riverside.edu").first.is_visible()
    assert page.get_by_text("create an account for amara.okafor@riverside.edu").is_visible()
    assert page.get_by_role("cell", name="Amara Okafor").first.is_visible() or page.get_by_text(
        "Amara Okafor").first.is_visible()
    screenshot(page, "console-test-sign-on-result")
    # still themself: nobody else was signed in
    assert "Site Admin" in page.locator(".account-menu summary").inner_text()
