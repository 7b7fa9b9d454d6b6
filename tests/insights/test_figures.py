"""The dashboard's figures counted in the database (no per-row work) say what the rows say."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from mentora.ilps.models import Goal, LearningPlan
from mentora.insights.providers import BY_KEY
from mentora.insights.scope import Scope
from mentora.meetings.models import Meeting
from mentora.relationships.models import Relationship

pytestmark = pytest.mark.django_db


def _scope(program, today: datetime.date) -> Scope:
    from mentora.core.academic_year import current_academic_year

    return Scope(program_ids=(program.pk,), academic_year=current_academic_year(), program=program.pk, today=today)


def test_meetings_held_count_in_the_month_of_their_local_day(cast, grow, settings):
    """A meeting on the evening of July 31 in New York is 01:00 UTC on August 1: it counts in July."""
    settings.TIME_ZONE = "America/New_York"
    timezone.activate("America/New_York")
    try:
        grow(cast["program"], 2)
        scope = _scope(cast["program"], datetime.date(datetime.date.today().year, 12, 6))
        year = scope.academic_year
        relationship = Relationship.objects.filter(program=cast["program"]).first()
        utc = datetime.UTC
        moments = [
            datetime.datetime(year, 8, 1, 1, 0, tzinfo=utc),    # July 31, 21:00 in New York
            datetime.datetime(year, 8, 1, 5, 0, tzinfo=utc),    # August 1, 01:00
            datetime.datetime(year, 9, 30, 23, 0, tzinfo=utc),  # September 30, 19:00
            datetime.datetime(year, 10, 1, 3, 59, tzinfo=utc),  # September 30, 23:59
            datetime.datetime(year, 10, 1, 4, 0, tzinfo=utc),   # October 1, 00:00
        ]
        for moment in moments:
            Meeting.objects.create(relationship=relationship, starts_at=moment, status=Meeting.Status.HELD)
        Meeting.objects.create(relationship=relationship, starts_at=moments[0], status=Meeting.Status.SCHEDULED)
        scope = _scope(cast["program"], datetime.date(year, 12, 6))
        panel = BY_KEY["trends"].panel(scope)
        table = panel.table("trends.monthly")
        column = table.columns.index("Meetings held")
        held = {row[0].value: row[column].value for row in table.rows}
        expected = Counter(timezone.localtime(m).strftime("%b %Y") for m in moments)
        assert held == {label: expected.get(label, 0) for label in held}
        assert held[f"Jul {year}"] == 1 and held[f"Aug {year}"] == 1 and held[f"Sep {year}"] == 2
        assert held[f"Oct {year}"] == 1
        started = table.columns.index("Relationships started")
        by_month = Counter(r.started_on.replace(day=1) for r in Relationship.objects.filter(program=cast["program"])
                           if r.started_on and r.started_on.year * 12 + r.started_on.month >= year * 12 + 7)
        assert sum(row[started].value for row in table.rows) == sum(by_month.values())
    finally:
        timezone.deactivate()


def test_goals_by_status_and_domain_with_their_average_progress(cast, grow):
    mentees = grow(cast["program"], 3)
    scope = _scope(cast["program"], timezone.localdate())
    rows = [("not_started", "patient_care", 0), ("in_progress", "patient_care", 40),
            ("in_progress", "medical_knowledge", 75), ("achieved", "professionalism", 100),
            ("in_progress", "professionalism", 10)]
    domains = {key for key, _label in Goal._meta.get_field("domain").choices}
    statuses = {key for key, _label in Goal.Status.choices}
    for index, (status, domain, done) in enumerate(rows):
        assert status in statuses and domain in domains
        plan, _ = LearningPlan.objects.get_or_create(mentee=mentees[index % 3], academic_year=scope.academic_year,
                                                     defaults={"program": cast["program"]})
        Goal.objects.create(plan=plan, statement=f"Goal {index}", target_date=timezone.localdate(), domain=domain,
                            status=status, percent_done=done)
    panel = BY_KEY["goals"].panel(scope)
    by_status = {row[0].value: (row[1].value, row[2].value) for row in panel.table("goals.status").rows}
    labels = dict(Goal.Status.choices)
    assert by_status[labels["in_progress"]] == (3, round((40 + 75 + 10) / 3, 1))
    assert by_status[labels["not_started"]] == (1, 0.0)
    assert by_status[labels["achieved"]] == (1, 100.0)
    by_domain = {row[0].value: row[1].value for row in panel.table("goals.domain").rows}
    domain_labels = dict(Goal._meta.get_field("domain").choices)
    assert by_domain[domain_labels["patient_care"]] == 2
    assert by_domain[domain_labels["professionalism"]] == 2
    assert by_domain[domain_labels["medical_knowledge"]] == 1
    assert sum(by_domain.values()) == 5
