import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentora.ilps import services
from mentora.ilps.models import Goal, GoalDecision, GoalVersion, LearningPlan, ProgressUpdate, SignOff
from mentora.notifications.models import Notification


def goal_data(**overrides):
    data = {
        "statement": "Complete 10 supervised ultrasound-guided IV placements, logged in the procedure log",
        "measure": "10 logged placements", "target_date": timezone.localdate() + datetime.timedelta(days=90),
        "domain": "patient_care",
    }
    data.update(overrides)
    return data


def test_plan_belongs_to_the_mentees_program_and_is_unique_per_year(cast):
    plan = services.plan_create(mentee=cast["mentee_a"], career_vision="Hospitalist")
    assert plan.program == cast["program"]
    with pytest.raises(ValidationError):
        services.plan_create(mentee=cast["mentee_a"])
    assert LearningPlan.objects.filter(mentee=cast["mentee_a"]).count() == 1
    # another academic year is another plan
    assert services.plan_create(mentee=cast["mentee_a"], academic_year=plan.academic_year - 1).pk != plan.pk


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"statement": "   "}, "statement", "Write the goal"),
        ({"target_date": datetime.date(2020, 1, 1)}, "target_date", "in the past"),
        ({"statement": "x" * 50_000}, "statement", "50,000"),
        ({"strategies": "y" * 50_000}, "strategies", "50,000"),
        ({"target_date": None}, "target_date", "Choose a target date"),
        ({"domain": "astrology"}, "domain", "domain"),
    ],
)
def test_bad_goal_is_refused_and_nothing_is_written(plan_a, cast, overrides, field, words):
    goals_before = Goal.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.goal_create(plan=plan_a, by=cast["mentee_a"], data=goal_data(**overrides))
    assert words in " ".join(caught.value.message_dict[field])
    assert Goal.objects.count() == goals_before
    assert GoalVersion.objects.count() == 0


def test_bad_edit_of_a_signed_off_plan_leaves_plan_goal_and_sign_off_untouched(plan_a, cast):
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    goal = plan_a.goals.get()
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, by=cast["mentee_a"], data={"statement": "z" * 50_000})
    plan_a.refresh_from_db()
    goal.refresh_from_db()
    assert plan_a.status == "approved" and plan_a.approved_by == cast["mentor_a"]
    assert goal.version == 1 and not GoalVersion.objects.exists()
    assert SignOff.objects.get().reopened_at is None


def test_only_the_mentee_writes_the_plan(plan_a, cast):
    for person in ("mentor_a", "coordinator", "mentee_b", "admin"):
        with pytest.raises(PermissionDenied):
            services.goal_create(plan=plan_a, by=cast[person], data=goal_data())


def test_submit_needs_a_goal_and_tells_the_mentor(cast):
    plan = services.plan_create(mentee=cast["mentee_a"])
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, by=cast["mentee_a"])
    services.goal_create(plan=plan, by=cast["mentee_a"], data=goal_data())
    services.plan_submit(plan=plan, by=cast["mentee_a"])
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.submitted_at is not None
    notice = Notification.objects.get(user=cast["mentor_a"])
    assert notice.kind == "ilp_review_due" and str(plan.pk) in notice.url


def test_sign_off_records_who_and_when_and_only_a_mentor_may(plan_a, cast):
    with pytest.raises(ValidationError):  # not submitted yet
        services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    for person in ("other_mentor", "coordinator", "mentee_a", "mentee_b"):
        with pytest.raises(PermissionDenied):
            services.plan_sign_off(plan=plan_a, mentor=cast[person])
    before = timezone.now()
    sign_off = services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"], note="Good plan")
    plan_a.refresh_from_db()
    assert plan_a.status == "approved"
    assert plan_a.approved_by == cast["mentor_a"] and plan_a.approved_at >= before
    assert sign_off.mentor == cast["mentor_a"] and sign_off.signed_at == plan_a.approved_at
    assert plan_a.last_reviewed_on == timezone.localdate()


def test_a_closed_relationship_no_longer_lets_the_mentor_sign(plan_a, cast):
    from mentora.relationships.models import Relationship

    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    Relationship.objects.filter(mentee=cast["mentee_a"]).update(status="closed")
    with pytest.raises(PermissionDenied):
        services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])


@pytest.mark.parametrize("change", ["goal_edit", "goal_add", "vision", "milestone"])
def test_a_change_after_sign_off_reopens_the_plan_and_keeps_the_sign_off(plan_a, cast, change):
    mentee = cast["mentee_a"]
    services.plan_submit(plan=plan_a, by=mentee)
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    if change == "goal_edit":
        services.goal_update(goal=plan_a.goals.get(), by=mentee, data={"measure": "Three posters presented"})
    elif change == "goal_add":
        services.goal_create(plan=plan_a, by=mentee, data=goal_data())
    elif change == "vision":
        services.plan_update(plan=plan_a, by=mentee, career_vision="Clinician educator", self_assessment={})
    else:
        services.milestone_add(plan=plan_a, by=mentee, title="USMLE Step 3", due_on=timezone.localdate())
    plan_a.refresh_from_db()
    assert plan_a.status == "submitted"
    assert plan_a.approved_by is None and plan_a.approved_at is None
    kept = SignOff.objects.get(plan=plan_a)
    assert kept.mentor == cast["mentor_a"] and kept.reopened_at is not None and kept.reopened_by == mentee
    assert kept.reopened_because
    # and it can be signed off again, the history growing
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    assert SignOff.objects.filter(plan=plan_a).count() == 2


def test_unchanged_save_progress_and_comments_do_not_reopen(plan_a, cast):
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    goal = plan_a.goals.get()
    services.goal_update(goal=goal, by=cast["mentee_a"], data={"statement": goal.statement})
    services.progress_record(goal=goal, by=cast["mentee_a"], percent_done=40, note="First poster drafted")
    services.goal_comment_add(goal=goal, author=cast["mentor_a"], body="Aim for the spring deadline.")
    plan_a.refresh_from_db()
    goal.refresh_from_db()
    assert plan_a.status == "approved"
    assert goal.percent_done == 40 and goal.status == "in_progress"


def test_editing_a_goal_keeps_the_earlier_version(plan_a, cast):
    goal = plan_a.goals.get()
    old = goal.statement
    services.goal_update(goal=goal, by=cast["mentee_a"], data={"statement": "Present three case reports by 30 April"})
    goal.refresh_from_db()
    assert goal.version == 2
    version = goal.versions.get()
    assert version.version == 1 and version.statement == old and version.replaced_by == cast["mentee_a"]


def test_focus_on_a_few(plan_a, cast):
    for i in range(3):
        services.goal_create(plan=plan_a, by=cast["mentee_a"], data=goal_data(priority="focus", statement=f"Goal {i} by June"))
    with pytest.raises(ValidationError) as caught:
        services.goal_create(plan=plan_a, by=cast["mentee_a"], data=goal_data(priority="focus"))
    assert "at most 3" in caught.value.message_dict["priority"][0]


def test_progress_must_be_a_percentage(plan_a, cast):
    goal = plan_a.goals.get()
    for bad in (-1, 101):
        with pytest.raises(ValidationError):
            services.progress_record(goal=goal, by=cast["mentee_a"], percent_done=bad)
    assert not ProgressUpdate.objects.exists()


def _reassess_all(plan, reviewer, outcomes, **kwargs):
    goals = list(plan.goals.filter(status__in=Goal.OPEN_STATUSES).order_by("pk"))
    decisions = []
    for goal, (outcome, reason, changes) in zip(goals, outcomes, strict=True):
        decisions.append(services.DecisionInput(goal=goal, outcome=outcome, reason=reason, changes=changes))
    return services.plan_reassess(plan=plan, reviewer=reviewer, decisions=decisions, **kwargs)


def test_reassessment_records_a_decision_and_reason_per_goal_and_keeps_versions(plan_a, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    for statement in ("Read 20 NEJM image challenges by June", "Run a 5 km race by May", "Pass Step 3 by July",
                      "Lead two morning reports by March"):
        services.goal_create(plan=plan_a, by=mentee, data=goal_data(statement=statement))
    services.plan_submit(plan=plan_a, by=mentee)
    services.plan_sign_off(plan=plan_a, mentor=mentor)
    new_date = timezone.localdate() + datetime.timedelta(days=200)
    review = _reassess_all(plan_a, mentor, [
        ("kept", "On track", None),
        ("revised", "Deadline moved by the society", {"target_date": new_date}),
        ("refocused", "Wellbeing matters more than speed", {"statement": "Run three times a week until May"}),
        ("dropped", "Exam date moved to next year", None),
        ("achieved", "Both done in February", None),
    ], summary="Good progress", sign_off=True)
    outcomes = dict(review.decisions.values_list("outcome", "reason"))
    assert set(outcomes) == {"kept", "revised", "refocused", "dropped", "achieved"}
    goals = {g.statement: g for g in plan_a.goals.all()}
    assert goals["Read 20 NEJM image challenges by June"].target_date == new_date
    assert goals["Read 20 NEJM image challenges by June"].versions.get().target_date != new_date
    refocused = goals["Run three times a week until May"]
    assert refocused.versions.get().statement == "Run a 5 km race by May"
    assert "Wellbeing matters more than speed" in refocused.versions.get().change_reason
    assert goals["Pass Step 3 by July"].status == "dropped"
    assert goals["Lead two morning reports by March"].status == "achieved"
    assert goals["Lead two morning reports by March"].percent_done == 100
    plan_a.refresh_from_db()
    # the changes reopened the earlier sign-off; the review's own sign-off stands
    assert plan_a.status == "approved" and SignOff.objects.filter(plan=plan_a).count() == 2
    assert SignOff.objects.filter(plan=plan_a, reopened_at__isnull=False).count() == 1


def test_reassessment_needs_every_open_goal_and_a_reason_and_writes_nothing_otherwise(plan_a, cast):
    services.goal_create(plan=plan_a, by=cast["mentee_a"], data=goal_data())
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    goals = list(plan_a.goals.order_by("pk"))
    with pytest.raises(ValidationError):  # a goal left out
        services.plan_reassess(plan=plan_a, reviewer=cast["mentor_a"],
                               decisions=[services.DecisionInput(goals[0], "kept", "fine")])
    with pytest.raises(ValidationError) as caught:  # no reason, and a "revision" that changes nothing
        services.plan_reassess(plan=plan_a, reviewer=cast["mentor_a"], decisions=[
            services.DecisionInput(goals[0], "dropped", " "), services.DecisionInput(goals[1], "revised", "x", {})])
    assert f"goal_{goals[0].pk}_reason" in caught.value.message_dict
    assert f"goal_{goals[1].pk}_statement" in caught.value.message_dict
    assert not GoalDecision.objects.exists() and not GoalVersion.objects.exists()
    assert set(plan_a.goals.values_list("status", flat=True)) == {"not_started"}


def test_only_the_mentor_reassesses(plan_a, cast):
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    goal = plan_a.goals.get()
    with pytest.raises(PermissionDenied):
        services.plan_reassess(plan=plan_a, reviewer=cast["coordinator"],
                               decisions=[services.DecisionInput(goal, "kept", "fine")])


def test_goal_delete_only_before_any_review(plan_a, cast):
    goal = plan_a.goals.get()
    extra = services.goal_create(plan=plan_a, by=cast["mentee_a"], data=goal_data())
    services.goal_delete(goal=extra, by=cast["mentee_a"])
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    with pytest.raises(ValidationError):
        services.goal_delete(goal=goal, by=cast["mentee_a"])
    assert Goal.objects.filter(pk=goal.pk).exists()
