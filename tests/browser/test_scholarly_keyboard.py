"""The scholarly board scrolls sideways; a keyboard user must be able to reach and scroll it (axe:
scrollable-region-focusable), also when the board has no links to tab to (coordinators, network
coordinators and site admins see an empty personal board)."""

import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, visit


@pytest.mark.django_db(transaction=True)
def test_the_scholarly_board_is_reachable_by_keyboard_for_every_role(checked_page, live_server, demo_network):
    page, checker = checked_page
    page.set_viewport_size({"width": 390, "height": 844})
    for role in ("coordinator", "network", "admin", "mentee"):
        page.context.clear_cookies()
        log_in(checked_page, live_server.url, DEMO_LOGINS[role])
        visit(checked_page, f"{live_server.url}/scholarly/")
        assert not [problem for problem in checker.problems if "scrollable-region" in problem], checker.problems
        region = page.get_by_role("region", name="Projects by stage")
        assert region.get_attribute("tabindex") == "0", role
        region.focus()
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Projects by stage", role
        page.keyboard.press("ArrowRight")
    checker.assert_clean()
