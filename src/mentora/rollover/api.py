"""The academic-year rollover over the API: a program's preview (what happens to each member), the
coordinator's exceptions, the confirmation that queues the rollover job, and each side's answer to
whether their relationship continues. The same plan, services and rules as the pages."""

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mentora.api.fields import RowId
from mentora.api.pagination import paginated
from mentora.background.api import JobOut, job_accepted
from mentora.background.models import Job
from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Program

from . import permissions
from .models import RelationshipRenewal
from .plan import rollover_plan
from .services import renewal_answer, rollover_override_set, rollover_request

router = Router(tags=["rollover"])


class RolloverOut(Schema):
    program_id: int
    from_year: int
    to_year: int
    counts: dict[str, int] = Field(description="People per action (advance, graduate, carry, leave, already), "
                                               "relationships to ask, plans to open, goals to carry")
    already_committed: bool
    partly_committed: bool = Field(description="Started and not finished: it runs again to the end when confirmed")
    running_job_id: int | None = Field(description="The rollover job queued or running now, if any")


class StepOut(Schema):
    membership_id: int
    user_id: int
    person: str
    role: str
    level: str
    action: str = Field(description="advance, graduate, carry, leave or already")
    next_level: str
    override: str = Field(description="The coordinator's exception (repeat, leave, graduate), or empty")


class RenewalOut(Schema):
    id: int
    relationship_id: int
    mentee_id: int
    mentor_id: int
    academic_year: int = Field(description="The year the relationship would continue into")
    mentee_answer: str
    mentor_answer: str
    change_note: str
    outcome: str = Field(description="continue, change, close or pending")


class OverrideIn(Schema):
    membership_ids: list[RowId] = Field(min_length=1, max_length=5000)
    action: Literal["repeat", "leave", "graduate", "none"] = Field(description="none removes the exception")


class ChangedOut(Schema):
    changed: int


class ConfirmIn(Schema):
    confirm: bool = Field(description="true: roll the program over into the next academic year")


class RenewalAnswerIn(Schema):
    answer: str = Field(max_length=20, description="continue, change or close (checked after who may answer)")
    note: str = Field("", max_length=1000)


def _program(request, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_roll_over(request.auth, program):
        raise PermissionDenied("Only the program's coordinators roll it over.")
    return program


@router.get("/programs/{slug}", response=RolloverOut, summary="A program's rollover into next year: the preview")
def rollover_preview(request, slug: str):
    program = _program(request, slug)
    from_year = current_academic_year()
    plan = rollover_plan(program=program, from_year=from_year)
    running = Job.objects.filter(kind=Job.Kind.ROLLOVER, program=program, params__from_year=from_year,
                                 status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).values_list("pk", flat=True).first()
    return {"program_id": program.pk, "from_year": from_year, "to_year": plan.to_year, "counts": plan.counts,
            "already_committed": plan.already_committed, "partly_committed": plan.partly_committed,
            "running_job_id": running}


@router.get("/programs/{slug}/steps", response=list[StepOut],
            summary="What the rollover does to each member, by role and name")
@paginated
def rollover_steps(request, slug: str, action: Literal["advance", "graduate", "carry", "leave", "already"] | None = None,
                   role: Literal["mentee", "mentor", "coordinator", "director"] | None = None):
    program = _program(request, slug)
    steps = rollover_plan(program=program, from_year=current_academic_year()).steps
    return [vars(step) for step in sorted(steps, key=lambda s: (s.role, s.person.casefold(), s.membership_id))
            if (action is None or step.action == action) and (role is None or step.role == role)]


def _renewal_out(item: RelationshipRenewal) -> dict:
    relationship = item.relationship
    return {"id": item.pk, "relationship_id": relationship.pk, "mentee_id": relationship.mentee_id,
            "mentor_id": relationship.mentor_id, "academic_year": item.academic_year,
            "mentee_answer": item.mentee_answer, "mentor_answer": item.mentor_answer,
            "change_note": item.change_note, "outcome": item.outcome}


@router.get("/programs/{slug}/renewals", response=list[RenewalOut],
            summary="Whether each relationship continues next year: both sides' answers")
@paginated
def rollover_renewals(request, slug: str, outcome: Literal["continue", "change", "close", "pending"] | None = None):
    program = _program(request, slug)
    items = (RelationshipRenewal.objects.filter(relationship__program=program, academic_year=current_academic_year() + 1)
             .select_related("relationship").order_by("pk"))
    return [_renewal_out(item) for item in items if outcome is None or item.outcome == outcome]


@router.post("/programs/{slug}/overrides", response=ChangedOut,
             summary="Exceptions for members: repeats the year, leaves, graduates (or none to remove)")
def rollover_overrides(request, slug: str, payload: OverrideIn):
    program = _program(request, slug)
    return {"changed": rollover_override_set(by=request.auth, program=program, from_year=current_academic_year(),
                                             membership_ids=payload.membership_ids, action=payload.action)}


@router.post("/programs/{slug}/commit", response={202: JobOut},
             summary="Confirm: roll the program over in the background (answers 202 with the job to poll)")
def rollover_commit(request, slug: str, payload: ConfirmIn, response: HttpResponse):
    program = _program(request, slug)
    if not payload.confirm:
        raise ValidationError({"confirm": "Confirm the rollover (true)."})
    job = rollover_request(program=program, from_year=current_academic_year(), by=request.auth)
    return job_accepted(job, response)


def _renewal(request, renewal_id: int) -> RelationshipRenewal:
    item = get_object_or_404(RelationshipRenewal.objects.select_related(
        "relationship__mentee", "relationship__mentor", "relationship__program"), pk=renewal_id)
    if not permissions.can_answer_renewal(request.auth, item):
        raise PermissionDenied("Only the mentee and the mentor answer.")
    return item


@router.get("/renewals/{renewal_id}", response=RenewalOut, summary="Does our relationship continue next year?")
def renewal_detail(request, renewal_id: int):
    return _renewal_out(_renewal(request, renewal_id))


@router.post("/renewals/{renewal_id}/answer", response=RenewalOut,
             summary="My answer: continue, change (with a note) or close")
def renewal_answer_set(request, renewal_id: int, payload: RenewalAnswerIn):
    item = renewal_answer(renewal=_renewal(request, renewal_id), by=request.auth, answer=payload.answer,
                          note=payload.note)
    return _renewal_out(item)
