"""Each role's weekly pages on a laptop (1280 px) and a phone (390 px): no sideways scrolling, the main
navigation reachable (visible, or opened by the menu button at the bottom of a phone's screen, by mouse and
keyboard), axe clean at both widths, a screenshot of each under test-artifacts/. One browser page per role,
reused for all of its pages."""

import pytest
from django.contrib.auth import get_user_model

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _pages(role: str) -> dict[str, str]:
    from mentora.ilps.models import LearningPlan
    from mentora.programs.models import Membership
    from mentora.relationships.models import Relationship

    users = get_user_model().objects
    mentee = users.get(email=DEMO_LOGINS["mentee"])
    mentor = users.get(email=DEMO_LOGINS["mentor"])
    relationship = Relationship.objects.filter(mentee=mentee, mentor=mentor).first()
    plan = LearningPlan.objects.filter(mentee=mentee).order_by("-academic_year").first()
    mentored_plan = LearningPlan.objects.filter(mentee__relationships_as_mentee__mentor=mentor).exclude(
        mentee=mentee).first()
    program_id = Membership.objects.filter(user__email=DEMO_LOGINS["coordinator"]).values_list(
        "program_id", flat=True).first()
    pages = {
        "mentee": {
            "home": "/", "directory": "/find/", "recommendations": "/find/recommended/",
            "ilp": f"/ilps/{plan.pk}/", "goal-form": f"/ilps/{plan.pk}/goals/new/",
            "relationship": f"/mentoring/relationships/{relationship.pk}/", "milestones": "/milestones/",
        },
        "mentor": {
            "home": "/", "mentees": "/mentoring/mentees/", "requests": "/find/requests/",
            "relationship": f"/mentoring/relationships/{relationship.pk}/",
            "ilp": f"/ilps/{(mentored_plan or plan).pk}/",
        },
        "coordinator": {
            "home": "/", "dashboard": "/insights/", "ilps": "/ilps/", "scholarly": "/scholarly/",
            "people": f"/programs/{program_id}/people/", "batch-match": "/match/",
        },
        "network": {"home": "/", "dashboard": "/insights/network/", "directory": "/find/", "referrals": "/find/referrals/",
                    "requests": "/find/requests/"},
        "admin": {"home": "/", "dashboard": "/insights/", "background": "/background/", "style": "/help/style/"},
    }
    return pages[role]


WIDE_ELEMENTS = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !e.parentElement.closest(".table-wrap, .board-scroll, pre") || getComputedStyle(e).position === "absolute")
  .slice(-4).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${Math.round(e.getBoundingClientRect().right)}px`)"""


def _no_sideways_scroll(page, where: str) -> None:
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{where}: the page is {scroll_width} px wide in a {width} px window: {page.evaluate(WIDE_ELEMENTS)}")


def _navigation_reachable_wide(page, where: str) -> None:
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    assert 1 <= links.count() <= 6, where
    for index in range(links.count()):
        assert links.nth(index).is_visible(), f"{where}: {links.nth(index).inner_text()} hidden"
    assert not nav.get_by_role("button", name="Menu").is_visible(), where


def _navigation_reachable_on_a_phone(page, where: str) -> None:
    nav = page.get_by_role("navigation", name="Main")
    button = nav.get_by_role("button", name="Menu")
    first = nav.get_by_role("link").first
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false", where
    assert not first.is_visible(), where
    # Within a thumb's reach: the button sits at the bottom of the screen.
    box = button.bounding_box()
    assert box["y"] + box["height"] >= page.viewport_size["height"] - 2, f"{where}: menu button at {box}"
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and first.is_visible(), where
    assert page.evaluate("document.activeElement.closest('#primary-nav') !== null"), where
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not first.is_visible(), where
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')"), where
    page.keyboard.press("Enter")  # the keyboard opens it too
    assert button.get_attribute("aria-expanded") == "true" and first.is_visible(), where
    page.keyboard.press("Escape")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_each_role_s_pages_fit_a_laptop_and_a_phone(checked_page, live_server, demo_network, role):
    page, checker = checked_page
    page.set_default_timeout(60000)  # a busy machine renders slowly; the assertions stay strict
    page.set_default_navigation_timeout(60000)
    page.set_viewport_size(WIDE)
    log_in(checked_page, live_server.url, DEMO_LOGINS[role])
    for name, url in _pages(role).items():
        where = f"{role} {name} ({url})"
        page.set_viewport_size(WIDE)
        response = page.goto(live_server.url + url)
        assert response.ok, where
        checker.check()
        screenshot(page, f"look-{role}-{name}-1280")
        _no_sideways_scroll(page, f"{where} at 1280")
        _navigation_reachable_wide(page, where)
        page.set_viewport_size(PHONE)
        checker.check()
        # What a phone shows first, with the menu bar at the bottom (the full page is measured below).
        screenshot(page, f"look-{role}-{name}-390", full_page=False)
        _no_sideways_scroll(page, f"{where} at 390")
        _navigation_reachable_on_a_phone(page, where)
        if name == "directory":
            # The filters fold into a drawer: the result count and the first result show without scrolling.
            count = page.get_by_test_id("result-count")
            assert count.bounding_box()["y"] < PHONE["height"] - 60, where
            first = page.locator(".mentor-row").first
            assert first.bounding_box()["y"] < PHONE["height"] - 60, where
            assert not page.get_by_label("Specialty").is_visible()
            page.get_by_text("More filters").click()
            assert page.get_by_label("Specialty").is_visible()
    if role == "mentee":
        _pages_never_come_from_the_service_worker(page, live_server.url)
    checker.assert_clean()


def _pages_never_come_from_the_service_worker(page, base: str) -> None:
    """Once the service worker controls the page, the stylesheet comes from its cache but the page itself
    (personal) still comes from the server."""
    page.set_viewport_size(WIDE)
    assert page.evaluate("navigator.serviceWorker.ready.then((registration) => !!registration.active)")
    responses = []
    page.on("response", lambda response: responses.append(response))
    response = page.goto(f"{base}/")
    assert page.evaluate("!!navigator.serviceWorker.controller")
    assert response.ok and not response.from_service_worker
    stylesheet = [r for r in responses if r.url.endswith("/static/mentora/mentora.css")]
    assert stylesheet and stylesheet[0].from_service_worker
