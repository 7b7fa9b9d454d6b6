"""A mentor's record of their mentoring, for promotion dossiers: read-only, from every domain.

Mentees by academic year, meetings held, goals supported, scholarly outputs with mentees, and what
mentees said in feedback, only as aggregates of at least MIN_FEEDBACK responses.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from mentora.core.academic_year import academic_year_label, academic_year_of
from mentora.ilps.models import Goal
from mentora.meetings.models import Meeting, SurveyResponse
from mentora.meetings.selectors import survey_questions
from mentora.relationships.models import Relationship
from mentora.scholarly.models import ScholarlyProject

MIN_FEEDBACK = 5


@dataclass
class Portfolio:
    mentor_name: str
    generated_on: datetime.date
    mentees_by_year: list[tuple[str, list[dict]]] = field(default_factory=list)
    mentee_count: int = 0
    meetings_by_year: list[tuple[str, int]] = field(default_factory=list)
    meetings_held: int | None = None  # None: the meetings app is not installed
    goals_supported: int | None = None  # None: the ILP app is not installed
    goals_achieved: int | None = None
    scholarly: list[dict] = field(default_factory=list)
    feedback_responses: int = 0
    feedback_respondents: int = 0  # different mentees who answered
    feedback_rows: list[dict] = field(default_factory=list)  # only when there are enough responses
    mentor: Any = None  # the person, for their photo or initials on the PDF

    @property
    def feedback_enough(self) -> bool:
        """At least five responses from at least five mentees: five answers of one mentee are that mentee's."""
        return self.feedback_responses >= MIN_FEEDBACK and self.feedback_respondents >= MIN_FEEDBACK


def _years(relationship: Relationship, today: datetime.date) -> range:
    start = relationship.started_on or relationship.created_at.date()
    if relationship.ended_on:
        end = relationship.ended_on
    elif relationship.is_open:
        end = today
    else:
        end = relationship.updated_at.date()
    end = max(start, end)
    return range(academic_year_of(start), academic_year_of(end) + 1)


def mentored_relationships(*, mentor):
    """Relationships that really happened: not requests still waiting, nor requests declined before they began."""
    return (Relationship.objects.filter(mentor=mentor).exclude(status=Relationship.Status.PROPOSED)
            .exclude(status=Relationship.Status.CLOSED, started_on__isnull=True))


def mentor_portfolio(*, mentor) -> Portfolio:
    today = timezone.localdate()
    portfolio = Portfolio(mentor_name=mentor.display_name, generated_on=today, mentor=mentor)
    relationships = list(
        mentored_relationships(mentor=mentor).select_related("mentee", "program").order_by("started_on", "created_at")
    )
    by_year: dict[int, list[dict]] = defaultdict(list)
    for relationship in relationships:
        for year in _years(relationship, today):
            by_year[year].append({
                "mentee": relationship.mentee.display_name, "kind": relationship.get_kind_display(),
                "program": relationship.program.name if relationship.program else "",
                "status": relationship.get_status_display(),
            })
    portfolio.mentees_by_year = [(academic_year_label(y), by_year[y]) for y in sorted(by_year, reverse=True)]
    portfolio.mentee_count = len({r.mentee_id for r in relationships})

    held = defaultdict(int)
    for starts_at in Meeting.objects.filter(relationship__mentor=mentor, status=Meeting.Status.HELD).values_list(
            "starts_at", flat=True).iterator():
        held[academic_year_of(timezone.localtime(starts_at).date())] += 1
    portfolio.meetings_by_year = [(academic_year_label(y), held[y]) for y in sorted(held, reverse=True)]
    portfolio.meetings_held = sum(held.values())
    _feedback(portfolio, mentor)

    _goals(portfolio, relationships, today)

    mentee_ids = {r.mentee_id for r in relationships}
    for project in (ScholarlyProject.objects.filter(mentors=mentor).prefetch_related("owners")
                    .order_by("-stage_changed_on")):
        owners = [o.display_name for o in project.owners.all()]
        portfolio.scholarly.append({
            "title": project.title, "kind": project.get_kind_display(), "stage": project.get_stage_display(),
            "venue": project.target_venue, "with": ", ".join(owners),
            "with_mentee": any(o.pk in mentee_ids for o in project.owners.all()),
        })
    return portfolio


def _feedback(portfolio: Portfolio, mentor) -> None:
    responses = list(SurveyResponse.objects.filter(relationship__mentor=mentor, role="mentee")
                     .values_list("ratings", "program_id", "relationship__mentee_id"))
    portfolio.feedback_responses = len(responses)
    portfolio.feedback_respondents = len({mentee for _r, _p, mentee in responses})
    if not portfolio.feedback_enough:
        return
    labels = {}
    for program_id in {p for _r, p, _m in responses}:
        labels.update({q["key"]: q["label"] for q in survey_questions(program_id=program_id)})
    values: dict[str, list[int]] = defaultdict(list)
    answered_by: dict[str, set[int]] = defaultdict(set)
    for ratings, _program, mentee in responses:
        for key, value in (ratings or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                values[key].append(value)
                answered_by[key].add(mentee)
    for key, numbers in values.items():
        # Each question is itself an aggregate of at least five responses from at least five mentees.
        if len(numbers) >= MIN_FEEDBACK and len(answered_by[key]) >= MIN_FEEDBACK:
            portfolio.feedback_rows.append({"question": labels.get(key, key.replace("_", " ").capitalize()),
                                            "responses": len(numbers),
                                            "mean": round(sum(numbers) / len(numbers), 1)})


def _goals(portfolio: Portfolio, relationships: list[Relationship], today: datetime.date) -> None:
    """Goals in the learning plans of the mentor's mentees, for the academic years the mentor mentored
    each of them. A goal carried forward into the next year's plan counts once, as its latest copy (so
    one achieved after the rollover counts as achieved)."""
    years_by_mentee: dict[int, set[int]] = defaultdict(set)
    for relationship in relationships:
        years_by_mentee[relationship.mentee_id].update(_years(relationship, today))
    scope = Q(pk__in=[])
    for mentee_id, years in years_by_mentee.items():
        scope |= Q(plan__mentee_id=mentee_id, plan__academic_year__in=sorted(years))
    goals = Goal.objects.filter(scope)
    latest = goals.exclude(carried_into__in=goals.values("pk"))
    row = latest.aggregate(total=Count("id"), achieved=Count("id", filter=Q(status=Goal.Status.ACHIEVED)))
    portfolio.goals_supported = row["total"]
    portfolio.goals_achieved = row["achieved"]
