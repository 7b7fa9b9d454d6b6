"""Reads about scholarly projects: boards by stage, stalled projects, pipeline counts."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .models import FINISHED_STAGES, ScholarlyProject, Stage, StageChange


def stalled_after_days() -> int:
    """Days without a stage change after which an unfinished project is flagged as stalled."""
    return int(getattr(settings, "MENTORA_SCHOLARLY_STALLED_DAYS", 90))


def stalled_cutoff(*, days: int | None = None, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=stalled_after_days() if days is None else days)


def stalled_q(*, days: int | None = None, today: datetime.date | None = None, prefix: str = "") -> Q:
    return Q(**{f"{prefix}stage_changed_on__lt": stalled_cutoff(days=days, today=today)}) & ~Q(
        **{f"{prefix}stage__in": FINISHED_STAGES}
    )


def is_stalled(project: ScholarlyProject, *, days: int | None = None, today: datetime.date | None = None) -> bool:
    return project.stage not in FINISHED_STAGES and project.stage_changed_on < stalled_cutoff(days=days, today=today)


@dataclass
class BoardColumn:
    stage: str
    label: str
    cards: list = field(default_factory=list)
    count: int = 0  # every project in the stage, also those not loaded as cards


@dataclass
class Board:
    columns: list[BoardColumn]
    stalled_days: int
    total: int
    stalled: int


def with_people(projects: QuerySet[ScholarlyProject]) -> QuerySet[ScholarlyProject]:
    people = get_user_model().objects.only("id", "full_name", "email")
    return projects.select_related("program").prefetch_related(
        Prefetch("owners", queryset=people), Prefetch("mentors", queryset=people)
    )


def project_board(*, projects: QuerySet[ScholarlyProject], stalled_days: int | None = None,
                  limit_per_stage: int | None = None) -> Board:
    """Projects in columns by stage (oldest stage change first), each card flagged when stalled.

    With `limit_per_stage`, only that many cards per column are loaded (a window function picks
    them in the database); the counts always cover every project.
    """
    days = stalled_after_days() if stalled_days is None else stalled_days
    cutoff = stalled_cutoff(days=days)
    today = timezone.localdate()
    columns = {value: BoardColumn(stage=value, label=label) for value, label in Stage.choices}
    counts = projects.order_by().values("stage").annotate(
        n=Count("id", distinct=True), stalled=Count("id", filter=stalled_q(days=days), distinct=True))
    total = stalled = 0
    for row in counts:
        columns[row["stage"]].count = row["n"]
        total += row["n"]
        stalled += row["stalled"]
    cards = projects.order_by("stage_changed_on", "id")
    if limit_per_stage is not None:
        ranked = projects.annotate(place=Window(RowNumber(), partition_by=F("stage"),
                                                order_by=[F("stage_changed_on").asc(), F("id").asc()]))
        cards = cards.filter(pk__in=ranked.filter(place__lte=limit_per_stage).values("pk"))
    for project in with_people(cards):
        project.is_stalled = project.stage not in FINISHED_STAGES and project.stage_changed_on < cutoff
        project.days_in_stage = (today - project.stage_changed_on).days
        columns[project.stage].cards.append(project)
    return Board(columns=list(columns.values()), stalled_days=days, total=total, stalled=stalled)


def project_detail(*, project_id: int) -> ScholarlyProject:
    return with_people(ScholarlyProject.objects.filter(pk=project_id)).prefetch_related(
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by"))
    ).get()


def pipeline_counts(*, projects: QuerySet[ScholarlyProject], stalled_days: int | None = None) -> dict:
    """Projects per stage and how many are stalled, in one query."""
    stalled = stalled_q(days=stalled_days)
    rows = projects.values("stage").annotate(n=Count("id", distinct=True),
                                             stalled=Count("id", filter=stalled, distinct=True))
    by_stage = {value: {"stage": value, "label": label, "count": 0, "stalled": 0} for value, label in Stage.choices}
    for row in rows.order_by():
        by_stage[row["stage"]]["count"] = row["n"]
        by_stage[row["stage"]]["stalled"] = row["stalled"]
    return {"stages": list(by_stage.values()), "total": sum(r["count"] for r in by_stage.values()),
            "stalled": sum(r["stalled"] for r in by_stage.values())}
