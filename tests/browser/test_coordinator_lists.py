"""Browser journey: a coordinator works through the lists of the demo program (compliance with a nudge
across pages, rollover exceptions, people), the import history and a waiting import's value mapping, the
survey editor and the program's emails, at desktop and phone widths, each page checked by axe."""

import pytest

from mentora.notifications.models import Notification
from mentora.programs.models import Program

from .conftest import log_in, screenshot, visit

WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def _both_widths(page, name):
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(WIDTHS["1280"])


@pytest.mark.django_db(transaction=True)
def test_coordinator_lists_imports_survey_and_emails(checked_page, live_server, demo_network):
    page, checker = checked_page
    program = Program.objects.get(pk=demo_network.demo_program.pk)
    base = live_server.url
    log_in(checked_page, base, "coordinator@example.org")

    visit(checked_page, f"{base}/ilps/compliance/?program={program.pk}")
    page.get_by_role("checkbox").first.check()
    _both_widths(page, "compliance-list")
    if page.get_by_role("button", name="Next page").count():
        page.get_by_role("button", name="Next page").click()
        checker.check()
        assert page.get_by_test_id("selected-count").inner_text() == "1 selected"
    page.get_by_role("checkbox").first.check()
    page.get_by_label("The mentees and their mentors").check()
    page.get_by_role("button", name="Send a reminder").click()
    checker.check()
    assert page.get_by_text("Reminded").is_visible()
    assert Notification.objects.filter(key__startswith=f"ilp-nudge-{program.pk}").exists()

    visit(checked_page, f"{base}/rollover/programs/{program.slug}/")
    page.get_by_role("checkbox").first.check()
    page.get_by_label("What happens to them").select_option("repeat")
    page.get_by_role("button", name="Apply to the selected people").click()
    checker.check()
    assert page.get_by_text("Repeats the year").first.is_visible()
    page.get_by_role("button", name="Confirm rollover").click()
    checker.check()
    assert page.locator("#confirm-error").is_visible()
    # the unconfirmed form answers 422 on purpose (the browser logs it): nothing else may be logged
    checker.problems = [p for p in checker.problems if "status of 422" not in p]
    _both_widths(page, "rollover-preview-list")

    visit(checked_page, f"{base}/programs/{program.pk}/people/?sort=-level")
    _both_widths(page, "program-people-list")

    visit(checked_page, f"{base}/data/import/history/")
    _both_widths(page, "import-history")
    page.get_by_role("link", name="off-cycle-starters.csv").click()
    checker.check()
    _both_widths(page, "import-preview-values")
    page.get_by_label("“Cardiac Surgery” (1 row)").select_option("general_surgery")
    page.get_by_role("button", name="Apply the values").click()
    checker.check()
    assert page.get_by_role("button", name="Import 3 rows").is_visible()

    visit(checked_page, f"{base}/mentoring/programs/{program.pk}/survey/")
    _both_widths(page, "survey-editor")
    visit(checked_page, f"{base}/mentoring/programs/{program.pk}/feedback/")
    _both_widths(page, "feedback-response-rates")

    visit(checked_page, f"{base}/notifications/programs/{program.pk}/emails/")
    _both_widths(page, "program-emails")
    page.get_by_role("link", name="Nudge").click()
    checker.check()
    page.get_by_role("button", name="Preview").click()
    checker.check()
    assert page.get_by_test_id("email-preview").is_visible()
    _both_widths(page, "program-email-nudge-preview")
