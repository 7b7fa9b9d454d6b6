"""One timeline per mentee: goal target dates, reviews and sign-offs, milestones, mentoring
relationships, and whatever other apps add (meetings).

The timeline merges *event sources*. Each is a function
``timeline_events(*, mentee, viewer) -> Iterable[TimelineEvent]`` that returns the events of one
kind, in a fixed number of queries. The ILP sources live here; any other app plugs in by
providing ``mentora/<app>/timeline.py`` with a ``timeline_events`` function (the meetings app
does this), found by Django's autodiscover_modules like the demo steps.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentora.core.discovery import app_modules
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

from .models import Goal, LearningPlan, Milestone, Review, SignOff
from .permissions import visible_plans
from .selectors import plan_review_due_on

KIND_LABELS = {
    "goal": "Goal", "review": "Review", "sign_off": "Sign-off", "milestone": "Milestone",
    "relationship": "Mentoring", "meeting": "Meeting",
}


@dataclass(frozen=True)
class TimelineEvent:
    on: datetime.date
    kind: str  # goal, review, sign_off, milestone, relationship, meeting, ...
    title: str
    detail: str = ""
    url: str = ""
    done: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())

    @property
    def is_past(self) -> bool:
        return self.on < timezone.localdate()


Source = Callable[..., Iterable[TimelineEvent]]


def _plans(*, mentee, viewer):
    """The mentee's plans this viewer may open: a program's plan shows only to that program's side."""
    return visible_plans(viewer).filter(mentee=mentee).values("pk")


def _relationships(*, mentee, viewer):
    """The mentee's relationships this viewer may see (the meetings app's rule: the two sides,
    coordinators of the relationship's program, site admins)."""
    relationships = Relationship.objects.filter(mentee=mentee)
    if viewer.is_superuser or viewer.pk == mentee.pk:
        return relationships
    return relationships.filter(Q(mentor=viewer) | Q(program_id__in=user_roles(user=viewer).coordinated_program_ids))


def goal_events(*, mentee, viewer) -> Iterable[TimelineEvent]:
    # A goal carried into next year's plan appears once, as the carried copy.
    goals = (Goal.objects.filter(plan__in=_plans(mentee=mentee, viewer=viewer), carried_into__isnull=True)
             .select_related("plan")
             .order_by("target_date"))
    for goal in goals:
        carried = f" · carried from {goal.carried_from_year_label}" if goal.is_carried else ""
        yield TimelineEvent(
            on=goal.target_date, kind="goal", title=f"Goal due: {goal.statement}",
            detail=f"{goal.get_domain_display()} · {goal.get_status_display()} · {goal.percent_done}% done{carried}",
            url=reverse("ilps:ilp_detail", args=[goal.plan_id]) + f"#goal-{goal.pk}",
            done=goal.status == Goal.Status.ACHIEVED,
        )


def review_events(*, mentee, viewer) -> Iterable[TimelineEvent]:
    plans = _plans(mentee=mentee, viewer=viewer)
    for sign_off in SignOff.objects.filter(mentee=mentee, plan__in=plans).select_related("mentor"):
        name = sign_off.mentor.display_name if sign_off.mentor else "a former mentor"
        detail = "Reopened later by a change to the plan" if sign_off.reopened_at else ""
        yield TimelineEvent(
            on=timezone.localdate(sign_off.signed_at), kind="sign_off", title=f"Plan signed off by {name}",
            detail=detail, url=reverse("ilps:ilp_detail", args=[sign_off.plan_id]), done=True,
        )
    for review in Review.objects.filter(plan__in=plans).select_related("reviewer"):
        name = review.reviewer.display_name if review.reviewer else "a former mentor"
        yield TimelineEvent(
            on=review.held_on, kind="review", title=f"Plan reassessed with {name}", detail=review.summary[:200],
            url=reverse("ilps:ilp_detail", args=[review.plan_id]) + "#history", done=True,
        )
    for plan in LearningPlan.objects.filter(pk__in=plans).exclude(status="draft").select_related("program"):
        due = plan_review_due_on(plan)
        if due is not None and due >= timezone.localdate():
            yield TimelineEvent(on=due, kind="review", title="Next review of the plan due",
                                url=reverse("ilps:ilp_detail", args=[plan.pk]))


def milestone_events(*, mentee, viewer) -> Iterable[TimelineEvent]:
    for milestone in Milestone.objects.filter(plan__in=_plans(mentee=mentee, viewer=viewer)):
        yield TimelineEvent(
            on=milestone.completed_on or milestone.due_on, kind="milestone", title=milestone.title,
            detail="Completed" if milestone.completed_on else "", done=milestone.completed_on is not None,
            url=reverse("ilps:ilp_detail", args=[milestone.plan_id]) + "#milestones",
        )


def relationship_events(*, mentee, viewer) -> Iterable[TimelineEvent]:
    relationships = _relationships(mentee=mentee, viewer=viewer).filter(started_on__isnull=False).select_related(
        "mentor")
    for relationship in relationships:
        yield TimelineEvent(
            on=relationship.started_on, kind="relationship", done=True,
            title=f"{relationship.get_kind_display()} mentoring with {relationship.mentor.display_name} began",
        )
        if relationship.ended_on:
            yield TimelineEvent(
                on=relationship.ended_on, kind="relationship", done=True,
                title=f"{relationship.get_kind_display()} mentoring with {relationship.mentor.display_name} ended",
            )


BUILT_IN_SOURCES: tuple[Source, ...] = (
    goal_events, review_events, milestone_events, relationship_events,
)


@cache
def plugged_in_sources() -> tuple[Source, ...]:
    """`timeline_events` of every other Mentora app that has a timeline module (meetings, projects...)."""
    return tuple(
        module.timeline_events for config, module in app_modules("timeline")
        if config.name != __package__ and callable(getattr(module, "timeline_events", None))
    )


_EXAM = re.compile(r"\b(step\s*(?:1|2\s*ck|2|3))\b", re.IGNORECASE)


def _milestone_key(title: str) -> str:
    """What a milestone is about, so a plan's "USMLE Step 3 taken" and the IMG milestone "USMLE Step 3" match."""
    exam = _EXAM.search(title)
    return " ".join(exam.group(1).lower().split()) if exam else title.strip().lower()


def _one_date_per_milestone(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """A step the mentee tracks as an IMG milestone (dated, with its official source) and also lists in a learning
    plan appears once, on the IMG milestone's date; the plan's other date is named in the detail so it can be set
    right, never shown as a second event on another day."""
    official = {_milestone_key(e.title): e for e in events
                if e.kind == "milestone" and e.url.startswith("http") and ":" not in e.title}
    kept, dates_in_plans = [], {}
    for event in events:
        key = _milestone_key(event.title)
        if event.kind == "milestone" and not event.url.startswith("http") and key in official:
            if event.on != official[key].on:
                dates_in_plans.setdefault(key, event.on)
            continue
        kept.append(event)
    return [dataclasses.replace(e, detail=f"{e.detail} · your learning plan gives {dates_in_plans[key]:%-d %b %Y}: "
                                           "change one of them so they agree")
            if e in official.values() and (key := _milestone_key(e.title)) in dates_in_plans else e for e in kept]


def mentee_timeline(
    *, mentee, viewer, sources: Iterable[Source] | None = None,
    start: datetime.date | None = None, end: datetime.date | None = None,
) -> list[TimelineEvent]:
    """All events of a mentee from every source, oldest first. The caller checks the viewer may see it."""
    chosen = tuple(sources) if sources is not None else BUILT_IN_SOURCES + plugged_in_sources()
    events = _one_date_per_milestone([event for source in chosen for event in source(mentee=mentee, viewer=viewer)])
    if start:
        events = [e for e in events if e.on >= start]
    if end:
        events = [e for e in events if e.on <= end]
    return sorted(events, key=lambda e: (e.on, e.kind, e.title))
