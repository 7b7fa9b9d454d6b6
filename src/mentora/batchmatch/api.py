"""Batch match runs over the API, for the programs the caller coordinates."""


from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mentora.api.pagination import paginated
from mentora.background.api import JobOut, job_accepted
from mentora.directory.matching import user_id_of
from mentora.programs.models import Program

from . import permissions, selectors, services
from .models import MatchRun

router = Router(tags=["batch matching"])
EQUAL_WEIGHTS_WARNING = ("All weights are zero: every pair scores the same, so the pairs are one arbitrary choice "
                         "among equal ones.")


class RunIn(Schema):
    program_id: int
    kind: str = "career"
    cohort: str = MatchRun.Cohort.WITHOUT_MENTOR.value
    pool: str = MatchRun.Pool.PROGRAM.value
    algorithm: str = MatchRun.Algorithm.OPTIMAL.value
    weights: dict[str, float] = Field(default_factory=dict)
    exclude_previous: bool = True
    institution_rule: str = MatchRun.InstitutionRule.ANY.value


class PairOut(Schema):
    mentee_id: int
    mentor_id: int
    score: float
    locked: bool
    reasons: list[dict[str, Any]]


class UnmatchedOut(Schema):
    mentee_id: int
    reason: str


class ConflictOut(Schema):
    mentee_id: int
    mentor_id: int
    reasons: list[str] = Field(..., description="Why the mentor also evaluates the mentee")
    kept_reason: str | None = Field(None, description="Why the coordinator kept this pair; empty: kept apart")


class RunOut(Schema):
    warnings: list[str] = Field(default_factory=list, description="What the coordinator should know before publishing")
    id: int
    program_id: int
    kind: str
    cohort: str
    pool: str
    algorithm: str
    status: str
    progress: int
    phase: str
    error: str
    created_at: datetime
    published_at: datetime | None
    summary: dict[str, Any] | None
    pairs: list[PairOut]
    unmatched: list[UnmatchedOut]
    conflicts: list[ConflictOut] = Field(
        default_factory=list,
        description=f"The first {selectors.CONFLICTS_PAGE_SIZE} conflict-of-interest pairs the run kept apart "
                    "(never matched, never published), by mentee then mentor; every one of them, page by page, "
                    "at GET /api/match-runs/{id}/conflicts")
    conflicts_count: int = Field(0, description="How many conflict-of-interest pairs the run kept apart")


class EditIn(Schema):
    action: str = Field(..., description="lock, unlock, remove, undo (a removal), swap, assign (a mentor "
                                         "with a free place to an unmatched mentee), or keep (a conflict-of-interest "
                                         "pair, with a reason, where the program's policy allows it)")
    mentee_id: int
    other_mentee_id: int | None = None
    mentor_id: int | None = None
    reason: str = Field("", max_length=1000, description="Why a conflict-of-interest pair is kept (action keep)")


def _conflict_shape(run: MatchRun):
    """Each stored conflict pair as the API lists it, with the coordinator's reason where they kept it."""
    kept = {(int(k["mentee"]), int(k["mentor"])): k.get("reason", "") for k in run.kept_conflicts or []}

    def shape(conflict: dict[str, Any]) -> dict[str, Any]:
        mentee_id, mentor_id = user_id_of(conflict["mentee"]), user_id_of(conflict["mentor"])
        return {"mentee_id": mentee_id, "mentor_id": mentor_id, "reasons": conflict["reasons"],
                "kept_reason": kept.get((mentee_id, mentor_id))}

    return shape


def _run_out(run: MatchRun) -> dict:
    result = run.result or {}
    warnings = [EQUAL_WEIGHTS_WARNING] if services.all_weights_zero(run.weights) else []
    conflicts = selectors.run_conflicts(run, _conflict_shape(run))
    return {
        "warnings": warnings,
        "id": run.pk, "program_id": run.program_id, "kind": run.kind, "cohort": run.cohort, "pool": run.pool,
        "algorithm": run.algorithm, "status": run.status, "progress": run.progress, "phase": run.phase,
        "error": run.error, "created_at": run.created_at, "published_at": run.published_at,
        "summary": result.get("summary") or None,
        "pairs": [{"mentee_id": r["mentee_id"], "mentor_id": r["mentor_id"], "score": r["score"],
                   "locked": bool(r.get("locked")), "reasons": r["reasons"]} for r in selectors.assignments(run)],
        "unmatched": [{"mentee_id": u["mentee_id"], "reason": u["reason"]} for u in selectors.unmatched(run)],
        "conflicts": conflicts[:selectors.CONFLICTS_PAGE_SIZE],
        "conflicts_count": len(conflicts),
    }


class RunListOut(Schema):
    id: int
    program_id: int
    kind: str
    algorithm: str
    status: str
    progress: int
    created_at: datetime


@router.get("", response=list[RunListOut], summary="Batch match runs of my programs")
@paginated
def run_list(request):
    return permissions.visible_runs(request.auth).order_by("-created_at", "-pk")


@router.post("", response={202: RunOut}, summary="Start a batch match (runs in the background)")
def run_create(request, payload: RunIn):
    program = get_object_or_404(Program, pk=payload.program_id)
    if not permissions.can_run_for_program(request.auth, program.pk):
        raise PermissionDenied
    run = services.match_run_create(program=program, by=request.auth, **payload.dict(exclude={"program_id"}))
    run.refresh_from_db()
    return 202, _run_out(run)


@router.get("/{run_id}", response=RunOut, summary="A run: progress, then the preview")
def run_detail(request, run_id: int):
    return _run_out(selectors.run_for(request.auth, run_id))


@router.get("/{run_id}/conflicts", response=list[ConflictOut],
            summary="The conflict-of-interest pairs a run kept apart, page by page",
            description="Every pair where the mentor also evaluates the mentee, by mentee then mentor, with why "
                        "and, where the coordinator kept the pair, their reason.")
@paginated
def run_conflict_list(request, run_id: int):
    run = selectors.run_for(request.auth, run_id)
    return selectors.run_conflicts(run, _conflict_shape(run))


@router.post("/{run_id}/edit", response=RunOut, summary="Lock, unlock, remove or swap pairs in the preview")
def run_edit(request, run_id: int, payload: EditIn):
    run = selectors.run_for(request.auth, run_id)
    run = services.match_run_edit(run_id=run.pk, by=request.auth, action=payload.action,
                                  mentee_id=payload.mentee_id, other_mentee_id=payload.other_mentee_id,
                                  mentor_id=payload.mentor_id, reason=payload.reason)
    return _run_out(run)


@router.post("/{run_id}/rerun", response={202: RunOut}, summary="Run again, keeping locks and exclusions")
def run_rerun(request, run_id: int):
    run = selectors.run_for(request.auth, run_id)
    services.match_run_rerun(run_id=run.pk, by=request.auth)
    return 202, _run_out(selectors.run_for(request.auth, run_id))


@router.post("/{run_id}/publish", response={202: JobOut},
             summary="Publish the preview in the background: create the relationships and notify both sides",
             description="Queues the publish (the same job as the run's page) and answers 202 with the job; "
                         "poll its `status_url` (also in `Location`) until `status` is done (`result` says how "
                         "many relationships were created) or failed (`error`). Asking again while it is queued "
                         "or running answers the same job.")
def run_publish(request, run_id: int, response: HttpResponse):
    run = selectors.run_for(request.auth, run_id)
    job = services.match_run_publish_request(run_id=run.pk, by=request.auth)
    return job_accepted(job, response)
