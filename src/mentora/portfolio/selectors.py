"""A mentor's record of their mentoring, for promotion dossiers: read-only, from every domain.

Mentees by academic year, meetings held, goals supported, scholarly outputs with mentees, and what
mentees said in feedback, only as aggregates of at least MIN_FEEDBACK responses.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from mentora.programs.selectors import academic_year_of
from mentora.relationships.models import Relationship

MIN_FEEDBACK = 5


def year_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


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
    feedback_rows: list[dict] = field(default_factory=list)  # only when there are enough responses

    @property
    def feedback_enough(self) -> bool:
        return self.feedback_responses >= MIN_FEEDBACK


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


def mentor_portfolio(*, mentor) -> Portfolio:
    today = timezone.localdate()
    portfolio = Portfolio(mentor_name=mentor.display_name, generated_on=today)
    relationships = list(
        Relationship.objects.filter(mentor=mentor).exclude(status=Relationship.Status.PROPOSED)
        .select_related("mentee", "program").order_by("started_on", "created_at")
    )
    by_year: dict[int, list[dict]] = defaultdict(list)
    for relationship in relationships:
        for year in _years(relationship, today):
            by_year[year].append({
                "mentee": relationship.mentee.display_name, "kind": relationship.get_kind_display(),
                "program": relationship.program.name if relationship.program else "",
                "status": relationship.get_status_display(),
            })
    portfolio.mentees_by_year = [(year_label(y), by_year[y]) for y in sorted(by_year, reverse=True)]
    portfolio.mentee_count = len({r.mentee_id for r in relationships})

    if apps.is_installed("mentora.meetings"):
        Meeting = apps.get_model("meetings", "Meeting")
        held = defaultdict(int)
        for starts_at in Meeting.objects.filter(relationship__mentor=mentor, status="held").values_list(
                "starts_at", flat=True).iterator():
            held[academic_year_of(timezone.localtime(starts_at).date())] += 1
        portfolio.meetings_by_year = [(year_label(y), held[y]) for y in sorted(held, reverse=True)]
        portfolio.meetings_held = sum(held.values())
        _feedback(portfolio, mentor)

    _goals(portfolio, mentor)

    if apps.is_installed("mentora.scholarly"):
        Project = apps.get_model("scholarly", "ScholarlyProject")
        mentee_ids = {r.mentee_id for r in relationships}
        for project in (Project.objects.filter(mentors=mentor).prefetch_related("owners")
                        .order_by("-stage_changed_on")):
            owners = [o.display_name for o in project.owners.all()]
            portfolio.scholarly.append({
                "title": project.title, "kind": project.get_kind_display(), "stage": project.get_stage_display(),
                "venue": project.target_venue, "with": ", ".join(owners),
                "with_mentee": any(o.pk in mentee_ids for o in project.owners.all()),
            })
    return portfolio


def _feedback(portfolio: Portfolio, mentor) -> None:
    from mentora.meetings.selectors import survey_questions

    Response = apps.get_model("meetings", "SurveyResponse")
    responses = list(Response.objects.filter(relationship__mentor=mentor, role="mentee")
                     .values_list("ratings", "program_id"))
    portfolio.feedback_responses = len(responses)
    if len(responses) < MIN_FEEDBACK:
        return
    labels = {}
    for program_id in {p for _r, p in responses}:
        labels.update({q["key"]: q["label"] for q in survey_questions(program_id=program_id)})
    values: dict[str, list[int]] = defaultdict(list)
    for ratings, _program in responses:
        for key, value in (ratings or {}).items():
            if isinstance(value, int) and not isinstance(value, bool):
                values[key].append(value)
    for key, numbers in values.items():
        if len(numbers) >= MIN_FEEDBACK:  # each question is itself an aggregate of at least five
            portfolio.feedback_rows.append({"question": labels.get(key, key.replace("_", " ").capitalize()),
                                            "responses": len(numbers),
                                            "mean": round(sum(numbers) / len(numbers), 1)})


def _goals(portfolio: Portfolio, mentor) -> None:
    """Goals in the learning plans of the mentor's mentees, when the ILP app is installed. Read through
    its models' relations (Goal -> plan -> mentee), so it needs no import of that app's code."""
    if not apps.is_installed("mentora.ilps"):
        return
    try:
        Goal = apps.get_model("ilps", "Goal")
    except LookupError:
        return
    from django.contrib.auth import get_user_model

    User = get_user_model()
    path = None
    for plan_field in Goal._meta.concrete_fields:
        if not plan_field.is_relation or plan_field.related_model is None:
            continue
        for owner in ("mentee", "user", "owner"):
            try:
                owner_field = plan_field.related_model._meta.get_field(owner)
            except Exception:  # noqa: BLE001 — FieldDoesNotExist: try the next name
                continue
            if owner_field.is_relation and owner_field.related_model is User:
                path = f"{plan_field.name}__{owner}_id__in"
                break
        if path:
            break
    if path is None:
        return
    mentee_ids = Relationship.objects.filter(mentor=mentor).exclude(status=Relationship.Status.PROPOSED).values(
        "mentee_id")
    goals = Goal.objects.filter(**{path: mentee_ids})
    has_status = any(f.name == "status" for f in Goal._meta.concrete_fields)
    row = goals.aggregate(total=Count("id"), achieved=Count("id", filter=Q(status="achieved")) if has_status
                          else Count("id", filter=Q(pk__in=[])))
    portfolio.goals_supported = row["total"]
    portfolio.goals_achieved = row["achieved"] if has_status else None
