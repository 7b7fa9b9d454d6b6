"""Who looked at my records, and confidential records opened with a reason (logged), over the API."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mentora.api.pagination import paginated
from mentora.programs.models import Program

from .permissions import can_open_confidential_records, can_write_confidential_note
from .selectors import access_log_for, confidential_records_of, note_programs, records_present
from .services import access_log_record, confidential_note_add

router = Router(tags=["privacy"])


class AccessOut(Schema):
    when: datetime = Field(alias="created_at")
    who: str = Field(alias="actor_name")
    role: str = Field(alias="actor_role")
    records: list[str]
    reason: str


@router.get("/access-log", response=list[AccessOut], summary="Who opened my confidential records, and why")
@paginated
def access_log(request):
    return access_log_for(viewer=request.auth)


# --- a person's confidential records: opened with a reason that is logged (the person: at once) ------------

class OpenRecordsIn(Schema):
    reason: str = Field("", max_length=1000, description="Why you open them: logged, and shown to the person. "
                                                         "Not needed for your own records.")


class ConfidentialNoteOut(Schema):
    id: int
    kind: str
    text: str
    program_id: int | None
    author: str | None
    created_at: datetime


class ConfidentialRecordsOut(Schema):
    person_id: int
    sensitive: dict[str, str] = Field(description="Optional attributes the person gave, with their consent")
    visa: dict[str, str]
    notes: list[ConfidentialNoteOut]


class ConfidentialNoteIn(Schema):
    kind: str = Field(description="wellbeing or remediation")
    text: str = Field(max_length=5000)
    program_id: int | None = Field(None, description="The program the note belongs to (needed when you coordinate "
                                                     "the person in several)")


def _person(request, user_id: int, rule):
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    if not rule(request.auth, person):
        raise PermissionDenied("You may not open this person's confidential records.")
    return person


@router.post("/people/{user_id}/confidential-records", response=ConfidentialRecordsOut,
             summary="Open a person's confidential records with a reason (logged; the person sees who and why)")
def confidential_records(request, user_id: int, payload: OpenRecordsIn):
    person = _person(request, user_id, can_open_confidential_records)
    records = confidential_records_of(person=person, viewer=request.auth)
    if person.pk != request.auth.pk:
        access_log_record(by=request.auth, subject=person, records=records_present(records) or ["notes"],
                          reason=payload.reason)
    return {"person_id": person.pk, "sensitive": records.sensitive, "visa": records.visa, "notes": [
        {"id": note.pk, "kind": note.kind, "text": note.text, "program_id": note.program_id,
         "author": note.author.display_name if note.author else None, "created_at": note.created_at}
        for note in records.notes]}


@router.post("/people/{user_id}/confidential-notes", response={201: ConfidentialNoteOut},
             summary="Write a wellbeing or remediation note about a trainee of a program you coordinate")
def confidential_note_create(request, user_id: int, payload: ConfidentialNoteIn):
    person = _person(request, user_id, can_write_confidential_note)
    programs = list(note_programs(author=request.auth, person=person))
    if payload.program_id is not None:
        program = Program.objects.filter(pk=payload.program_id).first()
        if program is None:
            raise ValidationError({"program_id": "No such program."})
    else:
        program = programs[0] if len(programs) == 1 else None
    note = confidential_note_add(author=request.auth, subject=person, kind=payload.kind, text=payload.text,
                                 program=program)
    return 201, {"id": note.pk, "kind": note.kind, "text": note.text, "program_id": note.program_id,
                 "author": request.auth.display_name, "created_at": note.created_at}
