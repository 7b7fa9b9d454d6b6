"""Reads for batch matching: the cohort, the pool, and the preview with names."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from mentora.directory.matching import user_id_of
from mentora.profiles.models import MentorOffer
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship

from . import permissions
from .models import MatchRun

User = get_user_model()
SENSITIVE = ("gender", "race_ethnicity")
STAFF_SENSITIVE_REASON = "Meets a concordance the mentee asked for"


def run_for(viewer, run_id: int) -> MatchRun:
    return get_object_or_404(permissions.visible_runs(viewer).select_related("program", "created_by"), pk=run_id)


def publish_job(run: MatchRun):
    """The latest publish of this run queued or running (its page links to the progress), or None."""
    from mentora.background.models import Job

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


def preview(run: MatchRun) -> dict[str, Any]:
    """The run's result with people's names, for the preview page and the API."""
    result = run.result or {}
    assignments = result.get("assignments", [])
    unmatched = result.get("unmatched", [])
    ids = {user_id_of(a["mentee"]) for a in assignments} | {user_id_of(a["mentor"]) for a in assignments}
    ids |= {user_id_of(u["mentee"]) for u in unmatched}
    conflicts = result.get("conflicts", [])
    ids |= {user_id_of(c["mentee"]) for c in conflicts} | {user_id_of(c["mentor"]) for c in conflicts}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("profile")}
    rows = []
    for a in assignments:
        # The engine words a sensitive reason for the mentee; staff read whether the concordance was met.
        a = {**a, "reasons": [{**r, "text": STAFF_SENSITIVE_REASON} if r.get("criterion") in SENSITIVE else r
                              for r in a.get("reasons", [])]}
        rows.append({**a, "mentee_user": people.get(user_id_of(a["mentee"])),
                     "mentor_user": people.get(user_id_of(a["mentor"])),
                     "mentee_id": user_id_of(a["mentee"]), "mentor_id": user_id_of(a["mentor"])})
    rows.sort(key=lambda row: (row["mentee_user"].full_name if row["mentee_user"] else "", row["mentee_id"]))
    unmatched_rows = [{**u, "mentee_user": people.get(user_id_of(u["mentee"])), "mentee_id": user_id_of(u["mentee"])}
                      for u in unmatched]
    conflict_rows = [{**c, "mentee_user": people.get(user_id_of(c["mentee"])),
                      "mentor_user": people.get(user_id_of(c["mentor"]))} for c in conflicts]
    return {"rows": rows, "unmatched": unmatched_rows, "summary": result.get("summary", {}),
            "conflicts": conflict_rows}
