"""The account menu opens from the header on a desktop and a phone; the profile's time zone is taken
from the device's clock (a static script: no inline script under the CSP) and saved from the select."""

import pytest

from mentora.profiles.models import Profile
from tests.factories import PASSWORD, UserFactory

from .conftest import PageChecker, log_in, screenshot, visit


@pytest.fixture
def kolkata_page(browser, axe, live_server):
    context = browser.new_context(timezone_id="Asia/Kolkata")
    page = context.new_page()
    page.set_default_timeout(15000)
    checker = PageChecker(page, axe)
    yield page, checker
    checker.assert_clean()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_account_menu_and_time_zone_from_the_browser(kolkata_page, live_server):
    user = UserFactory(full_name="Amara Okafor")
    page, checker = kolkata_page
    base = live_server.url
    log_in(kolkata_page, base, user.email, PASSWORD, through_form=True)

    menu = page.locator(".account-menu")
    assert not page.get_by_role("link", name="Two-factor authentication").is_visible()
    menu.locator("summary").click()
    for label in ("My profile", "Email addresses", "Password", "Two-factor authentication", "Notification choices",
                  "Privacy", "API tokens", "Your data"):
        assert menu.get_by_role("link", name=label).is_visible(), label
    assert menu.get_by_role("button", name="Sign out").is_visible()
    checker.check()
    screenshot(page, "account-menu")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "account-menu-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    menu.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_text("Verify your email address first").wait_for()
    checker.check()
    screenshot(page, "account-two-factor-verify-first")

    visit(kolkata_page, f"{base}/people/me/edit/")
    select = page.get_by_label("Time zone")
    zone = select.input_value()
    assert zone in ("Asia/Kolkata", "Asia/Calcutta")  # Chromium's ICU may name it by the older alias
    assert page.get_by_text(f"Set to {zone} from this device's clock").is_visible()
    screenshot(page, "profile-time-zone-from-browser")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "profile-time-zone-from-browser-390")
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_load_state("load")
    checker.check()
    assert Profile.objects.get(user=user).time_zone == zone

    # A zone chosen on purpose is kept: the device's clock no longer overrides it.
    Profile.objects.filter(user=user).update(time_zone="Europe/Paris")
    visit(kolkata_page, f"{base}/people/me/edit/")
    assert page.get_by_label("Time zone").input_value() == "Europe/Paris"
