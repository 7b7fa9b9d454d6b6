"""Reads about IMG milestones: a mentee's plan, what is coming up, and timeline entries."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .models import PlanMilestone


def milestones_of(*, user) -> QuerySet[PlanMilestone]:
    return PlanMilestone.objects.filter(user=user).order_by("due_on", "id")


def milestones_upcoming(*, user, days: int = 180, limit: int = 5) -> list[PlanMilestone]:
    today = timezone.localdate()
    return list(
        PlanMilestone.objects.filter(
            user=user, status=PlanMilestone.Status.PLANNED, due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=days),
        ).order_by("due_on")[:limit]
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item of a mentee's timeline; other domains (meetings, goals) give the same shape."""

    date: datetime.date
    kind: str
    title: str
    detail: str
    url: str
    status: str


def milestone_timeline(*, user, start: datetime.date | None = None,
                       end: datetime.date | None = None) -> list[TimelineEntry]:
    qs = milestones_of(user=user)
    if start:
        qs = qs.filter(due_on__gte=start)
    if end:
        qs = qs.filter(due_on__lte=end)
    entries = []
    for milestone in qs:
        template = milestone.template
        entries.append(TimelineEntry(
            date=milestone.due_on, kind="milestone", title=template.title, detail=template.date_label,
            url=template.source_url, status=milestone.status,
        ))
        if milestone.window_closes_on:
            entries.append(TimelineEntry(
                date=milestone.window_closes_on, kind="milestone", title=f"{template.title} (window closes)",
                detail="Window closes", url=template.source_url, status=milestone.status,
            ))
    return sorted(entries, key=lambda e: e.date)
