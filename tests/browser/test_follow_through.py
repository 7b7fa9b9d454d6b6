"""The review loop between a mentee and a mentor, each step asserted: the mentee submits a plan with one weak
goal and is warned with the coach's hints, submits anyway; the mentor asks for changes on that goal; the
mentee sees what to change and fixes it; the mentor signs off; the mentee is told in Mentora and by email."""

import datetime

import pytest
from django.utils import timezone

from mentora.ilps import services
from mentora.ilps.models import LearningPlan
from tests.factories import PASSWORD, MembershipFactory, MentorOfferFactory, RelationshipFactory

from .conftest import log_in, screenshot, visit

STRONG = "Present two heart failure case reports at the regional ACP meeting by 30 April"
WEAK = "Get better at research"
FIXED = "Submit one case report on heart failure to the Journal of Hospital Medicine by 31 May"
ASK = "Say which study, which journal, and by when."


def switch_to(checked_page, base, email):
    page, _ = checked_page
    page.context.clear_cookies()
    return log_in(checked_page, base, email, PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_weak_goal_warned_changes_asked_fixed_signed_off_and_told(checked_page, live_server, mailoutbox):
    membership = MembershipFactory(role="mentee", user__full_name="Amara Okafor")
    mentee, program = membership.user, membership.program
    mentor = MembershipFactory(program=program, role="mentor", training_level="faculty",
                               user__full_name="Lucia Fernández").user
    MentorOfferFactory(user=mentor)
    RelationshipFactory(mentee=mentee, mentor=mentor, program=program)
    plan = services.plan_create(mentee=mentee, career_vision="An academic cardiologist.")
    target = timezone.localdate() + datetime.timedelta(days=120)
    services.goal_create(plan=plan, by=mentee, data={"statement": STRONG, "measure": "Two posters presented",
                                                     "target_date": target, "domain": "research"})
    weak = services.goal_create(plan=plan, by=mentee, data={"statement": WEAK, "target_date": target,
                                                            "domain": "research"})
    page, checker = checked_page
    base = live_server.url
    plan_url = f"{base}/ilps/{plan.pk}/"

    # 1. The mentee submits and is warned about the weak goal, with the coach's hints; then submits anyway.
    log_in(checked_page, base, mentee.email, PASSWORD)
    visit(checked_page, plan_url)
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("heading", name="Submit your plan with goals that are not yet S.M.A.R.T.?").wait_for()
    checker.check()
    warning = page.locator(".weak-goals-warning")
    assert warning.get_by_role("heading", name=WEAK).is_visible()
    assert warning.get_by_role("heading", name=STRONG).count() == 0
    assert warning.locator(".smart-hint").count() >= 1
    screenshot(page, "follow-through-submit-warning")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "follow-through-submit-warning-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert LearningPlan.objects.get(pk=plan.pk).status == "draft"
    page.get_by_role("button", name="Submit anyway").click()
    page.get_by_text("Waiting for sign-off").wait_for()
    checker.check()
    assert LearningPlan.objects.get(pk=plan.pk).status == "submitted"

    # 2. The mentor asks for changes on the weak goal.
    switch_to(checked_page, base, mentor.email)
    visit(checked_page, plan_url)
    card = page.locator("article.goal-card", has=page.get_by_role("heading", name=WEAK))
    card.locator("summary", has_text="Ask for changes to this goal").click()
    card.get_by_label("What should change?").fill(ASK)
    card.get_by_role("button", name="Ask for changes").click()
    page.locator('[data-change-request="open"]', has_text=ASK).wait_for()
    checker.check()
    screenshot(page, "follow-through-changes-asked")

    # 3. The mentee is told, sees what to change on the goal, and fixes it.
    switch_to(checked_page, base, mentee.email)
    visit(checked_page, f"{base}/notifications/")
    page.get_by_role("link", name=f"Lucia Fernández asks you to change a goal: {WEAK}").click()
    checker.check()
    assert page.locator(".badge", has_text="Changes requested on 1 goal").is_visible()
    card = page.locator("article.goal-card", has=page.get_by_role("heading", name=WEAK))
    assert card.locator('[data-change-request="open"]').inner_text().count(ASK) == 1
    screenshot(page, "follow-through-mentee-sees-changes")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "follow-through-mentee-sees-changes-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    card.get_by_role("link", name="Change this goal").click()
    checker.check()
    page.get_by_role("textbox", name="Goal:", exact=True).fill(FIXED)
    page.get_by_label("Measure of success").fill("Manuscript submitted, confirmation email from the journal")
    page.locator('#smart-coach [data-smart="true"]').wait_for()
    page.get_by_role("button", name="Save goal").click()
    page.get_by_role("heading", name=FIXED).wait_for()
    checker.check()
    assert page.locator('[data-change-request="open"]').count() == 0
    weak.refresh_from_db()
    assert weak.change_requests.get().resolved_by == mentee

    # 4. The mentor, told of the revision, signs off with no warning left.
    switch_to(checked_page, base, mentor.email)
    visit(checked_page, f"{base}/notifications/")
    page.get_by_role("link", name=f"Amara Okafor revised the goal you asked to change: {FIXED}").click()
    checker.check()
    page.get_by_role("button", name="Sign off the plan").click()
    page.locator(".sign-off-block .signed-by", has_text="Lucia Fernández").wait_for()
    checker.check()
    assert LearningPlan.objects.get(pk=plan.pk).status == "approved"

    # 5. The mentee is told in Mentora, and the email is in the outbox.
    switch_to(checked_page, base, mentee.email)
    visit(checked_page, f"{base}/notifications/")
    notice = page.get_by_role("link", name=f"Lucia Fernández signed off your learning plan {plan.academic_year_label}")
    assert notice.is_visible()
    screenshot(page, "follow-through-mentee-notified")
    emails = [m for m in mailoutbox if m.to == [mentee.email]]
    assert any(m.subject == f"[Mentora] Lucia Fernández signed off your learning plan {plan.academic_year_label}"
               for m in emails), [m.subject for m in emails]
    assert any("asks you to change a goal" in m.subject for m in emails)
