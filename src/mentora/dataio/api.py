"""Exports over the API: a person's own copy, and a program's data for its coordinators."""

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from mentora.api.auth import require_scope
from mentora.api.pagination import paginated
from mentora.core.academic_year import current_academic_year
from mentora.core.export_registry import export_person, export_program
from mentora.programs.models import Program

from . import permissions

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
        from ninja.errors import HttpError

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
    invitation_ids: list[int] | None = Field(None, max_length=5000, description="These invitations …")
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
    from mentora.programs.permissions import can_manage_people
    from mentora.programs.selectors import program_roster

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
    from mentora.programs.permissions import can_manage_people
    from mentora.programs.selectors import program_roster

    program = _managed(request, program_id, can_manage_people)
    year = academic_year if academic_year is not None else current_academic_year()
    # Only the email: someone asked to join has shared nothing else with the program yet.
    return [{"id": i.pk, "user_id": i.user_id, "email": i.user.email, "role": i.role,
             "training_level": i.training_level, "academic_year": i.academic_year, "status": i.status,
             "invited_at": i.invited_at} for i in program_roster(program=program, academic_year=year).invitations]


@programs_router.post("/{program_id}/people", response={201: PersonAddedOut},
                      summary="Add one person to a program by hand, by the import's rules (its coordinators)")
def program_person_add(request, program_id: int, payload: PersonAddIn):
    from mentora.programs.permissions import can_manage_people

    from .services import program_person_add as add

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
    from .models import ImportBatch
    from .selectors import account_invitations

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
    from .services import account_invitations_resend as resend

    program = _managed(request, program_id, permissions.can_manage_program_data)
    if not payload.invitation_ids and not payload.statuses:
        raise ValidationError({"invitation_ids": "Choose the invitations to send again, or the statuses."})
    return {"resent": resend(program=program, by=request.auth, invitation_ids=payload.invitation_ids or None,
                             statuses=payload.statuses or None)}


@programs_router.post("/{program_id}/account-invitations/{invitation_id}/resend", response=ResentOut,
                      summary="Send one invitation again, with a new password link")
def account_invitation_resend(request, program_id: int, invitation_id: int):
    from .models import AccountInvitation
    from .services import account_invitations_resend as resend

    program = _managed(request, program_id, permissions.can_manage_program_data)
    get_object_or_404(AccountInvitation, pk=invitation_id, program=program)
    return {"resent": resend(program=program, by=request.auth, invitation_ids=[invitation_id])}
