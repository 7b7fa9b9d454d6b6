"""Exports over the API: a person's own copy, and a program's data for its coordinators."""

import datetime
from dataclasses import asdict
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from mentora.api.auth import require_scope
from mentora.api.fields import RowId
from mentora.api.pagination import paginated
from mentora.background.api import JobOut, job_accepted
from mentora.background.models import Job
from mentora.core.academic_year import current_academic_year
from mentora.core.errors import StateConflict
from mentora.core.export_registry import export_person, export_program
from mentora.programs.models import Program
from mentora.programs.permissions import can_manage_people
from mentora.programs.selectors import program_roster

from . import permissions
from .forms import MappingForm, UploadForm, ValueMappingForm
from .importer import FIELDS, auto_mapping
from .models import AccountInvitation, ImportBatch
from .reading import FileProblem, read_table
from .selectors import account_invitations, import_history_for
from .services import account_invitations_resend as resend
from .services import (
    import_batch_commit_request,
    import_batch_create,
    import_batch_plan,
    import_batch_set_mapping,
    import_batch_set_value_mapping,
)
from .services import program_person_add as add

router = Router(tags=["export"])


@router.get("/me", response=dict[str, Any], summary="A copy of all my data (needs the export scope)")
def export_me(request):
    require_scope(request, "export")
    return export_person(request.auth)


@router.get("/programs/{program_id}", response=dict[str, Any],
            summary="A program's data for its coordinators (no sensitive attributes; needs the export scope)")
def export_program_data(request, program_id: int, academic_year: int | None = None):
    require_scope(request, "export")
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_manage_program_data(request.auth, program):
        raise PermissionDenied
    year = academic_year if academic_year is not None else current_academic_year()
    if not 2000 <= year <= 2100:
        raise HttpError(422, "The academic year must be between 2000 and 2100.")
    return export_program(program, year)


# --- a program's people, adding one by hand, and the account invitations its imports sent (coordinators) ----

programs_router = Router(tags=["programs"])


class MemberOut(Schema):
    user_id: int
    name: str
    email: str
    role: str
    training_level: str
    academic_year: int


class PersonAddIn(Schema):
    email: str = Field(max_length=254)
    full_name: str = Field("", max_length=200, description="Needed only for someone new to Mentora")
    role: Literal["mentee", "mentor"]
    training_level: str = Field("", description="A training level (pgy1 …, faculty), or empty")
    academic_year: int = Field(description="This academic year or the next")


class PersonAddedOut(Schema):
    email: str
    user_id: int | None
    action: str = Field(description="create (new account, emailed), update, unchanged, invite (an existing "
                                    "account is asked to join), invited (asked already) or declined")


class AccountInvitationOut(Schema):
    id: int
    user_id: int
    name: str
    email: str
    status: str = Field(description="queued, sent, failed, accepted or expired (the link no longer works)")
    round: int = Field(description="How many times it was sent (each resend has a fresh link)")
    sent_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    error: str
    batch_id: int | None


class ResendIn(Schema):
    invitation_ids: list[RowId] | None = Field(None, max_length=5000, description="These invitations …")
    statuses: list[Literal["failed", "expired", "sent"]] | None = Field(None, description="… or all of these")


class ResentOut(Schema):
    resent: int = Field(description="How many go out again (accepted and waiting ones are left alone)")


def _managed(request, program_id: int, rule) -> Program:
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_id)
    if not rule(request.auth, program):
        raise PermissionDenied("Only the program's coordinators manage its people.")
    return program


@programs_router.get("/{program_id}/people", response=list[MemberOut],
                     summary="A program's members of an academic year (its coordinators)")
@paginated
def program_people(request, program_id: int, academic_year: int | None = None,
                   role: Literal["mentee", "mentor", "coordinator", "director"] | None = None,
                   q: str = Query("", max_length=200, description="Part of a name or an email")):
    program = _managed(request, program_id, can_manage_people)
    year = academic_year if academic_year is not None else current_academic_year()
    members = program_roster(program=program, academic_year=year).members
    if role:
        members = members.filter(role=role)
    if q.strip():
        members = members.filter(Q(user__full_name__icontains=q.strip()) | Q(user__email__icontains=q.strip()))
    return [{"user_id": m.user_id, "name": m.user.display_name, "email": m.user.email, "role": m.role,
             "training_level": m.training_level, "academic_year": m.academic_year} for m in members]


class MemberInvitationOut(Schema):
    id: int
    user_id: int
    email: str
    role: str
    training_level: str
    academic_year: int
    status: str = Field(description="pending or declined")
    invited_at: datetime.datetime


@programs_router.get("/{program_id}/people/invited", response=list[MemberInvitationOut],
                     summary="Existing accounts a program asked to join, not (yet) members (its coordinators)")
@paginated
def program_people_invited(request, program_id: int, academic_year: int | None = None):
    program = _managed(request, program_id, can_manage_people)
    year = academic_year if academic_year is not None else current_academic_year()
    # Only the email: someone asked to join has shared nothing else with the program yet.
    return [{"id": i.pk, "user_id": i.user_id, "email": i.user.email, "role": i.role,
             "training_level": i.training_level, "academic_year": i.academic_year, "status": i.status,
             "invited_at": i.invited_at} for i in program_roster(program=program, academic_year=year).invitations]


@programs_router.post("/{program_id}/people", response={201: PersonAddedOut},
                      summary="Add one person to a program by hand, by the import's rules (its coordinators)")
def program_person_add(request, program_id: int, payload: PersonAddIn):
    program = _managed(request, program_id, can_manage_people)
    year = current_academic_year()
    if payload.academic_year not in (year, year + 1):
        raise ValidationError({"academic_year": "Choose this academic year or the next."})
    row = add(program=program, by=request.auth, **payload.dict())
    return 201, {"email": row.email, "user_id": row.user_id, "action": row.action}


@programs_router.get("/{program_id}/account-invitations", response=list[AccountInvitationOut],
                     summary="The account invitations a program's imports sent, by name (its coordinators)")
@paginated
def account_invitation_list(request, program_id: int, status: Literal[
        "queued", "sent", "failed", "accepted", "expired"] | None = None, batch_id: int | None = None):
    program = _managed(request, program_id, permissions.can_manage_program_data)
    batch = get_object_or_404(ImportBatch, pk=batch_id, program=program) if batch_id is not None else None
    rows = account_invitations(program=program, batch=batch).select_related("user").order_by("user__full_name", "pk")
    if status:
        rows = rows.filter(shown_status=status)
    return [{"id": i.pk, "user_id": i.user_id, "name": i.user.display_name, "email": i.user.email,
             "status": i.shown_status, "round": i.round, "sent_at": i.shown_sent_at, "accepted_at": i.accepted_at,
             "error": i.error, "batch_id": i.batch_id} for i in rows]


@programs_router.post("/{program_id}/account-invitations/resend", response=ResentOut,
                      summary="Send chosen invitations (or all failed / expired ones) again, each with a new link")
def account_invitations_resend(request, program_id: int, payload: ResendIn):
    program = _managed(request, program_id, permissions.can_manage_program_data)
    if not payload.invitation_ids and not payload.statuses:
        raise ValidationError({"invitation_ids": "Choose the invitations to send again, or the statuses."})
    return {"resent": resend(program=program, by=request.auth, invitation_ids=payload.invitation_ids or None,
                             statuses=payload.statuses or None)}


@programs_router.post("/{program_id}/account-invitations/{invitation_id}/resend", response=ResentOut,
                      summary="Send one invitation again, with a new password link")
def account_invitation_resend(request, program_id: int, invitation_id: int):
    program = _managed(request, program_id, permissions.can_manage_program_data)
    get_object_or_404(AccountInvitation, pk=invitation_id, program=program)
    return {"resent": resend(program=program, by=request.auth, invitation_ids=[invitation_id])}


# --- imports: upload a roster, map its columns, preview (a dry run), commit (a job); the history -----------

imports_router = Router(tags=["import"])


class ImportOut(Schema):
    id: int
    program_id: int
    kind: str = Field(description="What the file holds (mentees, mentors, memberships …)")
    academic_year: int
    filename: str
    created_by_id: int | None
    created_at: datetime.datetime
    committed_at: datetime.datetime | None
    outcome: str
    summary: dict[str, Any] = Field(description="What the commit did, once committed")


class ImportRowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportPreviewOut(ImportOut):
    header: list[str] = Field(description="The file's columns")
    mapping: dict[str, str] = Field(description="Mentora's field -> the file's column (guessed until set)")
    unmapped_columns: list[str]
    counts: dict[str, int] = Field(description="Rows per action: create, update, unchanged, invite …")
    ok: bool = Field(description="No problem: it may be committed")
    skippable: bool = Field(description="Some rows have problems: the good ones may be committed on purpose")
    file_errors: list[str]
    errors: list[ImportRowErrorOut] = Field(description="Problems per row (the first 500)")
    unknown_values: dict[str, dict[str, str]] = Field(
        description="Per field, values Mentora does not know (key -> as written): map them with PUT …/value-mapping")
    rows: list[dict[str, Any]] = Field(description="The first 100 rows as they would be imported")
    job_id: int | None = Field(description="The commit job queued or running, if any")


class MappingIn(Schema):
    mapping: dict[str, str] = Field(description="Mentora's field -> the file's column (email is required)")


class ValueMappingIn(Schema):
    value_mapping: dict[str, dict[str, str]] = Field(
        description="Per field, unknown value key -> one of Mentora's values, or \"-\" to leave it empty")


class CommitIn(Schema):
    skip_errors: bool = Field(False, description="Commit the good rows and leave out those with problems")


def _import_out(batch) -> dict:
    return {"id": batch.pk, "program_id": batch.program_id, "kind": batch.kind, "academic_year": batch.academic_year,
            "filename": batch.filename, "created_by_id": batch.created_by_id, "created_at": batch.created_at,
            "committed_at": batch.committed_at, "outcome": batch.outcome_label, "summary": batch.summary or {}}


def _import_for(request, batch_id: int):
    batch = get_object_or_404(ImportBatch.objects.select_related("program").defer("content"), pk=batch_id)
    if not permissions.can_manage_program_data(request.auth, batch.program):
        raise PermissionDenied("Only the program's coordinators see its imports.")
    return ImportBatch.objects.select_related("program").get(pk=batch.pk)


def _preview(batch) -> dict:
    out = _import_out(batch)
    sheet = read_table(batch.filename, bytes(batch.content))
    plan = import_batch_plan(batch=batch)
    job = Job.objects.filter(kind=Job.Kind.IMPORT, params__batch_id=batch.pk,
                             status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).values_list("pk", flat=True).first()
    return {**out, "header": sheet.header, "mapping": plan.mapping or batch.mapping or auto_mapping(sheet.header),
            "unmapped_columns": plan.unmapped_columns, "counts": plan.counts(), "ok": plan.ok,
            "skippable": plan.skippable, "file_errors": plan.file_errors,
            "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in plan.errors[:500]],
            "unknown_values": {target: {key: written for key, (written, _n) in values.items()}
                               for target, values in plan.unknown_values.items()},
            "rows": [asdict(row) for row in plan.rows[:100]], "job_id": job}


@imports_router.get("", response=list[ImportOut],
                    summary="Every import into the programs I coordinate, newest first (who, which file, outcome)")
@paginated
def import_history(request, program_id: int | None = None):
    if not permissions.can_use_import(request.auth):
        raise PermissionDenied("Imports are for program coordinators.")
    batches = import_history_for(user=request.auth).select_related("program")
    if program_id is not None:
        batches = batches.filter(program_id=program_id)
    return [_import_out(batch) for batch in batches.order_by("-created_at", "-pk")]


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["program_id", "kind", "academic_year", "file"],
    "properties": {"program_id": {"type": "integer"},
                   "kind": {"type": "string", "description": "mentees, mentors or memberships"},
                   "academic_year": {"type": "integer", "description": "This academic year or the next"},
                   "file": {"type": "string", "format": "binary", "description": ".csv or .xlsx, at most 10 MB"}},
}}}}}


@imports_router.post("", response={201: ImportPreviewOut}, openapi_extra=UPLOAD_BODY,
                     summary="Upload a roster (.csv or .xlsx) for a program: answers its preview (nothing imported)")
def import_start(request):
    if not permissions.can_use_import(request.auth):
        raise PermissionDenied("Imports are for program coordinators.")
    form = UploadForm({"program": request.POST.get("program_id", ""), "kind": request.POST.get("kind", ""),
                       "academic_year": request.POST.get("academic_year", "")}, request.FILES, user=request.auth)
    if not form.is_valid():  # the page's rules: one's own programs, this year or the next, a csv/xlsx file
        raise ValidationError({("program_id" if f == "program" else f): e for f, e in form.errors.items()})
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        read_table(upload.name, content)
    except FileProblem as problem:
        raise ValidationError({"file": str(problem)}) from None
    batch = import_batch_create(program=form.cleaned_data["program"], by=request.auth,
                                kind=form.cleaned_data["kind"], academic_year=form.cleaned_data["academic_year"],
                                filename=upload.name, content=content)
    return 201, _preview(batch)


@imports_router.get("/{batch_id}", response=ImportPreviewOut,
                    summary="An import's preview: the mapping, each row's action and every problem (a dry run)")
def import_preview(request, batch_id: int):
    return _preview(_import_for(request, batch_id))


def _not_committed(batch) -> None:
    if batch.committed_at is not None:
        raise StateConflict("This file was imported already.")


@imports_router.put("/{batch_id}/mapping", response=ImportPreviewOut,
                    summary="Which column of the file feeds which field of Mentora")
def import_mapping(request, batch_id: int, payload: MappingIn):
    batch = _import_for(request, batch_id)
    _not_committed(batch)
    unknown = sorted(set(payload.mapping) - set(FIELDS))
    if unknown:
        raise ValidationError({"mapping": f"Unknown fields: {', '.join(unknown)}."})
    form = MappingForm(payload.mapping, header=read_table(batch.filename, bytes(batch.content)).header,
                       initial_mapping={})
    if not form.is_valid():  # the page's rules: the file's columns, each feeding one field, email required
        raise ValidationError({f"mapping.{f}" if f != "__all__" else "mapping": e for f, e in form.errors.items()})
    import_batch_set_mapping(batch=batch, mapping=form.mapping())
    return _preview(batch)


@imports_router.put("/{batch_id}/value-mapping", response=ImportPreviewOut,
                    summary="Say which of Mentora's values an unknown value of the file is (or leave it empty)")
def import_value_mapping(request, batch_id: int, payload: ValueMappingIn):
    batch = _import_for(request, batch_id)
    _not_committed(batch)
    unknown = import_batch_plan(batch=batch).unknown_values
    chosen = {target: values for target, values in payload.value_mapping.items() if target in unknown}
    data = {f"value-{target}-{key}": value for target, values in chosen.items() for key, value in values.items()}
    form = ValueMappingForm(data, unknown={t: {k: v for k, v in unknown[t].items() if k in chosen[t]}
                                           for t in chosen}, initial_mapping={})
    if not form.is_valid():
        raise ValidationError({"value_mapping": [str(e) for errors in form.errors.values() for e in errors]})
    import_batch_set_value_mapping(batch=batch, value_mapping=form.value_mapping())
    return _preview(batch)


@imports_router.post("/{batch_id}/commit", response={202: JobOut},
                     summary="Import the previewed file in the background (answers 202 with the job to poll)")
def import_commit(request, batch_id: int, payload: CommitIn, response: HttpResponse):
    batch = _import_for(request, batch_id)
    _not_committed(batch)
    plan = import_batch_plan(batch=batch)
    if not (plan.ok or (payload.skip_errors and plan.skippable)):
        raise ValidationError("Nothing was imported: fix the problems of the preview and upload the file again"
                              + (", or commit with skip_errors." if plan.skippable else "."))
    job = import_batch_commit_request(batch=batch, by=request.auth, skip_errors=payload.skip_errors)
    return job_accepted(job, response)
