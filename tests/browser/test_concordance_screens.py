"""The consent screens say in plain words what a mentee's recommendations may use (issue 13, item 2)."""

import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit


@pytest.mark.django_db(transaction=True)
def test_consent_screens_explain_what_matching_uses(checked_page, live_server, demo_network):
    page, checker = checked_page
    log_in(checked_page, live_server.url, DEMO_LOGINS["mentee"])
    visit(checked_page, f"{live_server.url}/people/me/privacy/")
    rule = page.get_by_test_id("concordance-rule")
    assert rule.get_by_text("never moves you up or down in a mentee's recommendations").is_visible()
    assert rule.get_by_text("only program staff see that preview").is_visible()
    choices = page.locator("select[name=race_ethnicity_visibility] option").all_text_contents()
    assert any("never used in recommendations" in choice for choice in choices), choices
    page.get_by_label("I consent to Mentora storing these optional attributes").check()
    page.get_by_role("button", name="Save").click()
    checker.check()
    screenshot(page, "privacy-matching-rule")

    visit(checked_page, f"{live_server.url}/find/what-matters/")
    rule = page.get_by_test_id("concordance-rule")
    assert rule.get_by_text("Only what a mentor shows on their profile").is_visible()
    assert rule.get_by_text("never anyone's answer").is_visible()
    screenshot(page, "what-matters-concordance-rule")
