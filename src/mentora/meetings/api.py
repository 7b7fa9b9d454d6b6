"""The lifecycle in the REST API. Private notes have no schema here and are never returned."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from mentora.api.problems import problem
from mentora.core.links import WebLink
from mentora.relationships.models import Relationship

from . import permissions, selectors, services
from .models import ActionItem, AgendaItem, Meeting, SharedNote

router = Router(tags=["mentoring"])


class HealthOut(Schema):
    state: str
    label: str
    days_since: int
    cadence_days: int


class AgreementOut(Schema):
    kind: str
    goals: str
    cadence_days: int
    modes: list[str]
    expectations: str
    confidentiality: str
    expected_end_on: datetime.date | None
    mentee_confirmed: bool
    mentor_confirmed: bool


class RelationshipOut(Schema):
    id: int
    mentee_id: int
    mentor_id: int
    kind: str
    status: str
    health: HealthOut | None
    agreement: AgreementOut | None


class AgendaItemOut(Schema):
    id: int
    text: str
    goal_id: int | None
    resource_id: int | None


class HomeworkOut(Schema):
    id: int
    text: str
    done: bool


class NoteOut(Schema):
    id: int
    author_id: int | None
    body: str
    created_at: datetime.datetime


class ActionItemOut(Schema):
    id: int
    text: str
    owner_id: int
    due_on: datetime.date
    done: bool


class MeetingOut(Schema):
    id: int
    relationship_id: int
    starts_at: datetime.datetime
    time_zone: str
    duration_minutes: int
    mode: str
    place: str
    video_url: str
    status: str


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    homework: list[HomeworkOut]
    shared_notes: list[NoteOut]
    action_items: list[ActionItemOut]


class MeetingIn(Schema):
    starts_at: datetime.datetime
    time_zone: str
    duration_minutes: int = 45
    mode: str = "video"
    place: str = ""
    video_url: WebLink = ""


def _relationship(request, relationship_id: int) -> Relationship:
    relationship = get_object_or_404(Relationship.objects.select_related("mentee", "mentor"), pk=relationship_id)
    if not permissions.can_view_relationship(request.auth, relationship):
        raise Http404  # like a missing relationship
    return relationship


def _relationship_out(relationship, health) -> dict:
    agreement = selectors.agreement_of(relationship=relationship)
    return {
        "id": relationship.pk, "mentee_id": relationship.mentee_id, "mentor_id": relationship.mentor_id,
        "kind": relationship.kind, "status": relationship.status,
        "health": {"state": health.state, "label": health.label, "days_since": health.days_since,
                   "cadence_days": health.cadence_days} if health else None,
        "agreement": None if agreement is None else {
            "kind": agreement.kind, "goals": agreement.goals, "cadence_days": agreement.cadence_days,
            "modes": agreement.modes, "expectations": agreement.expectations,
            "confidentiality": agreement.confidentiality, "expected_end_on": agreement.expected_end_on,
            "mentee_confirmed": agreement.mentee_confirmed_at is not None,
            "mentor_confirmed": agreement.mentor_confirmed_at is not None,
        },
    }


@router.get("/relationships/{relationship_id}", response=RelationshipOut, summary="A relationship with health")
def relationship_detail(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    health = selectors.health_for(relationships=[relationship]).get(relationship.pk) if relationship.is_open else None
    return _relationship_out(relationship, health)


@router.get("/relationships/{relationship_id}/meetings", response=list[MeetingOut], summary="Meetings")
def meeting_list(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    return list(selectors.meetings_of(relationship=relationship))


@router.post("/relationships/{relationship_id}/meetings", response={201: MeetingOut, 422: dict}, summary="Schedule a meeting")
def meeting_create(request, relationship_id: int, payload: MeetingIn):
    relationship = _relationship(request, relationship_id)
    try:
        meeting = services.meeting_schedule(relationship=relationship, by=request.auth, **payload.dict())
    except DjangoValidationError as error:
        errors = [{"location": f"body.payload.{field}", "message": " ".join(messages)}
                  for field, messages in getattr(error, "message_dict", {"": error.messages}).items()]
        return problem(422, "Invalid request", "The meeting cannot be scheduled.", errors=errors)
    return 201, meeting


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="A meeting with agenda and shared notes")
def meeting_detail(request, meeting_id: int):
    meeting = get_object_or_404(Meeting.objects.select_related("relationship"), pk=meeting_id)
    if not permissions.can_view_content(request.auth, meeting.relationship):
        raise Http404  # program staff see that a relationship meets, not the meetings themselves
    return {
        **{f: getattr(meeting, f) for f in ("id", "relationship_id", "starts_at", "time_zone", "duration_minutes",
                                             "mode", "place", "video_url", "status")},
        "agenda": list(meeting.agenda_items.all()),
        "homework": [{"id": h.pk, "text": h.text, "done": h.done_at is not None} for h in meeting.homework.all()],
        "shared_notes": list(meeting.shared_notes.all()),
        "action_items": [{"id": a.pk, "text": a.text, "owner_id": a.owner_id, "due_on": a.due_on,
                          "done": a.done_at is not None} for a in meeting.action_items.all()],
    }


# --- corrections: the author edits or deletes what they wrote; both sides read the changes -------------

class AgendaItemPatch(Schema):
    text: str


class SharedNotePatch(Schema):
    body: str


class ActionItemPatch(Schema):
    text: str | None = None
    due_on: datetime.date | None = None


class ChangeOut(Schema):
    when: datetime.datetime
    by_id: int | None
    kind: str
    item: str
    text: str
    changes: list[dict]


def _shared_item(request, model, item_id: int):
    """A shared item of a relationship the caller is a side of; 404 for anyone else, like a missing one."""
    item = get_object_or_404(model.objects.select_related(
        "relationship" if model is ActionItem else "meeting__relationship"), pk=item_id)
    relationship = item.relationship if model is ActionItem else item.meeting.relationship
    if not permissions.can_view_content(request.auth, relationship):
        raise Http404
    return item


def _invalid(error: DjangoValidationError, what: str):
    errors = [{"location": f"body.payload.{field}", "message": " ".join(messages)}
              for field, messages in getattr(error, "message_dict", {"": error.messages}).items()]
    return problem(422, "Invalid request", f"The {what} is not changed.", errors=errors)


@router.patch("/agenda-items/{item_id}", response={200: AgendaItemOut, 422: dict}, summary="Change my agenda item")
def agenda_item_edit(request, item_id: int, payload: AgendaItemPatch):
    item = _shared_item(request, AgendaItem, item_id)
    try:
        return 200, services.agenda_item_edit(item=item, by=request.auth, text=payload.text)
    except DjangoValidationError as error:
        return _invalid(error, "agenda item")


@router.delete("/agenda-items/{item_id}", response={204: None}, summary="Delete my agenda item")
def agenda_item_delete(request, item_id: int):
    services.agenda_item_delete(item=_shared_item(request, AgendaItem, item_id), by=request.auth)
    return 204, None


@router.patch("/shared-notes/{note_id}", response={200: NoteOut, 422: dict}, summary="Change my shared note")
def shared_note_edit(request, note_id: int, payload: SharedNotePatch):
    note = _shared_item(request, SharedNote, note_id)
    try:
        return 200, services.shared_note_edit(note=note, by=request.auth, body=payload.body)
    except DjangoValidationError as error:
        return _invalid(error, "note")


@router.delete("/shared-notes/{note_id}", response={204: None}, summary="Delete my shared note")
def shared_note_delete(request, note_id: int):
    services.shared_note_delete(note=_shared_item(request, SharedNote, note_id), by=request.auth)
    return 204, None


@router.patch("/action-items/{item_id}", response={200: ActionItemOut, 422: dict}, summary="Change my action item")
def action_item_edit(request, item_id: int, payload: ActionItemPatch):
    item = _shared_item(request, ActionItem, item_id)
    try:
        item = services.action_item_edit(item=item, by=request.auth,
                                          text=item.text if payload.text is None else payload.text,
                                          due_on=payload.due_on or item.due_on)
    except DjangoValidationError as error:
        return _invalid(error, "action item")
    return 200, {"id": item.pk, "text": item.text, "owner_id": item.owner_id, "due_on": item.due_on,
                 "done": item.done_at is not None}


@router.delete("/action-items/{item_id}", response={204: None}, summary="Delete my action item")
def action_item_delete(request, item_id: int):
    services.action_item_delete(item=_shared_item(request, ActionItem, item_id), by=request.auth)
    return 204, None


@router.get("/meetings/{meeting_id}/changes", response=list[ChangeOut],
            summary="Edits and deletions of a meeting's agenda, shared notes and action items")
def meeting_changes(request, meeting_id: int):
    meeting = get_object_or_404(Meeting.objects.select_related("relationship"), pk=meeting_id)
    if not permissions.can_view_content(request.auth, meeting.relationship):
        raise Http404
    return [{"when": c["when"], "by_id": c["who"].pk if c["who"] else None, "kind": c["kind"], "item": c["noun"],
             "text": c["text"], "changes": [{"field": name, "old": str(old), "new": str(new)}
                                            for name, old, new in c["changes"]]}
            for c in selectors.item_changes_of(meeting=meeting)]
