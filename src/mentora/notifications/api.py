"""Notices and how each kind reaches a person, in the REST API: each person sees and changes only their own."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from mentora.api.pagination import paginated
from mentora.programs.models import Program

from .email_templates import EMAIL_KINDS, render_email
from .kinds import KINDS
from .models import EmailTemplate, NotificationPreference
from .permissions import can_edit_email_templates
from .selectors import notifications_for
from .services import email_template_reset as reset
from .services import email_template_save, notification_mark_read, preferences_save

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    about_id: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationFilters(Schema):
    unread: bool = False


class MarkedOut(Schema):
    marked_read: int


class PreferenceOut(Schema):
    kind: str
    label: str
    delivery: str


class PreferencesIn(Schema):
    deliveries: dict[str, str] = {}


@router.get("", response=list[NotificationOut], summary="Your notices, newest first")
@paginated
def notification_list(request, filters: Query[NotificationFilters]):
    return notifications_for(user=request.auth, unread_only=filters.unread).order_by("-created_at", "-pk")


@router.post("/read-all", response=MarkedOut, summary="Mark all your notices read")
def notification_read_all(request):
    return {"marked_read": notification_mark_read(by=request.auth)}


@router.post("/{notification_id}/read", response=MarkedOut, summary="Mark one of your notices read")
def notification_read(request, notification_id: int):
    return {"marked_read": notification_mark_read(by=request.auth, notification_id=notification_id)}


def _preferences(user) -> list[dict]:
    current = {p.kind: p.delivery for p in NotificationPreference.objects.filter(user=user)}
    return [{"kind": kind, "label": label, "delivery": current.get(kind, NotificationPreference.Delivery.EMAIL)}
            for kind, label in KINDS.items()]


@router.get("/preferences", response=list[PreferenceOut], summary="How each kind of notice reaches you")
def preference_list(request):
    return _preferences(request.auth)


@router.put("/preferences", response=list[PreferenceOut],
            summary="Choose per kind: email, in_app, digest or off (kinds left out keep their choice)")
def preference_save(request, payload: PreferencesIn):
    preferences_save(by=request.auth, deliveries=payload.deliveries)
    return _preferences(request.auth)


# --- a program's own wording of its emails (its coordinators) ----------------------------------------------

EmailKindName = Literal["invitation", "nudge", "reminder"]


class EmailTemplateOut(Schema):
    kind: str
    label: str
    when: str
    placeholders: dict[str, str] = Field(description="{{ name }} placeholders this kind may use, and what each holds")
    subject: str
    body: str
    own: bool = Field(description="The program's own wording (false: Mentora's)")
    updated_at: datetime.datetime | None
    updated_by_id: int | None


class EmailTemplateIn(Schema):
    subject: str = Field(max_length=200)
    body: str = Field(max_length=5000)


class EmailPreviewOut(Schema):
    subject: str
    body: str


def _program_for_emails(request, program_id: int):
    program = get_object_or_404(Program, pk=program_id)
    if not can_edit_email_templates(request.auth, program):
        raise PermissionDenied("Only the program's coordinators change its emails.")
    return program


def _email_out(program, kind: str) -> dict:
    spec, own = EMAIL_KINDS[kind], EmailTemplate.objects.filter(program=program, kind=kind).first()
    return {"kind": kind, "label": spec.label, "when": spec.when, "placeholders": spec.placeholders,
            "subject": own.subject if own else spec.subject, "body": own.body if own else spec.body,
            "own": own is not None, "updated_at": own.updated_at if own else None,
            "updated_by_id": own.updated_by_id if own else None}


@router.get("/programs/{program_id}/emails", response=list[EmailTemplateOut],
            summary="A program's emails (invitation, nudge, reminder): its own wording or Mentora's")
def email_template_list(request, program_id: int):
    program = _program_for_emails(request, program_id)
    return [_email_out(program, kind) for kind in EMAIL_KINDS]


@router.get("/programs/{program_id}/emails/{kind}", response=EmailTemplateOut, summary="One email of a program")
def email_template_detail(request, program_id: int, kind: EmailKindName):
    return _email_out(_program_for_emails(request, program_id), kind)


@router.put("/programs/{program_id}/emails/{kind}", response=EmailTemplateOut,
            summary="Set a program's own subject and body for one email (only the kind's placeholders)")
def email_template_edit(request, program_id: int, kind: EmailKindName, payload: EmailTemplateIn):
    program = _program_for_emails(request, program_id)
    email_template_save(by=request.auth, program=program, kind=kind, subject=payload.subject, body=payload.body)
    return _email_out(program, kind)


@router.delete("/programs/{program_id}/emails/{kind}", response={204: None},
               summary="Back to Mentora's wording for one email of a program")
def email_template_reset(request, program_id: int, kind: EmailKindName):
    reset(by=request.auth, program=_program_for_emails(request, program_id), kind=kind)
    return 204, None


@router.post("/programs/{program_id}/emails/{kind}/preview", response=EmailPreviewOut,
             summary="The email as a person would get it, with sample values (nothing is saved or sent)")
def email_template_preview(request, program_id: int, kind: EmailKindName, payload: EmailTemplateIn):
    program = _program_for_emails(request, program_id)
    subject, body = render_email(kind=kind, subject=payload.subject, body=payload.body,
                                 values={**EMAIL_KINDS[kind].sample, "program_name": program.name})
    return {"subject": subject, "body": body}
