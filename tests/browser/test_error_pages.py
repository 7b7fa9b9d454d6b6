"""Error pages in a real browser: the site's look, no CSP or accessibility problem, a way back."""

import pytest

from tests.factories import PASSWORD, UserFactory

from .conftest import log_in, screenshot

EXPECTED_STATUS = "the server responded with a status of"  # the page's own 403/404, which the browser logs


@pytest.mark.django_db(transaction=True)
def test_not_found_and_forbidden_pages_lead_back(checked_page, live_server):
    page, checker = checked_page
    UserFactory(email="error.pages@example.org", full_name="Error Pages")
    log_in(checked_page, live_server.url, "error.pages@example.org", PASSWORD)
    response = page.goto(f"{live_server.url}/find/no-such-page/")
    assert response.status == 404
    checker.check()
    screenshot(page, "error-404")
    assert page.get_by_role("heading", name="Page not found").is_visible()
    page.get_by_role("link", name="Go to your dashboard").click()
    page.wait_for_url(f"{live_server.url}/")
    # Batch matching is for coordinators: a mentee who reaches its address gets the styled refusal.
    response = page.goto(f"{live_server.url}/match/new/")
    assert response.status in (403, 404)
    checker.check()
    screenshot(page, f"error-{response.status}-batch-match")
    assert page.get_by_role("link", name="Help and glossary").first.is_visible()
    checker.problems = [p for p in checker.problems if EXPECTED_STATUS not in p]
