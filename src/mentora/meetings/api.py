"""The lifecycle in the REST API. Private notes have no schema here and are never returned."""

import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from mentora.api.fields import RowId
from mentora.api.pagination import paginated
from mentora.api.problems import problem
from mentora.core.errors import StateConflict
from mentora.core.links import WebLink, absolute_url
from mentora.core.uploads import attachment_response
from mentora.programs.models import Network, Program
from mentora.relationships import permissions as relationship_permissions
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship

from . import permissions, selectors, services
from .forms import SurveyEditForm
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Meeting,
    Message,
    RematchRequest,
    Resource,
    SharedNote,
    SurveyForm,
    TimeProposal,
)

User = get_user_model()

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
    if not relationship_permissions.can_view_relationship(request.auth, relationship):
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


@router.post("/relationships/{relationship_id}/meetings", response={201: MeetingOut}, summary="Schedule a meeting")
def meeting_create(request, relationship_id: int, payload: MeetingIn):
    relationship = _relationship(request, relationship_id)
    meeting = services.meeting_schedule(relationship=relationship, by=request.auth, **payload.dict())
    return 201, meeting


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="A meeting with agenda and shared notes")
def meeting_detail(request, meeting_id: int):
    meeting = get_object_or_404(Meeting.objects.select_related("relationship"), pk=meeting_id)
    if not relationship_permissions.can_view_content(request.auth, meeting.relationship):
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
    if not relationship_permissions.can_view_content(request.auth, relationship):
        raise Http404
    return item


def _item_routes(path: str, param: str, model, noun: str, patch: type[Schema], out, edit, delete) -> None:
    """PATCH and DELETE <path>/{<param>}: the author corrects or deletes their own shared item. Anyone who is
    not a side of the relationship gets 404 (_shared_item); the service checks the author and that the
    relationship is open, and writes the change into the meeting's history."""
    name = path.strip("/").replace("-", "_").removesuffix("s")  # agenda_item, shared_note, action_item

    def item_edit(request, payload: patch, item_id: int = Path(..., alias=param)):
        return 200, edit(_shared_item(request, model, item_id), request.auth, payload)

    def item_delete(request, item_id: int = Path(..., alias=param)):
        delete(_shared_item(request, model, item_id), request.auth)
        return 204, None

    # The names give the operations their ids in the API document (agenda_item_edit, shared_note_delete, …).
    item_edit.__name__ = item_edit.__qualname__ = f"{name}_edit"
    item_delete.__name__ = item_delete.__qualname__ = f"{name}_delete"
    router.patch(f"{path}/{{{param}}}", response={200: out}, summary=f"Change my {noun}")(item_edit)
    router.delete(f"{path}/{{{param}}}", response={204: None}, summary=f"Delete my {noun}")(item_delete)


_item_routes("/agenda-items", "item_id", AgendaItem, "agenda item", AgendaItemPatch, AgendaItemOut,
             lambda item, by, payload: services.agenda_item_edit(item=item, by=by, text=payload.text),
             lambda item, by: services.agenda_item_delete(item=item, by=by))
_item_routes("/shared-notes", "note_id", SharedNote, "shared note", SharedNotePatch, NoteOut,
             lambda note, by, payload: services.shared_note_edit(note=note, by=by, body=payload.body),
             lambda note, by: services.shared_note_delete(note=note, by=by))


def _action_item_edit(item: ActionItem, by, payload: ActionItemPatch) -> dict:
    """What the body leaves out keeps its value."""
    item = services.action_item_edit(item=item, by=by, text=item.text if payload.text is None else payload.text,
                                     due_on=payload.due_on or item.due_on)
    return {"id": item.pk, "text": item.text, "owner_id": item.owner_id, "due_on": item.due_on,
            "done": item.done_at is not None}


_item_routes("/action-items", "item_id", ActionItem, "action item", ActionItemPatch, ActionItemOut,
             _action_item_edit, lambda item, by: services.action_item_delete(item=item, by=by))


@router.get("/meetings/{meeting_id}/changes", response=list[ChangeOut],
            summary="Edits and deletions of a meeting's agenda, shared notes and action items")
def meeting_changes(request, meeting_id: int):
    meeting = get_object_or_404(Meeting.objects.select_related("relationship"), pk=meeting_id)
    if not relationship_permissions.can_view_content(request.auth, meeting.relationship):
        raise Http404
    return [{"when": c["when"], "by_id": c["who"].pk if c["who"] else None, "kind": c["kind"], "item": c["noun"],
             "text": c["text"], "changes": [{"field": name, "old": str(old), "new": str(new)}
                                            for name, old, new in c["changes"]]}
            for c in selectors.item_changes_of(meeting=meeting)]


# --- a person's relationships, the agreement, pause/close/rematch, feedback ------------------------------

class RelationshipSummaryOut(Schema):
    id: int
    mentee_id: int
    mentor_id: int
    program_id: int | None
    kind: str
    status: str
    started_on: datetime.date | None
    ended_on: datetime.date | None


class RelationshipFilters(Schema):
    person_id: int | None = Field(None, description="Whose relationships (default: yours). Others' only in "
                                                    "programs you coordinate.")
    status: Literal["proposed", "active", "paused", "closed"] | None = None
    role: Literal["mentee", "mentor"] | None = Field(None, description="The person's side in the relationship")
    program_id: int | None = None


class AgreementIn(Schema):
    kind: str
    goals: str = Field(max_length=5000)
    cadence_days: int = Field(ge=1, le=365)
    modes: list[str]
    expectations: str = Field("", max_length=5000)
    confidentiality: str = Field("", max_length=5000)
    expected_end_on: datetime.date | None = None


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


class CloseIn(ReasonIn):
    ratings: dict[str, int] = Field(default_factory=dict, description="Closing feedback, 1-7 per question")
    comment: str = Field("", max_length=2000)


class FeedbackIn(Schema):
    ratings: dict[str, int] = Field(description="1-7 per question of the program's survey")
    comment: str = Field("", max_length=2000)


class ActionItemIn(Schema):
    text: str = Field(max_length=500)
    owner_id: int
    due_on: datetime.date
    meeting_id: int | None = None


class DoneIn(Schema):
    done: bool


class AgendaItemIn(Schema):
    text: str = Field(max_length=500)
    goal_id: int | None = None


class NoteIn(Schema):
    body: str = Field(max_length=5000)


class StatusIn(Schema):
    status: Literal["held", "missed", "cancelled", "scheduled"]


class RsvpIn(Schema):
    response: Literal["yes", "no", "maybe"]


class RsvpOut(Schema):
    meeting_id: int
    user_id: int
    response: str


class ProposalIn(Schema):
    times: list[datetime.datetime] = Field(description="Two or three times (ISO 8601 with an offset)")
    time_zone: str
    duration_minutes: int = Field(45, ge=5, le=600)
    mode: str = "video"
    place: str = Field("", max_length=200)
    video_url: WebLink = ""
    message: str = Field("", max_length=500)


class ProposedTimeOut(Schema):
    id: int
    starts_at: datetime.datetime


class ProposalOut(Schema):
    id: int
    relationship_id: int
    proposed_by_id: int
    time_zone: str
    duration_minutes: int
    mode: str
    place: str
    message: str
    status: str
    meeting_id: int | None
    times: list[ProposedTimeOut]

    @staticmethod
    def resolve_times(proposal) -> list:
        return list(proposal.times.all())


class AcceptTimeIn(Schema):
    time_id: int


class MessageIn(Schema):
    body: str = Field(max_length=1000)


class MessageOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: datetime.datetime


class RematchOut(Schema):
    id: int
    relationship_id: int
    reason: str


class CalendarFeedOut(Schema):
    enabled: bool
    url: str | None = Field(None, description="The secret address of your feed: whoever has it sees your meetings")


def _acting(request, relationship_id: int) -> Relationship:
    """A relationship the caller is a side of (404 to anyone who may not see it, 403 to staff who only oversee)."""
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.is_party(request.auth, relationship):
        raise PermissionDenied("Only the mentor and the mentee act in a relationship.")
    return relationship


def _own_meeting(request, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("relationship"), pk=meeting_id)
    if not relationship_permissions.can_view_content(request.auth, meeting.relationship):
        raise Http404
    return meeting


@router.get("/relationships", response=list[RelationshipSummaryOut], summary="A person's relationships")
@paginated
def relationship_list(request, filters: Query[RelationshipFilters]):
    person = request.auth
    if filters.person_id is not None and filters.person_id != request.auth.pk:
        person = get_object_or_404(User, pk=filters.person_id)
    relationships = selectors.relationships_visible_to(viewer=request.auth, person=person)
    if filters.status:
        relationships = relationships.filter(status=filters.status)
    if filters.role == "mentee":
        relationships = relationships.filter(mentee=person)
    elif filters.role == "mentor":
        relationships = relationships.filter(mentor=person)
    if filters.program_id is not None:
        relationships = relationships.filter(program_id=filters.program_id)
    return relationships.order_by("-created_at", "-pk")


@router.get("/relationships/{relationship_id}/agreement", response={200: AgreementOut, 404: dict},
            summary="The mentoring agreement")
def agreement_detail(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.is_party(request.auth, relationship):
        raise Http404  # the terms are the two sides' (as on the page)
    agreement = selectors.agreement_of(relationship=relationship)
    if agreement is None:
        return problem(404, "Not found", "This relationship has no agreement yet.")
    return _relationship_out(relationship, None)["agreement"]


@router.put("/relationships/{relationship_id}/agreement", response=AgreementOut,
            summary="Write the agreement (you confirm it; a change asks the other side again)")
def agreement_write(request, relationship_id: int, payload: AgreementIn):
    relationship = _acting(request, relationship_id)
    services.agreement_save(relationship=relationship, by=request.auth, **payload.dict())
    return _relationship_out(relationship, None)["agreement"]


@router.post("/relationships/{relationship_id}/agreement/confirm", response=AgreementOut,
             summary="Confirm the agreement as it stands")
def agreement_confirm(request, relationship_id: int):
    relationship = _acting(request, relationship_id)
    agreement = selectors.agreement_of(relationship=relationship)
    if agreement is None:
        raise DjangoValidationError("There is no agreement to confirm yet.")
    services.agreement_confirm(agreement=agreement, by=request.auth)
    return _relationship_out(relationship, None)["agreement"]


@router.post("/relationships/{relationship_id}/pause", response=RelationshipSummaryOut, summary="Pause")
def relationship_pause(request, relationship_id: int):
    return relationship_services.relationship_pause(relationship=_acting(request, relationship_id), by=request.auth)


@router.post("/relationships/{relationship_id}/close", response=RelationshipSummaryOut,
             summary="Close, with closing feedback")
def relationship_close(request, relationship_id: int, payload: CloseIn):
    return services.relationship_close_with_feedback(
        relationship=_acting(request, relationship_id), by=request.auth, reason=payload.reason,
        ratings=payload.ratings or None, comment=payload.comment)


@router.post("/relationships/{relationship_id}/rematch", response={201: RematchOut},
             summary="Ask the program for a rematch")
def relationship_rematch(request, relationship_id: int, payload: ReasonIn):
    return 201, services.rematch_request(relationship=_acting(request, relationship_id), by=request.auth,
                                         reason=payload.reason)


@router.post("/relationships/{relationship_id}/feedback", response={201: None},
             summary="Answer the program's feedback survey for this period")
def relationship_feedback(request, relationship_id: int, payload: FeedbackIn):
    relationship = _acting(request, relationship_id)
    form_row = getattr(relationship.program, "survey_form", None) if relationship.program_id else None
    period = selectors.survey_period(timezone.localdate(), form_row.every_months if form_row else 6)
    services.survey_submit(relationship=relationship, by=request.auth, ratings=payload.ratings,
                           comment=payload.comment, period=period)
    return 201, None


# --- meetings: agenda, notes, action items, status, RSVP; proposals; messages -------------------------

@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaItemOut}, summary="Add to the agenda")
def meeting_agenda_add(request, meeting_id: int, payload: AgendaItemIn):
    return 201, services.agenda_item_add(meeting=_own_meeting(request, meeting_id), by=request.auth,
                                         text=payload.text, goal_id=payload.goal_id)


@router.post("/meetings/{meeting_id}/notes", response={201: NoteOut}, summary="Add a shared note")
def meeting_note_add(request, meeting_id: int, payload: NoteIn):
    return 201, services.shared_note_add(meeting=_own_meeting(request, meeting_id), by=request.auth,
                                         body=payload.body)


@router.post("/meetings/{meeting_id}/status", response=MeetingOut, summary="Mark held, missed or cancelled")
def meeting_status(request, meeting_id: int, payload: StatusIn):
    return services.meeting_set_status(meeting=_own_meeting(request, meeting_id), by=request.auth,
                                       status=payload.status)


@router.post("/meetings/{meeting_id}/rsvp", response=RsvpOut, summary="Answer whether you come")
def meeting_rsvp(request, meeting_id: int, payload: RsvpIn):
    rsvp = services.rsvp_set(meeting=_own_meeting(request, meeting_id), by=request.auth, response=payload.response)
    return {"meeting_id": rsvp.meeting_id, "user_id": rsvp.user_id, "response": rsvp.response}


@router.post("/relationships/{relationship_id}/action-items", response={201: ActionItemOut},
             summary="Add an action item")
def action_item_create(request, relationship_id: int, payload: ActionItemIn):
    relationship = _acting(request, relationship_id)
    meeting = None
    if payload.meeting_id is not None:
        meeting = relationship.meetings.filter(pk=payload.meeting_id).first()
        if meeting is None:
            raise DjangoValidationError({"meeting_id": "No such meeting in this relationship."})
    item = services.action_item_add(relationship=relationship, by=request.auth, text=payload.text,
                                    owner_id=payload.owner_id, due_on=payload.due_on, meeting=meeting)
    return 201, {"id": item.pk, "text": item.text, "owner_id": item.owner_id, "due_on": item.due_on,
                 "done": item.done_at is not None}


@router.post("/action-items/{item_id}/done", response=ActionItemOut, summary="Mark an action item done or not")
def action_item_done(request, item_id: int, payload: DoneIn):
    item = get_object_or_404(ActionItem.objects.select_related("relationship"), pk=item_id)
    if not relationship_permissions.can_view_content(request.auth, item.relationship):
        raise Http404
    item = services.action_item_set_done(item=item, by=request.auth, done=payload.done)
    return {"id": item.pk, "text": item.text, "owner_id": item.owner_id, "due_on": item.due_on,
            "done": item.done_at is not None}


@router.post("/relationships/{relationship_id}/proposals", response={201: ProposalOut},
             summary="Propose two or three times to meet")
def proposal_create(request, relationship_id: int, payload: ProposalIn):
    return 201, services.proposal_create(relationship=_acting(request, relationship_id), by=request.auth,
                                         **payload.dict())


def _proposal(request, proposal_id: int) -> TimeProposal:
    proposal = get_object_or_404(TimeProposal.objects.select_related("relationship"), pk=proposal_id)
    if not relationship_permissions.is_party(request.auth, proposal.relationship):
        raise Http404
    return proposal


@router.post("/proposals/{proposal_id}/accept", response={201: MeetingOut}, summary="Pick one of the times")
def proposal_accept(request, proposal_id: int, payload: AcceptTimeIn):
    return 201, services.proposal_accept(proposal=_proposal(request, proposal_id), by=request.auth,
                                         time_id=payload.time_id)


@router.post("/proposals/{proposal_id}/withdraw", response=ProposalOut, summary="Withdraw your proposal")
def proposal_withdraw(request, proposal_id: int):
    return services.proposal_withdraw(proposal=_proposal(request, proposal_id), by=request.auth)


@router.get("/relationships/{relationship_id}/messages", response=list[MessageOut],
            summary="Messages between the two sides, oldest first")
@paginated
def message_list(request, relationship_id: int):
    relationship = _relationship(request, relationship_id)
    if not relationship_permissions.can_view_content(request.auth, relationship):
        raise Http404  # staff see that a relationship talks, not what it says
    return Message.objects.filter(relationship=relationship).order_by("created_at", "id")


@router.post("/relationships/{relationship_id}/messages", response={201: MessageOut}, summary="Send a message")
def message_create(request, relationship_id: int, payload: MessageIn):
    return 201, services.message_send(relationship=_acting(request, relationship_id), by=request.auth,
                                      body=payload.body)


# --- the personal calendar feed ------------------------------------------------------------------------

def _feed_out(feed) -> dict:
    return {"enabled": feed is not None,
            "url": absolute_url(reverse("meetings:calendar_feed", args=[feed.token])) if feed is not None else None}


@router.get("/calendar-feed", response=CalendarFeedOut, summary="Your calendar feed")
def calendar_feed_detail(request):
    return _feed_out(CalendarFeed.objects.filter(user=request.auth).first())


@router.post("/calendar-feed", response=CalendarFeedOut,
             summary="Switch your feed on, or with ?replace=true give it a new address (the old stops working)")
def calendar_feed_create(request, replace: bool = False):
    if replace:
        return _feed_out(services.calendar_feed_revoke(by=request.auth, replace=True))
    return _feed_out(services.calendar_feed_enable(by=request.auth))


@router.delete("/calendar-feed", response=CalendarFeedOut, summary="Switch your feed off")
def calendar_feed_delete(request):
    return _feed_out(services.calendar_feed_revoke(by=request.auth, replace=False))


# --- the resource library ------------------------------------------------------------------------------

class ResourceOut(Schema):
    id: int
    topic: str
    title: str
    description: str
    url: str
    has_document: bool
    program_id: int | None
    network_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_has_document(resource) -> bool:
        return bool(resource.document)


class ResourceFilters(Schema):
    topic: str | None = None
    program_id: int | None = None
    network_id: int | None = None


class ResourceIn(Schema):
    topic: str
    title: str = Field(max_length=200)
    description: str = Field(max_length=500)
    url: WebLink = Field(description="The resource's web address (documents are uploaded on the page)")
    program_id: int | None = Field(None, description="A program's resource (its coordinators add it)")
    network_id: int | None = Field(None, description="A network's resource; neither: the whole site's")


@router.get("/resources", response=list[ResourceOut], summary="The resource library you may read")
@paginated
def resource_list(request, filters: Query[ResourceFilters]):
    resources = permissions.resources_visible_to(request.auth)
    for name in ("topic", "program_id", "network_id"):
        value = getattr(filters, name)
        if value is not None:
            resources = resources.filter(**{name: value})
    return resources.order_by("topic", "title", "pk")


@router.post("/resources", response={201: ResourceOut}, summary="Add a link to the library you curate")
def resource_create(request, payload: ResourceIn):
    program = Program.objects.filter(pk=payload.program_id).first() if payload.program_id is not None else None
    network = Network.objects.filter(pk=payload.network_id).first() if payload.network_id is not None else None
    if payload.program_id is not None and program is None:
        raise DjangoValidationError({"program_id": "No such program."})
    if payload.network_id is not None and network is None:
        raise DjangoValidationError({"network_id": "No such network."})
    if not payload.url:
        raise DjangoValidationError({"url": "Give the resource's web address."})
    return 201, services.resource_create(by=request.auth, topic=payload.topic, title=payload.title,
                                         description=payload.description, url=payload.url, program=program,
                                         network=network)


@router.delete("/resources/{resource_id}", response={204: None}, summary="Remove a resource you curate")
def resource_delete(request, resource_id: int):
    resource = get_object_or_404(permissions.resources_visible_to(request.auth), pk=resource_id)
    services.resource_delete(resource=resource, by=request.auth)
    return 204, None


@router.get("/resources/{resource_id}/document", url_name="resource_document",
            summary="Download a resource's uploaded document (never shown inline)",
            openapi_extra={"responses": {200: {"description": "The document as an attachment",
                                               "content": {"application/octet-stream": {"schema": {
                                                   "type": "string", "format": "binary"}}}}}})
def resource_document(request, resource_id: int):
    resource = get_object_or_404(Resource, pk=resource_id)
    if not permissions.can_view_resource(request.auth, resource):
        raise PermissionDenied("You may not read this resource.")
    if not resource.document:
        raise Http404
    try:
        handle = resource.document.open("rb")
    except OSError:
        raise Http404 from None
    return attachment_response(handle, kind=resource.document_kind, filename=resource.document_name or "document")


# --- a mentor's mentees; a program's health, feedback, survey and rematch queue (its coordinators) ----------

class MenteeOverviewOut(Schema):
    relationship_id: int
    mentee_id: int
    mentee_name: str
    program_id: int | None
    status: str
    health: HealthOut | None
    plan_id: int | None = Field(description="The mentee's learning plan of this academic year")
    plan_status: str | None
    goals_by_state: dict[str, int]
    open_change_requests: int
    overdue_actions: int
    last_meeting: datetime.datetime | None
    next_meeting_id: int | None
    next_meeting_at: datetime.datetime | None
    reasons: list[str] = Field(description="Why the mentee needs you now, most pressing first")
    attention: int


def _health_out(health) -> dict | None:
    return None if health is None else {"state": health.state, "label": health.label,
                                        "days_since": health.days_since, "cadence_days": health.cadence_days}


@router.get("/my-mentees", response=list[MenteeOverviewOut],
            summary="The people I mentor: plans, meetings and what calls for my attention, most pressing first")
@paginated
def my_mentees(request, attention_only: bool = False):
    if not permissions.can_view_my_mentees(request.auth):
        raise PermissionDenied("This is the overview of the people you mentor.")
    rows = []
    for row in selectors.mentees_overview(mentor=request.auth):
        if attention_only and not row.reasons:
            continue
        relationship = row.relationship
        rows.append({
            "relationship_id": relationship.pk, "mentee_id": relationship.mentee_id,
            "mentee_name": relationship.mentee.display_name, "program_id": relationship.program_id,
            "status": relationship.status, "health": _health_out(row.health),
            "plan_id": row.plan.pk if row.plan else None, "plan_status": row.plan.status if row.plan else None,
            "goals_by_state": dict(row.goals_by_state), "open_change_requests": row.open_change_requests,
            "overdue_actions": row.overdue_actions, "last_meeting": row.last_meeting,
            "next_meeting_id": row.next_meeting.pk if row.next_meeting else None,
            "next_meeting_at": row.next_meeting.starts_at if row.next_meeting else None,
            "reasons": row.reasons, "attention": row.attention,
        })
    return rows


def _coordinated_program(request, program_id: int, rule):
    program = get_object_or_404(Program, pk=program_id)
    if not rule(request.auth, program.pk):
        raise PermissionDenied("Only the program's coordinators see this.")
    return program


class ProgramHealthOut(Schema):
    program_id: int
    on_track: int
    at_risk: int
    lapsed: int
    attention: int = Field(description="How many active relationships need attention (at risk or lapsed)")


class AttentionOut(Schema):
    relationship_id: int
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    kind: str
    health: HealthOut


@router.get("/programs/{program_id}/health", response=ProgramHealthOut,
            summary="How a program's active relationships are doing (its coordinators)")
def program_health(request, program_id: int):
    program = _coordinated_program(request, program_id, permissions.can_view_feedback)
    health = selectors.program_health(program_ids=[program.pk])[program.pk]
    return {"program_id": program.pk, "on_track": health["on_track"], "at_risk": health["at_risk"],
            "lapsed": health["lapsed"], "attention": len(health["attention"])}


@router.get("/programs/{program_id}/attention", response=list[AttentionOut],
            summary="A program's relationships that need attention, longest without a meeting first")
@paginated
def program_attention(request, program_id: int, state: Literal["at_risk", "lapsed"] | None = None):
    program = _coordinated_program(request, program_id, permissions.can_view_feedback)
    health = selectors.program_health(program_ids=[program.pk])[program.pk]
    return [{"relationship_id": r.pk, "mentee_id": r.mentee_id, "mentee_name": r.mentee.display_name,
             "mentor_id": r.mentor_id, "mentor_name": r.mentor.display_name, "kind": r.kind, "health": _health_out(h)}
            for r, h in health["attention"] if state is None or h.state == state]


@router.get("/programs/{program_id}/relationships", response=list[AttentionOut],
            summary="A program's active relationships with their health, longest without a meeting first")
@paginated
def program_relationships(request, program_id: int,
                          health: Literal["on_track", "at_risk", "lapsed"] | None = None):
    program = _coordinated_program(request, program_id, permissions.can_view_feedback)
    rows = selectors.program_relationship_rows(program_id=program.pk, state=health or "")
    rows.sort(key=lambda row: (-row.health.days_since, row.id))
    return [{"relationship_id": row.id, "mentee_id": row.mentee_id, "mentee_name": row.mentee_name,
             "mentor_id": row.mentor_id, "mentor_name": row.mentor_name, "kind": row.kind,
             "health": _health_out(row.health)} for row in rows]


class SurveyFollowUpOut(Schema):
    relationship_id: int
    period: str
    mentee_id: int
    mentee_name: str
    mentor_id: int
    mentor_name: str
    mentee_answered: bool
    mentor_answered: bool


def _survey_follow_up(program):
    period, rows = selectors.survey_follow_up_rows(program_id=program.pk)
    if rows is None:
        raise StateConflict("The program has fewer than five active relationships: who has answered is not shown, "
                            "so no one's answer can be told apart.")
    return period, rows


@router.get("/programs/{program_id}/survey-follow-up", response=list[SurveyFollowUpOut],
            summary="Who has answered this period's feedback survey (never what), for five relationships or more")
@paginated
def program_survey_follow_up(request, program_id: int):
    program = _coordinated_program(request, program_id, permissions.can_view_feedback)
    period, rows = _survey_follow_up(program)
    return [{"relationship_id": row.id, "period": period, "mentee_id": row.mentee_id, "mentee_name": row.mentee_name,
             "mentor_id": row.mentor_id, "mentor_name": row.mentor_name, "mentee_answered": row.survey["mentee"],
             "mentor_answered": row.survey["mentor"]} for row in rows]


class SurveyRemindIn(Schema):
    relationship_ids: list[RowId] = Field(min_length=1, max_length=5000,
                                        description="Active relationships of the program")


class SurveyRemindedOut(Schema):
    reminded: int = Field(description="How many people who had not answered were reminded")


@router.post("/programs/{program_id}/survey-reminders", response=SurveyRemindedOut,
             summary="Remind the sides of relationships who have not answered this period's survey")
def program_survey_remind(request, program_id: int, payload: SurveyRemindIn):
    program = _coordinated_program(request, program_id, permissions.can_view_feedback)
    period, rows = _survey_follow_up(program)
    known = {row.id for row in rows}
    if not set(payload.relationship_ids) <= known:
        raise DjangoValidationError({"relationship_ids": "Choose active relationships of this program."})
    return {"reminded": services.survey_remind(by=request.auth, program=program,
                                               relationship_ids=payload.relationship_ids, period=period)}


class FeedbackRowOut(Schema):
    label: str
    n: int
    mean: float | None = Field(description="Given only over enough answers to keep them anonymous")


class FeedbackSideOut(Schema):
    count: int
    enough: bool = Field(description="Whether there are enough answers to show any figure")
    rows: list[FeedbackRowOut]


class ResponseRateOut(Schema):
    period: str
    asked: int
    answered: int | None
    percent: int | None


class ProgramFeedbackOut(Schema):
    program_id: int
    mentee: FeedbackSideOut
    mentor: FeedbackSideOut
    rates: dict[str, ResponseRateOut]


@router.get("/programs/{program_id}/feedback", response=ProgramFeedbackOut,
            summary="A program's feedback survey results, anonymous (its coordinators)")
def program_feedback(request, program_id: int):
    program = _coordinated_program(request, program_id, permissions.can_view_feedback)
    return {"program_id": program.pk,
            "mentee": selectors.feedback_aggregate(program_id=program.pk, role="mentee"),
            "mentor": selectors.feedback_aggregate(program_id=program.pk, role="mentor"),
            "rates": selectors.survey_response_rates(program_id=program.pk)}


class SurveyQuestionOut(Schema):
    key: str
    label: str


class SurveyOut(Schema):
    program_id: int
    questions: list[SurveyQuestionOut]
    every_months: int


class SurveyIn(Schema):
    questions: list[str] = Field(description="Each rated from 1 to 7; keep a question's words to keep its answers")
    every_months: Literal[1, 2, 3, 4, 6, 12]


def _survey_out(program) -> dict:
    current = SurveyForm.objects.filter(program=program).first()
    return {"program_id": program.pk, "questions": selectors.survey_questions(program_id=program.pk),
            "every_months": current.every_months if current else 6}


@router.get("/programs/{program_id}/survey", response=SurveyOut,
            summary="A program's feedback questions and how often they are asked (its coordinators)")
def program_survey(request, program_id: int):
    return _survey_out(_coordinated_program(request, program_id, permissions.can_edit_survey))


@router.put("/programs/{program_id}/survey", response=SurveyOut,
            summary="Set a program's feedback questions and schedule (its coordinators)")
def program_survey_edit(request, program_id: int, payload: SurveyIn):
    program = _coordinated_program(request, program_id, permissions.can_edit_survey)
    form = SurveyEditForm({"questions": "\n".join(" ".join(q.split()) for q in payload.questions),
                           "every_months": payload.every_months})
    if not form.is_valid():  # the page's rules for questions (count, length, no repeats)
        raise DjangoValidationError({field: errors for field, errors in form.errors.items()})
    services.survey_form_save(by=request.auth, program=program, questions=form.cleaned_data["questions"],
                              every_months=form.cleaned_data["every_months"])
    return _survey_out(program)


class RematchRequestOut(Schema):
    id: int
    relationship_id: int
    mentee_id: int
    mentor_id: int
    requested_by_id: int
    reason: str
    created_at: datetime.datetime


@router.get("/programs/{program_id}/rematch-requests", response=list[RematchRequestOut],
            summary="A program's rematch requests no coordinator has handled yet, oldest first")
@paginated
def rematch_requests(request, program_id: int):
    program = _coordinated_program(request, program_id, relationship_permissions.can_coordinate_program)
    return [{"id": item.pk, "relationship_id": item.relationship_id, "mentee_id": item.relationship.mentee_id,
             "mentor_id": item.relationship.mentor_id, "requested_by_id": item.requested_by_id,
             "reason": item.reason, "created_at": item.created_at}
            for item in selectors.open_rematch_requests(program=program)]


class HandledOut(Schema):
    id: int
    handled_at: datetime.datetime


@router.post("/rematch-requests/{request_id}/handle", response=HandledOut,
             summary="Mark a rematch request handled: it leaves the queue (the program's coordinators)")
def rematch_request_handle(request, request_id: int):
    item = get_object_or_404(RematchRequest.objects.select_related("relationship"), pk=request_id)
    if not relationship_permissions.can_view_relationship(request.auth, item.relationship):
        raise Http404
    return services.rematch_request_handle(request=item, by=request.auth)


class NudgeIn(Schema):
    relationship_ids: list[RowId] = Field(min_length=1, max_length=500, description="Open relationships of the program")
    message: str = Field("", max_length=2000)


class NudgedOut(Schema):
    nudged: int


@router.post("/programs/{program_id}/nudges", response=NudgedOut,
             summary="Check in on relationships: both sides of each are told (at most once a day)")
def relationships_nudge(request, program_id: int, payload: NudgeIn):
    program = _coordinated_program(request, program_id, relationship_permissions.can_coordinate_program)
    chosen = list(Relationship.objects.open().filter(program=program, pk__in=payload.relationship_ids)
                  .select_related("mentee", "mentor"))
    if len(chosen) != len(set(payload.relationship_ids)):
        raise DjangoValidationError({"relationship_ids": "Choose open relationships of this program."})
    return {"nudged": services.relationships_nudge(relationships=chosen, by=request.auth, message=payload.message)}
