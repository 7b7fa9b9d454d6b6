"""The ILP journey: a mentee drafts a plan with three goals while the S.M.A.R.T. coach reacts, fixes a
goal until it passes, submits; the mentor comments and signs off; the PDF holds the goals and the sign-off."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, MembershipFactory, MentorOfferFactory, RelationshipFactory

from .conftest import log_in, log_out, screenshot, visit

GOALS = [
    "Present two heart failure case reports at the regional ACP meeting by 30 April",
    "Complete 10 supervised ultrasound-guided IV placements by 31 March, logged in the procedure log",
]
FIXED_GOAL = "Read about heart failure guidelines"


def coach_state(page):
    coach = page.locator("#smart-coach")
    return coach.locator("[data-smart]").get_attribute("data-smart"), coach.locator(".smart-hint").all_inner_texts()


def wait_for_coach_change(page, before):
    page.wait_for_function(
        "before => { const el = document.querySelector('#smart-coach'); return el && el.innerText !== before; }",
        arg=before,
    )
    page.wait_for_timeout(100)  # let htmx settle the swap


def add_goal(page, statement, *, domain="Research and scholarship"):
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_role("textbox", name="Goal:", exact=True).fill(statement)
    page.get_by_label("Target date").fill((timezone.localdate() + datetime.timedelta(days=120)).isoformat())
    page.get_by_label("Domain").select_option(label=domain)
    page.locator('#smart-coach [data-smart="true"]').wait_for()
    page.get_by_role("button", name="Add goal").click()


@pytest.mark.django_db(transaction=True)
def test_mentee_drafts_submits_and_mentor_signs_off_with_pdf(checked_page, live_server, tmp_path):
    from pypdf import PdfReader

    membership = MembershipFactory(role="mentee", user__full_name="Amara Okafor")
    mentee, program = membership.user, membership.program
    mentor = MembershipFactory(program=program, role="mentor", training_level="faculty",
                               user__full_name="Dr. Lucia Fernández").user
    MentorOfferFactory(user=mentor)
    RelationshipFactory(mentee=mentee, mentor=mentor, program=program)
    page, checker = checked_page
    base = live_server.url

    log_in(checked_page, base, mentee.email, PASSWORD)
    visit(checked_page, f"{base}/ilps/")
    page.get_by_role("link", name="Start my learning plan").click()
    checker.check()
    page.get_by_label("Career vision").fill("An academic cardiologist who mentors International Medical Graduates.")
    page.get_by_label("Medical knowledge: areas for growth").fill("US heart failure guidelines")
    page.get_by_role("button", name="Start my plan").click()
    page.get_by_role("heading", name="Career vision").wait_for()
    checker.check()

    # Goal 1: the coach's hints change as the mentee types, until the goal passes.
    page.get_by_role("link", name="Add a goal").click()
    checker.check()
    statement = page.get_by_role("textbox", name="Goal:", exact=True)
    statement.fill("Understand heart failure")
    page.locator('#smart-coach [data-smart="false"]').wait_for()
    smart, first_hints = coach_state(page)
    assert smart == "false" and len(first_hints) == 3, first_hints
    assert page.locator('#smart-coach [data-criterion="specific"].criterion-fail').is_visible()
    screenshot(page, "ilp-coach-vague")
    before = page.locator("#smart-coach").inner_text()
    statement.fill(FIXED_GOAL)
    wait_for_coach_change(page, before)
    smart, second_hints = coach_state(page)
    assert smart == "false" and second_hints != first_hints and len(second_hints) == 2, second_hints
    assert page.locator('#smart-coach [data-criterion="specific"].criterion-ok').is_visible()
    before = page.locator("#smart-coach").inner_text()
    page.get_by_label("Measure of success").fill("Written summaries of 3 guidelines reviewed with my mentor")
    wait_for_coach_change(page, before)
    assert page.locator('#smart-coach [data-criterion="measurable"].criterion-ok').is_visible()
    page.get_by_label("Target date").fill((timezone.localdate() + datetime.timedelta(days=90)).isoformat())
    page.locator('#smart-coach [data-smart="true"]').wait_for()
    screenshot(page, "ilp-coach-passes")
    page.get_by_label("Domain").select_option(label="Medical knowledge")
    page.get_by_label("Priority").select_option(label="Focus goal")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("heading", name=FIXED_GOAL).wait_for()
    checker.check()

    # Goals 2 and 3.
    add_goal(page, GOALS[0])
    page.get_by_role("heading", name=GOALS[0]).wait_for()
    add_goal(page, GOALS[1], domain="Patient care")
    page.get_by_role("heading", name=GOALS[1]).wait_for()
    checker.check()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_text("Waiting for sign-off").wait_for()
    checker.check()
    screenshot(page, "ilp-submitted")
    plan_url = page.url.split("#")[0]
    log_out(checked_page)

    # The mentor comments on a goal and signs off.
    log_in(checked_page, base, mentor.email, PASSWORD)
    assert page.get_by_role("link", name="Amara Okafor — plan", exact=False).is_visible()
    visit(checked_page, plan_url)
    goal_card = page.locator("article.goal-card", has=page.get_by_role("heading", name=GOALS[0]))
    goal_card.get_by_label("Comment on this goal").fill("Aim for the abstract deadline in February.")
    goal_card.get_by_role("button", name="Add comment").click()
    page.get_by_text("Aim for the abstract deadline in February.").wait_for()
    checker.check()
    page.get_by_label("Note with your sign-off (optional)").fill("Agreed at our October meeting.")
    page.get_by_role("button", name="Sign off the plan").click()
    page.locator(".sign-off-block .signed-by", has_text="Dr. Lucia Fernández").wait_for()
    checker.check()
    screenshot(page, "ilp-signed-off")

    # The PDF downloads and holds the goals and the sign-off.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    path = tmp_path / "plan.pdf"
    download_info.value.save_as(path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    for goal in [FIXED_GOAL, *GOALS]:
        assert goal in text
    assert "Signed off by Dr. Lucia Fernández" in text
    assert "Aim for the abstract deadline in February." in text
