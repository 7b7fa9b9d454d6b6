import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit

HEADINGS = {
    "mentee": "My mentoring team",
    "mentor": "My mentees",
    "coordinator": "My programs",
    "network": "My networks",
    "admin": "Site",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_each_demo_role_logs_in_and_sees_its_dashboard(checked_page, live_server, demo_network, role):
    page, checker = checked_page
    log_in(checked_page, live_server.url, DEMO_LOGINS[role])
    assert page.get_by_role("heading", name=HEADINGS[role], exact=True).is_visible()
    screenshot(page, f"dashboard-{role}")
    visit(checked_page, f"{live_server.url}/people/me/")
    assert page.get_by_role("heading", level=1).is_visible()


@pytest.mark.django_db(transaction=True)
def test_landing_and_help_are_accessible(checked_page, live_server):
    page, _checker = checked_page
    visit(checked_page, live_server.url + "/")
    screenshot(page, "landing")
    visit(checked_page, live_server.url + "/help/")
    assert page.get_by_role("heading", name="Glossary", exact=True).is_visible()


@pytest.mark.django_db(transaction=True)
def test_keyboard_user_can_skip_to_content(checked_page, live_server):
    page, _checker = checked_page
    visit(checked_page, live_server.url + "/help/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
