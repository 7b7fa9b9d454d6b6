"""ilps_rollover: next year's plan with unfinished goals carried forward (the program rollover calls it)."""

import datetime

import pytest
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.ilps import services
from mentora.ilps.models import Goal, LearningPlan, SignOff
from tests.factories import UserFactory
from tests.ilps.factories import GoalFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_carried_focus_goals_respect_the_limit_of_a_plan_already_open():
    year = current_academic_year()
    mentee = UserFactory()
    old = PlanFactory(mentee=mentee, academic_year=year)
    for i in range(2):
        GoalFactory(plan=old, statement=f"Old focus {i}", priority="focus", status="in_progress")
    new = PlanFactory(mentee=mentee, academic_year=year + 1)
    for i in range(2):
        GoalFactory(plan=new, statement=f"New focus {i}", priority="focus")
    result = services.ilps_rollover(mentee_ids=[mentee.pk], from_year=year)
    assert result == services.RolloverResult(plans_opened=0, goals_carried=2)
    priorities = dict(new.goals.filter(carried_from__isnull=False).values_list("statement", "priority"))
    assert priorities == {"Old focus 0": "focus", "Old focus 1": "standard"}
    assert new.goals.filter(priority="focus", status__in=Goal.OPEN_STATUSES).count() == Goal.MAX_FOCUS


def test_carrying_into_a_signed_off_plan_reopens_it_for_the_mentor():
    year = current_academic_year()
    mentee, mentor = UserFactory(), UserFactory()
    old = PlanFactory(mentee=mentee, academic_year=year)
    GoalFactory(plan=old, statement="Unfinished")
    now = timezone.now()
    new = PlanFactory(mentee=mentee, academic_year=year + 1, status="approved", approved_by=mentor, approved_at=now)
    SignOff.objects.create(plan=new, mentee=mentee, mentor=mentor, signed_at=now)
    services.ilps_rollover(mentee_ids=[mentee.pk], from_year=year)
    new.refresh_from_db()
    assert new.status == "submitted" and new.approved_at is None
    sign_off = SignOff.objects.get(plan=new)
    assert sign_off.reopened_at is not None and "carried forward" in sign_off.reopened_because


def test_a_mentee_without_a_plan_last_year_gets_an_empty_one_once():
    year = current_academic_year()
    mentee = UserFactory()
    assert services.ilps_rollover(mentee_ids=[mentee.pk], from_year=year).plans_opened == 1
    plan = LearningPlan.objects.get(mentee=mentee)
    assert plan.academic_year == year + 1 and plan.previous_plan is None and not plan.goals.exists()
    assert services.ilps_rollover(mentee_ids=[mentee.pk], from_year=year) == services.RolloverResult()
    # A past target date is kept as it was: the mentee and mentor revise it at the next review.
    old = PlanFactory(mentee=UserFactory(), academic_year=year)
    GoalFactory(plan=old, target_date=datetime.date(2000, 1, 1))
    services.ilps_rollover(mentee_ids=[old.mentee_id], from_year=year)
    assert Goal.objects.get(carried_from__plan=old).target_date == datetime.date(2000, 1, 1)
