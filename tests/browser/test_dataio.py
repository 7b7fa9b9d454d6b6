import urllib.error
import urllib.request

import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit


@pytest.mark.django_db(transaction=True)
def test_create_copy_and_revoke_a_token(checked_page, live_server, demo_network):
    page, checker = checked_page
    log_in(checked_page, live_server.url, DEMO_LOGINS["mentor"])
    visit(checked_page, f"{live_server.url}/account/tokens/")
    page.get_by_label("Name").fill("Research export")
    page.get_by_label("Download data exports").check()
    page.get_by_role("button", name="Create token").click()
    checker.check()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("mnt_")
    screenshot(page, "api-token-created")
    assert api_status(f"{live_server.url}/api/me", secret) == 200
    page.get_by_role("button", name="Revoke Research export").click()
    checker.check()
    assert page.get_by_text("revoked").first.is_visible()
    screenshot(page, "api-token-revoked")
    assert api_status(f"{live_server.url}/api/me", secret) == 401


def api_status(url: str, secret: str) -> int:
    """A request without the browser's cookies, so only the token can authenticate it."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
