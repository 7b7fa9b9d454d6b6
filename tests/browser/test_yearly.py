"""Running a program year after year, in the browser: milestones, evaluating roles, portfolio,
privacy, and the coordinator's rollover, conflict and data policy pages."""

import datetime

import pytest

from mentora.programs.models import Program
from mentora.rollover.models import RelationshipRenewal

from .conftest import log_in, screenshot, visit


@pytest.mark.django_db(transaction=True)
def test_mentee_adds_a_milestone_and_sees_privacy(checked_page, live_server, demo_network):
    page, checker = checked_page
    log_in(checked_page, live_server.url, "mentee@example.org")
    assert page.get_by_role("heading", name="Coming up on my IMG milestones").is_visible()
    visit(checked_page, f"{live_server.url}/milestones/")
    assert page.get_by_text("Not legal advice.").is_visible()
    page.get_by_label("Milestone:", exact=True).select_option("state_licence_application")
    page.get_by_label("Date:", exact=True).fill((datetime.date.today() + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Add to my plan").click()
    checker.check()
    assert page.get_by_role("link", name="State medical licence application").first.is_visible()
    screenshot(page, "milestones")
    visit(checked_page, f"{live_server.url}/privacy/")
    assert page.get_by_role("heading", name="Erase my personal data").is_visible()
    page.get_by_text("What is deleted, what is removed, what is kept").click()
    assert page.get_by_text("Kept without your name").is_visible()
    screenshot(page, "privacy")


@pytest.mark.django_db(transaction=True)
def test_mentor_roles_and_portfolio(checked_page, live_server, demo_network):
    page, checker = checked_page
    log_in(checked_page, live_server.url, "mentor@example.org")
    page.get_by_role("link", name="My evaluating roles").click()
    checker.check()
    page.get_by_label("Role:", exact=True).select_option("ccc_member")
    page.get_by_label("Over every mentee of a program:", exact=True).select_option(index=1)
    page.get_by_role("button", name="Declare role").click()
    checker.check()
    assert page.get_by_role("cell", name="Clinical competency committee member", exact=True).is_visible()
    screenshot(page, "evaluating-roles")
    visit(checked_page, f"{live_server.url}/portfolio/")
    assert page.get_by_role("heading", name="Mentees by academic year").is_visible()
    screenshot(page, "portfolio")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


@pytest.mark.django_db(transaction=True)
def test_coordinator_rolls_the_program_over(checked_page, live_server, demo_network):
    page, checker = checked_page
    program = Program.objects.get(pk=demo_network.demo_program.pk)
    log_in(checked_page, live_server.url, "coordinator@example.org")
    page.get_by_role("link", name=f"Academic-year rollover of {program.name}").click()
    checker.check()
    screenshot(page, "rollover-preview")
    page.get_by_label("I have checked the preview").check()
    page.get_by_role("button", name="Confirm rollover").click()
    checker.check()
    page.get_by_test_id("job-status").filter(has_text="Done").wait_for()  # the worker rolled it over
    assert page.get_by_text("relationships asked").is_visible()
    screenshot(page, "rollover-done")
    assert RelationshipRenewal.objects.filter(relationship__program=program).exists()
    visit(checked_page, f"{live_server.url}/conflicts/programs/{program.slug}/policy/")
    screenshot(page, "conflict-policy")
    visit(checked_page, f"{live_server.url}/privacy/programs/{program.slug}/policy/")
    page.get_by_role("button", name="Save policy").click()
    checker.check()
