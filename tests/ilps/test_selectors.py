import datetime
import sys
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.ilps import services, timeline
from mentora.ilps.models import LearningPlan, SignOff
from mentora.ilps.selectors import add_months, program_compliance, review_due_on
from tests.factories import MembershipFactory, RelationshipFactory


def test_review_due_follows_the_programs_frequency():
    day = datetime.date(2026, 8, 31)
    assert review_due_on(last_reviewed_on=day, submitted_at=None, frequency="quarterly") == datetime.date(2026, 11, 30)
    assert review_due_on(last_reviewed_on=day, submitted_at=None, frequency="semiannual") == datetime.date(2027, 2, 28)
    assert review_due_on(last_reviewed_on=day, submitted_at=None, frequency="annual") == datetime.date(2027, 8, 31)
    assert review_due_on(last_reviewed_on=None, submitted_at=None, frequency="annual") is None
    assert add_months(datetime.date(2026, 12, 15), 3) == datetime.date(2027, 3, 15)


def _mentee_with_plan(program, mentor, *, sign=True, submit=True):
    mentee = MembershipFactory(program=program, role="mentee").user
    RelationshipFactory(mentee=mentee, mentor=mentor, program=program)
    plan = services.plan_create(mentee=mentee)
    services.goal_create(plan=plan, by=mentee, data={"statement": "Read 12 landmark trials by June",
                                                     "target_date": timezone.localdate(), "domain": "medical_knowledge"})
    if submit:
        services.plan_submit(plan=plan, by=mentee)
    if sign:
        services.plan_sign_off(plan=plan, mentor=mentor)
    return mentee, plan


@pytest.fixture
def quarterly(cast):
    program = cast["program"]
    program.review_frequency = "quarterly"
    program.save()
    return program


def test_compliance_lists_who_lacks_an_approved_plan_and_whose_review_is_overdue(quarterly, cast):
    mentor = cast["mentor_a"]
    fine, _ = _mentee_with_plan(quarterly, mentor)
    draft, _ = _mentee_with_plan(quarterly, mentor, sign=False, submit=False)
    stale, stale_plan = _mentee_with_plan(quarterly, mentor)
    SignOff.objects.filter(plan=stale_plan).update(signed_at=timezone.now() - datetime.timedelta(days=400))
    overdue, overdue_plan = _mentee_with_plan(quarterly, mentor)
    LearningPlan.objects.filter(pk=overdue_plan.pk).update(last_reviewed_on=timezone.localdate() - datetime.timedelta(days=100))
    outsider = MembershipFactory(program=cast["other_program"], role="mentee").user
    [report] = program_compliance(program_ids=[quarterly.pk])
    without = {row.mentee_id for row in report.without_approved_plan}
    late = {row.mentee_id for row in report.review_overdue}
    # mentee_a and mentee_b of the cast have no plan at all
    assert without == {cast["mentee_a"].pk, cast["mentee_b"].pk, draft.pk, stale.pk}
    assert late == {overdue.pk}
    assert fine.pk not in without | late and outsider.pk not in without | late
    assert report.mentees == 6 and report.compliant == 1
    # the same plan under an annual program is not overdue
    quarterly.review_frequency = "annual"
    quarterly.save()
    [report] = program_compliance(program_ids=[quarterly.pk])
    assert report.review_overdue == []


def test_compliance_page_for_coordinators_only(client, quarterly, cast):
    client.force_login(cast["coordinator"])
    response = client.get(reverse("ilps:ilp_compliance"))
    assert response.status_code == 200 and quarterly.name in response.content.decode()
    assert cast["mentee_a"].full_name in response.content.decode()
    for person in ("other_coordinator", "mentee_a", "mentor_a"):
        client.force_login(cast[person])
        assert client.get(reverse("ilps:ilp_compliance"), {"program": quarterly.pk}).status_code == 403
    client.force_login(cast["other_coordinator"])
    html = client.get(reverse("ilps:ilp_compliance")).content.decode()
    assert quarterly.name not in html and cast["mentee_a"].full_name not in html


def test_compliance_page_query_count_is_constant(client, quarterly, cast):
    client.force_login(cast["coordinator"])
    _mentee_with_plan(quarterly, cast["mentor_a"])
    client.get(reverse("ilps:ilp_compliance"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("ilps:ilp_compliance"))
    for i in range(6):
        _mentee_with_plan(quarterly, cast["mentor_a"], sign=bool(i % 2))
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("ilps:ilp_compliance"))
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_timeline_merges_goals_reviews_milestones_and_relationships_in_date_order(plan_a, cast):
    mentee = cast["mentee_a"]
    services.plan_submit(plan=plan_a, by=mentee)
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    services.milestone_add(plan=plan_a, by=mentee, title="USMLE Step 3 taken",
                           due_on=timezone.localdate() + datetime.timedelta(days=30))
    from mentora.relationships.models import Relationship

    Relationship.objects.filter(mentee=mentee).update(started_on=timezone.localdate() - datetime.timedelta(days=50))
    events = timeline.mentee_timeline(mentee=mentee, viewer=mentee)
    kinds = [e.kind for e in events]
    assert {"goal", "sign_off", "milestone", "relationship", "review"} <= set(kinds)
    assert [e.on for e in events] == sorted(e.on for e in events)
    assert any(e.title == "USMLE Step 3 taken" for e in events)
    assert any(e.kind == "review" and e.title == "Next review of the plan due" for e in events)
    # another mentee's events never appear
    assert all(cast["mentee_b"].display_name not in e.title for e in events)


def test_other_apps_plug_their_events_into_the_timeline(plan_a, cast, monkeypatch):
    module = types.ModuleType("mentora.relationships.timeline")

    def timeline_events(*, mentee, viewer):
        yield timeline.TimelineEvent(on=timezone.localdate(), kind="meeting", title=f"Meeting with {mentee.pk}")

    module.timeline_events = timeline_events
    monkeypatch.setitem(sys.modules, "mentora.relationships.timeline", module)
    timeline.plugged_in_sources.cache_clear()
    try:
        events = timeline.mentee_timeline(mentee=cast["mentee_a"], viewer=cast["mentee_a"])
    finally:
        timeline.plugged_in_sources.cache_clear()
    assert any(e.kind == "meeting" and e.title == f"Meeting with {cast['mentee_a'].pk}" for e in events)


def test_timeline_page(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    html = client.get(reverse("ilps:ilp_timeline_me")).content.decode()
    assert plan_a.goals.get().statement in html
    client.force_login(cast["coordinator"])
    assert client.get(reverse("ilps:ilp_timeline", args=[cast["mentee_b"].pk])).status_code == 200
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("ilps:ilp_timeline", args=[cast["mentee_b"].pk])).status_code == 403


def test_meetings_appear_on_the_timeline_for_those_who_may_see_them(plan_a, cast):
    from mentora.meetings.models import Meeting
    from mentora.relationships.models import Relationship

    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    starts = timezone.now() + datetime.timedelta(days=10)
    Meeting.objects.create(relationship=relationship, starts_at=starts)
    Meeting.objects.create(relationship=relationship, starts_at=starts, status="cancelled")
    title = f"Meeting with {cast['mentor_a'].display_name}"
    for viewer in ("mentee_a", "mentor_a", "coordinator"):
        events = timeline.mentee_timeline(mentee=cast["mentee_a"], viewer=cast[viewer])
        meetings = [e for e in events if e.kind == "meeting"]
        assert [e.title for e in meetings] == [title], viewer
        assert meetings[0].on == timezone.localdate(starts)
    # another mentor of the same mentee does not see this relationship's meetings
    other = cast["other_mentor"]
    RelationshipFactory(mentee=cast["mentee_a"], mentor=other, program=cast["program"], kind="research")
    assert not [e for e in timeline.mentee_timeline(mentee=cast["mentee_a"], viewer=other) if e.kind == "meeting"]


def test_open_goals_are_offered_to_meeting_agendas(plan_a, cast):
    from mentora.ilps.selectors import goal_choices_for
    from mentora.meetings.goals import goal_belongs_to

    goal = plan_a.goals.get()
    assert goal_choices_for(mentee_id=cast["mentee_a"].pk) == [(goal.pk, goal.statement)]
    assert goal_belongs_to(goal_id=goal.pk, mentee_id=cast["mentee_a"].pk)
    assert not goal_belongs_to(goal_id=goal.pk, mentee_id=cast["mentee_b"].pk)
