"""Mentor cards, profile photos and first steps in a browser, on a laptop (1280 px) and a phone (390 px):
photos load, initials show where there is none, nothing scrolls sideways, axe is clean; screenshots
are saved under test-artifacts/screenshots/."""

import pytest
from django.contrib.auth import get_user_model

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Photos load lazily (below the fold only when scrolled to): load each now and tell whether it decoded.
LOADED_PHOTOS = """() => Promise.all([...document.querySelectorAll('img[data-avatar="photo"]')].map((img) => {
  img.loading = "eager";
  return img.decode().then(() => img.naturalWidth > 0, () => false);
}))"""


def _fits(page, where: str) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where


@pytest.mark.django_db(transaction=True)
def test_cards_photos_and_first_steps_at_both_widths(checked_page, live_server, demo_network):
    page, checker = checked_page
    page.set_default_timeout(60000)
    page.set_default_navigation_timeout(60000)
    base = live_server.url
    mentor = get_user_model().objects.get(email=DEMO_LOGINS["mentor"])
    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    pages = {"directory": "/find/", "recommended": "/find/recommended/", "home": "/",
             "mentor-profile": f"/people/{mentor.pk}/", "profile-edit": "/people/me/edit/"}
    for size_name, size in (("1280", WIDE), ("390", PHONE)):
        page.set_viewport_size(size)
        for name, path in pages.items():
            visit(checked_page, f"{base}{path}")
            page.wait_for_load_state("networkidle")
            _fits(page, f"{name} at {size_name}")
            loaded = page.evaluate(LOADED_PHOTOS)
            assert all(loaded), f"{name}: a photo did not load"
            if name in ("directory", "recommended"):
                cards = page.get_by_test_id("mentor-card")
                assert cards.count() >= 2
                assert loaded, f"{name}: no photo on any card"
                assert page.locator('[data-testid="mentor-card"] svg[data-avatar="initials"]').count() >= 1
            if name == "recommended":
                assert page.locator(".mentor-reasons .points").count() >= 1
            if name == "mentor-profile":
                assert page.locator('.profile-avatar img[data-avatar="photo"]').count() == 1
            if name == "profile-edit":
                assert page.get_by_test_id("completeness").is_visible()
            screenshot(page, f"cards-{name}-{size_name}")
    checker.assert_clean()
