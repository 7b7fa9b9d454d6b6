"""Reads for batch matching: the cohort, the pool, and the preview with names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import get_object_or_404

from mentora.background.models import Job
from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.directory.matching import person_key, user_id_of
from mentora.profiles.models import MentorOffer
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load

from . import permissions
from .models import MatchConflictPage, MatchRun

User = get_user_model()
STAFF_SENSITIVE_REASON = "Meets a concordance the mentee asked for"


def run_for(viewer, run_id: int) -> MatchRun:
    return get_object_or_404(permissions.visible_runs(viewer).select_related("program", "created_by"), pk=run_id)


def publish_job(run: MatchRun):
    """The latest publish of this run queued or running (its page links to the progress), or None."""
    return Job.objects.filter(kind=Job.Kind.MATCH_PUBLISH, params__run_id=run.pk,
                              status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).order_by("-created_at").first()


def cohort_users(run: MatchRun) -> QuerySet:
    members = Membership.objects.filter(
        program=run.program, academic_year=run.academic_year, role=Membership.Role.MENTEE, is_active=True
    ).values("user_id")
    users = User.objects.filter(pk__in=members, is_active=True)
    if run.cohort == MatchRun.Cohort.WITHOUT_MENTOR:
        matched = Relationship.objects.filter(kind=run.kind, status__in=Relationship.OPEN_STATUSES).values("mentee_id")
        users = users.exclude(pk__in=matched)
    return users.order_by("pk")


def pool_offers(run: MatchRun) -> QuerySet[MentorOffer]:
    offers = MentorOffer.objects.filter(accepting_new_mentees=True, user__is_active=True)
    if run.pool == MatchRun.Pool.PROGRAM:
        members = Membership.objects.filter(
            program=run.program, academic_year=run.academic_year, role=Membership.Role.MENTOR, is_active=True
        ).values("user_id")
        offers = offers.filter(user_id__in=members)
    elif run.program.network_id:
        offers = offers.filter(user__mentor_networks=run.program.network_id)
    else:
        offers = offers.none()
    return offers.order_by("user_id")


PAGE_SIZE = 50
# Conflict pairs are listed this many to a page (every one of them, page by page, here and in the API).
CONFLICTS_PAGE_SIZE = 50
CHOICES_PAGE_SIZE = 20


def assignments(run: MatchRun) -> list[dict[str, Any]]:
    """Every pair of the preview (for the API and exports), in the engine's shape, by mentee."""
    return [{"mentee": person_key(mentee), "mentor": person_key(mentor), "score": score, "reasons": reasons,
             "locked": locked, "mentee_id": mentee, "mentor_id": mentor}
            for mentee, mentor, score, reasons, locked in run.pairs.filter(mentor__isnull=False).order_by(
                "mentee_id").values_list("mentee_id", "mentor_id", "score", "reasons", "locked")]


def unmatched(run: MatchRun) -> list[dict[str, Any]]:
    """Every unmatched mentee of the preview and why, by mentee."""
    return [{"mentee": person_key(mentee), "mentee_id": mentee, "reason": reason, "removed": bool(removed)}
            for mentee, reason, removed in run.pairs.filter(mentor__isnull=True).order_by("mentee_id").values_list(
                "mentee_id", "unmatched_reason", "removed")]


class RunConflicts:
    """The conflict-of-interest pairs a run kept apart, as a list a Paginator (or the API's pagination) slices:
    its length is the stored count, and a slice reads only the stored pages covering it (one page of the
    preview is one stored page), in the order of the list, by mentee then mentor."""

    def __init__(self, run: MatchRun, shape: Callable[[dict[str, Any]], Any] | None = None) -> None:
        self.run, self.shape = run, shape
        self.total = int((run.result or {}).get("conflicts_total") or 0)

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("The run's conflict pairs are read a range at a time.")
        start, stop, _ = key.indices(self.total)
        if start >= stop:
            return []
        size = MatchConflictPage.SIZE
        first, last = start // size + 1, (stop - 1) // size + 1
        read = [c for page in MatchConflictPage.objects.filter(run_id=self.run.pk, number__range=(first, last))
                .order_by("number").values_list("conflicts", flat=True) for c in page]
        found = read[start - (first - 1) * size: stop - (first - 1) * size]
        return [self.shape(c) for c in found] if self.shape else found


def run_conflicts(run: MatchRun, shape: Callable[[dict[str, Any]], Any] | None = None) -> RunConflicts:
    """The run's conflict pairs kept apart, read a range at a time ({"mentee", "mentor", "reasons"} each, or
    what `shape` makes of each)."""
    return RunConflicts(run, shape)


def people_labels(user_ids, academic_year: int) -> dict[int, dict[str, Any]]:
    """Name, training level and programs of each person, so that namesakes can be told apart.

    Two queries whatever the number of people asked for (a page's worth)."""
    people = {u.pk: u for u in User.objects.filter(pk__in=set(user_ids)).select_related("profile__institution")}
    programs: dict[int, list[str]] = {}
    levels: dict[int, str] = {}
    for user_id, program, level in Membership.objects.filter(
            user_id__in=list(people), academic_year=academic_year, is_active=True).order_by(
            "program__name", "pk").values_list("user_id", "program__name", "training_level"):
        if program not in programs.setdefault(user_id, []):
            programs[user_id].append(program)
        if level and user_id not in levels:
            levels[user_id] = level
    labels = {}
    for pk, user in people.items():
        profile = getattr(user, "profile", None)
        level = levels.get(pk) or (profile.training_level if profile else "")
        details = [TRAINING_LEVELS.get(level, "")] if level else []
        details += programs.get(pk, [])
        if profile is not None and profile.institution_id:
            details.append(profile.institution.name)
        labels[pk] = {"user": user, "name": user.display_name, "details": " · ".join(d for d in details if d)}
    return labels


def _page(queryset, number, size: int) -> Page:
    return Paginator(queryset, size).get_page(number)


def preview(run: MatchRun, *, page=1, unmatched_page=1, conflicts_page=1, search: str = "") -> dict[str, Any]:
    """One page of the preview for the run's page: the stored pairs and unmatched mentees with who
    they are, the stored summary and one page of the conflict-of-interest pairs (kept apart, or kept by the
    coordinator with a reason).

    The work is a page's: a count and a slice per list, and two queries for the people on them,
    whatever the size of the run; nothing is scored here (scores and reasons were stored by the run).
    """
    result = run.result or {}
    rows = run.pairs.order_by("sort_name", "mentee_id")
    if search:
        rows = rows.filter(sort_name__icontains=search.strip()[:100])
    pairs = _page(rows.filter(mentor__isnull=False), page, PAGE_SIZE)
    unmatched_rows = _page(rows.filter(mentor__isnull=True), unmatched_page, PAGE_SIZE)
    all_conflicts = run_conflicts(run)
    conflicts = Paginator(all_conflicts, CONFLICTS_PAGE_SIZE).get_page(conflicts_page)
    kept = {(mentee, mentor): note for mentee, mentor, note in run.pairs.filter(conflict_kept__isnull=False)
            .values_list("mentee_id", "mentor_id", "conflict_kept")}
    ids = {p.mentee_id for p in pairs} | {p.mentor_id for p in pairs} | {p.mentee_id for p in unmatched_rows}
    ids |= {user_id_of(c["mentee"]) for c in conflicts} | {user_id_of(c["mentor"]) for c in conflicts}
    labels = people_labels(ids, run.academic_year)
    for row in pairs:
        row.mentee_label, row.mentor_label = labels.get(row.mentee_id), labels.get(row.mentor_id)
    for row in unmatched_rows:
        row.mentee_label = labels.get(row.mentee_id)
    conflicts.object_list = [
        {**c, "mentee_id": user_id_of(c["mentee"]), "mentor_id": user_id_of(c["mentor"]),
         "mentee_label": labels.get(user_id_of(c["mentee"])), "mentor_label": labels.get(user_id_of(c["mentor"])),
         "kept": kept.get((user_id_of(c["mentee"]), user_id_of(c["mentor"])))} for c in conflicts]
    return {"rows": pairs, "unmatched": unmatched_rows, "summary": result.get("summary", {}),
            "conflicts": conflicts, "conflicts_total": len(all_conflicts), "search": search}


def swap_choices(run: MatchRun, row, *, page=1, search: str = "") -> Page:
    """The other pairs a pair can swap mentors with: one row per pair, never one with the same mentor
    (a swap would change nothing), a page at a time, each person told apart from namesakes."""
    others = run.pairs.filter(mentor__isnull=False).exclude(mentee_id=row.mentee_id).exclude(
        mentor_id=row.mentor_id).order_by("sort_name", "mentee_id")
    if search:
        others = others.filter(sort_name__icontains=search.strip()[:100])
    choices = _page(others, page, CHOICES_PAGE_SIZE)
    labels = people_labels({c.mentee_id for c in choices} | {c.mentor_id for c in choices}, run.academic_year)
    for choice in choices:
        choice.mentee_label, choice.mentor_label = labels.get(choice.mentee_id), labels.get(choice.mentor_id)
    return choices


def mentor_choices(run: MatchRun, *, page=1, search: str = "") -> Page:
    """The pool's mentors who still have a free place beside this preview, a page at a time, by name."""
    in_run = run.pairs.filter(mentor_id=OuterRef("user_id")).order_by().values("mentor_id").annotate(
        n=Count("id")).values("n")
    offers = pool_offers(run).annotate(
        taken=mentor_load(outer_ref="user_id")
        + Coalesce(Subquery(in_run, output_field=IntegerField()), Value(0)),
        # Offers without kinds offer every kind (as in the run's pool); the JSON list read as text
        # works alike on SQLite and PostgreSQL.
        kinds_text=Cast("kinds_offered", TextField()),
    ).filter(Q(kinds_text__contains=f'"{run.kind}"') | Q(kinds_text="[]"), capacity__gt=F("taken")).order_by(
        "user__full_name", "user_id")
    if search:
        offers = offers.filter(user__full_name__icontains=search.strip()[:100])
    choices = _page(offers, page, CHOICES_PAGE_SIZE)
    labels = people_labels({offer.user_id for offer in choices}, run.academic_year)
    for offer in choices:
        offer.mentor_label = labels.get(offer.user_id)
        offer.free = offer.capacity - offer.taken
    return choices
