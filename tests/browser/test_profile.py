import pytest

from mentora.core.demo import DEMO_LOGINS
from mentora.profiles.models import Profile, SensitiveAttributes

from .conftest import log_in, screenshot, visit


@pytest.mark.django_db(transaction=True)
def test_mentee_edits_profile_and_optional_attributes(checked_page, live_server, demo_network):
    page, checker = checked_page
    log_in(checked_page, live_server.url, DEMO_LOGINS["mentee"])
    visit(checked_page, f"{live_server.url}/people/me/edit/")
    screenshot(page, "profile-edit")
    page.get_by_label("Headline").fill("PGY-1 in internal medicine, aspiring cardiologist")
    page.get_by_label("Research interests").fill("heart failure outcomes; health equity")
    page.get_by_role("checkbox", name="Spanish").check()
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(f"{live_server.url}/people/*/")
    checker.check()
    assert page.get_by_text("Your profile is saved.").is_visible()
    assert page.get_by_text("aspiring cardiologist").is_visible()
    profile = Profile.objects.get(user__email=DEMO_LOGINS["mentee"])
    assert "es" in profile.languages

    visit(checked_page, f"{live_server.url}/people/me/privacy/")
    page.get_by_label("I consent to Mentora storing these optional attributes").uncheck()
    page.get_by_role("button", name="Save").click()
    checker.check()
    assert page.get_by_text("Consent withdrawn").is_visible()
    assert not SensitiveAttributes.objects.filter(user__email=DEMO_LOGINS["mentee"]).exists()
    screenshot(page, "privacy-consent-withdrawn")
