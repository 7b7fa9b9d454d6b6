"""Writes of the mentorship lifecycle. Every function checks who acts and raises on bad input."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from mentora.core.errors import StateConflict
from mentora.core.links import WEB_LINK_MESSAGE, is_web_link
from mentora.core.time_zones import is_time_zone
from mentora.core.uploads import download_name, validate_upload
from mentora.core.vocabulary import MEETING_MODES, RELATIONSHIP_KINDS
from mentora.notifications.services import notify
from mentora.programs.models import Membership
from mentora.relationships import permissions as relationship_permissions
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship
from mentora.webhooks.events import person
from mentora.webhooks.services import webhook_event_emit

from . import permissions
from .goals import goal_belongs_to
from .models import (
    RESOURCE_DOCUMENT_KINDS,
    RESOURCE_DOCUMENT_MAX_BYTES,
    ActionItem,
    AgendaItem,
    Agreement,
    CalendarFeed,
    Homework,
    Meeting,
    Message,
    PrivateNote,
    ProposedTime,
    RematchRequest,
    Resource,
    Rsvp,
    SharedNote,
    SurveyForm,
    SurveyResponse,
    TimeProposal,
)
from .selectors import resource_levels_q, survey_questions
from .vocabulary import CADENCES, FIRST_MEETING_AGENDA, RATING_SCALE, RESOURCE_TOPICS

AGREEMENT_TERMS = ("kind", "goals", "cadence_days", "modes", "expectations", "confidentiality", "expected_end_on")


def _require_party(user, relationship: Relationship) -> None:
    if not relationship_permissions.can_act(user, relationship):
        raise PermissionDenied("Only the mentor and mentee of an open relationship can do this")


def _other_side(user, relationship: Relationship):
    return relationship.mentor if user.pk == relationship.mentee_id else relationship.mentee


def _check_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError({"time_zone": f"Unknown time zone “{name}”"})


# --- agreement -------------------------------------------------------------------------------------

@transaction.atomic
def agreement_save(*, relationship: Relationship, by, kind: str, goals: str, cadence_days: int, modes: list[str],
                   expectations: str = "", confidentiality: str = "",
                   expected_end_on: datetime.date | None = None) -> Agreement:
    """Write the terms; the writer confirms them, and a change of terms asks the other side again."""
    _require_party(by, relationship)
    errors = {}
    if kind not in RELATIONSHIP_KINDS:
        errors["kind"] = "Choose a kind of mentorship"
    if not goals.strip():
        errors["goals"] = "Say which goals this mentorship serves"
    if cadence_days not in CADENCES:
        errors["cadence_days"] = "Choose how often you meet"
    if any(m not in MEETING_MODES for m in modes):
        errors["modes"] = "Unknown meeting mode"
    if expected_end_on is not None and expected_end_on <= timezone.localdate():
        errors["expected_end_on"] = "The expected end date must be in the future"
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.select_for_update().filter(relationship=relationship).first()
    values = {"kind": kind, "goals": goals.strip(), "cadence_days": cadence_days, "modes": list(modes),
              "expectations": expectations.strip(), "confidentiality": confidentiality.strip(),
              "expected_end_on": expected_end_on}
    now = timezone.now()
    if agreement is None:
        agreement = Agreement(relationship=relationship, **values)
        changed = True
    else:
        changed = any(getattr(agreement, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(agreement, key, value)
    if changed:
        agreement.mentee_confirmed_at = None
        agreement.mentor_confirmed_at = None
    agreement.updated_by = by
    _stamp_confirmation(agreement, by, now)
    agreement.save()
    if changed:
        other = _other_side(by, relationship)
        notify(about=by, user=other, kind="agreement", key=f"agreement:{agreement.pk}:{now.isoformat()}",
               title=f"{by.display_name} proposes the terms of your mentorship",
               body="Read the agreement and confirm it, or change it.",
               url=reverse("meetings:relationship_agreement", args=[relationship.pk]))
    _activate_if_confirmed(agreement, by)
    return agreement


def _stamp_confirmation(agreement: Agreement, by, now) -> None:
    if by.pk == agreement.relationship.mentee_id:
        agreement.mentee_confirmed_at = now
    elif by.pk == agreement.relationship.mentor_id:
        agreement.mentor_confirmed_at = now


def _activate_if_confirmed(agreement: Agreement, by) -> None:
    if agreement.is_confirmed and agreement.relationship.status == Relationship.Status.PROPOSED:
        relationship_services.relationship_activate(relationship=agreement.relationship, by=by)
        agreement.relationship.refresh_from_db()


@transaction.atomic
def agreement_confirm(*, agreement: Agreement, by) -> Agreement:
    relationship = agreement.relationship
    _require_party(by, relationship)
    agreement = Agreement.objects.select_for_update().select_related("relationship").get(pk=agreement.pk)
    now = timezone.now()
    was_active = agreement.relationship.status == Relationship.Status.ACTIVE
    _stamp_confirmation(agreement, by, now)
    agreement.save(update_fields=["mentee_confirmed_at", "mentor_confirmed_at", "updated_at"])
    _activate_if_confirmed(agreement, by)
    started = not was_active and agreement.relationship.status == Relationship.Status.ACTIVE
    notify(about=by, user=_other_side(by, relationship), kind="agreement", key=f"agreement-confirmed:{agreement.pk}:{by.pk}:{now.isoformat()}",
           title=f"{by.display_name} confirmed the terms of your mentorship"
                 + (": your mentorship has started" if started else ""),
           body=f"You agreed to meet {agreement.get_cadence_days_display().lower()}." if agreement.is_confirmed
           else "Read the agreement and confirm it too.",
           url=reverse("meetings:relationship_agreement", args=[relationship.pk]))
    return agreement


@transaction.atomic
def agreement_recommit(*, relationship: Relationship, by) -> Agreement:
    """Both keep going: the cadence counts again from today (and a paused relationship resumes)."""
    _require_party(by, relationship)
    agreement = Agreement.objects.select_for_update().filter(relationship=relationship).first()
    if agreement is None:
        raise ValidationError("Agree on the terms first")
    resumed = relationship.status == Relationship.Status.PAUSED
    if resumed:
        relationship_services.relationship_resume(relationship=relationship, by=by, notify_other=False)
    agreement.recommitted_at = timezone.now()
    agreement.save(update_fields=["recommitted_at", "updated_at"])
    notify(about=by, user=_other_side(by, relationship), kind="relationship",
           key=f"recommitted:{relationship.pk}:{agreement.recommitted_at.isoformat()}",
           title=f"{by.display_name} {'resumed' if resumed else 'recommitted to'} your mentorship",
           body="The agreed cadence counts again from today.",
           url=reverse("meetings:relationship_detail", args=[relationship.pk]))
    return agreement


# --- meetings --------------------------------------------------------------------------------------

def local_to_utc(day: datetime.date, at: datetime.time, time_zone: str) -> datetime.datetime:
    _check_zone(time_zone)
    return datetime.datetime.combine(day, at, tzinfo=ZoneInfo(time_zone)).astimezone(datetime.UTC)


def _validate_meeting(starts_at, time_zone: str, duration_minutes: int, mode: str, place: str, video_url: str,
                      *, allow_past: bool = False) -> None:
    errors = {}
    if not is_time_zone(time_zone):
        errors["time_zone"] = f"Unknown time zone “{time_zone}”"
    if starts_at.tzinfo is None:
        errors["starts_at"] = "A meeting time needs a time zone"
    elif not allow_past and starts_at < timezone.now() - datetime.timedelta(minutes=5):
        errors["starts_at"] = "Choose a time in the future"
    if not 5 <= duration_minutes <= 480:
        errors["duration_minutes"] = "A meeting lasts between 5 minutes and 8 hours"
    if mode not in MEETING_MODES:
        errors["mode"] = "Choose how you meet"
    if mode == "in_person" and not place.strip():
        errors["place"] = "Say where you meet in person"
    if video_url.strip() and not is_web_link(video_url.strip()):
        errors["video_url"] = WEB_LINK_MESSAGE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_schedule(*, relationship: Relationship, by, starts_at: datetime.datetime, time_zone: str,
                     duration_minutes: int = 45, mode: str = "video", place: str = "", video_url: str = "",
                     notify_other: bool = True) -> Meeting:
    _require_party(by, relationship)
    _validate_meeting(starts_at, time_zone, duration_minutes, mode, place, video_url)
    first = not Meeting.objects.filter(relationship=relationship).exists()
    meeting = Meeting.objects.create(
        relationship=relationship, starts_at=starts_at, time_zone=time_zone, duration_minutes=duration_minutes,
        mode=mode, place=place.strip(), video_url=video_url.strip(), created_by=by,
    )
    if first:
        # The first meeting's draft agenda speaks in the mentee's voice ("My first S.M.A.R.T. goals"):
        # it is the mentee's, whoever scheduled the meeting.
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, text=text, added_by_id=relationship.mentee_id, position=i) for i, text in
            enumerate(FIRST_MEETING_AGENDA)
        )
    Rsvp.objects.create(meeting=meeting, user=by, response=Rsvp.Response.YES)
    if notify_other:
        local = meeting.local_start
        notify(about=by, user=_other_side(by, relationship), kind="meeting_scheduled", key=f"meeting_scheduled:{meeting.pk}",
               title=f"Meeting on {local:%a %d %b %Y, %H:%M} ({time_zone})",
               body=f"{by.display_name} scheduled a meeting. Please say whether you can attend.",
               url=reverse("meetings:meeting_detail", args=[meeting.pk]))
    return meeting


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, by, status: str) -> Meeting:
    """Mark a meeting held, missed or cancelled (rescheduling goes through meeting_reschedule)."""
    _require_party(by, meeting.relationship)
    allowed = {Meeting.Status.HELD, Meeting.Status.MISSED, Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED}
    if status not in allowed:
        raise ValidationError({"status": "Choose held, missed or cancelled"})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.RESCHEDULED:
        raise ValidationError({"status": "This meeting was moved; change the new one instead"})
    if status in (Meeting.Status.HELD, Meeting.Status.MISSED) and meeting.starts_at > timezone.now():
        raise ValidationError({"status": "A meeting can be marked held or missed once it has started"})
    was = meeting.status
    meeting.status = status
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    if status == Meeting.Status.HELD and was != Meeting.Status.HELD:
        relationship = meeting.relationship
        webhook_event_emit(kind="meeting.held", program=relationship.program, data={
            "meeting": {"id": meeting.pk, "starts_at": meeting.starts_at, "duration_minutes": meeting.duration_minutes,
                        "mode": meeting.mode},
            "relationship": {"id": relationship.pk}, "mentee": person(relationship.mentee),
            "mentor": person(relationship.mentor)})
    return meeting


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, by, starts_at: datetime.datetime, time_zone: str) -> Meeting:
    """Move a meeting: the old one is marked rescheduled and points at the new one, which keeps the agenda."""
    relationship = meeting.relationship
    _require_party(by, relationship)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError({"starts_at": "Only a scheduled meeting can be moved"})
    _validate_meeting(starts_at, time_zone, meeting.duration_minutes, meeting.mode, meeting.place, meeting.video_url)
    new = Meeting.objects.create(
        relationship=relationship, starts_at=starts_at, time_zone=time_zone,
        duration_minutes=meeting.duration_minutes, mode=meeting.mode, place=meeting.place,
        video_url=meeting.video_url, created_by=by,
    )
    AgendaItem.objects.filter(meeting=meeting).update(meeting=new)
    Homework.objects.filter(meeting=meeting).update(meeting=new)
    meeting.status = Meeting.Status.RESCHEDULED
    meeting.rescheduled_to = new
    meeting.sequence += 1
    meeting.save(update_fields=["status", "rescheduled_to", "sequence", "updated_at"])
    Rsvp.objects.create(meeting=new, user=by, response=Rsvp.Response.YES)
    notify(about=by, user=_other_side(by, relationship), kind="meeting_scheduled", key=f"meeting_scheduled:{new.pk}",
           title=f"Meeting moved to {new.local_start:%a %d %b %Y, %H:%M} ({time_zone})",
           body=f"{by.display_name} moved your meeting.", url=reverse("meetings:meeting_detail", args=[new.pk]))
    return new


@transaction.atomic
def rsvp_set(*, meeting: Meeting, by, response: str) -> Rsvp:
    _require_party(by, meeting.relationship)
    if response not in Rsvp.Response.values:
        raise ValidationError({"response": "Answer yes, no or maybe"})
    rsvp, _ = Rsvp.objects.update_or_create(meeting=meeting, user=by, defaults={"response": response})
    return rsvp


def _resource_visible(resource: Resource | None, relationship: Relationship) -> None:
    if resource is not None and not Resource.objects.filter(
            resource_levels_q(program=relationship.program), pk=resource.pk).exists():
        raise ValidationError({"resource": "That resource belongs to another program"})


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, by, text: str, goal_id: int | None = None,
                    resource: Resource | None = None) -> AgendaItem:
    _require_party(by, meeting.relationship)
    if not text.strip():
        raise ValidationError({"text": "Write the agenda item"})
    if goal_id is not None and not goal_belongs_to(goal_id=goal_id, mentee_id=meeting.relationship.mentee_id):
        raise ValidationError({"goal_id": "That goal is not one of the mentee's"})
    _resource_visible(resource, meeting.relationship)
    position = AgendaItem.objects.filter(meeting=meeting).count()
    return AgendaItem.objects.create(meeting=meeting, text=text.strip(), added_by=by, goal_id=goal_id,
                                     resource=resource, position=position)


@transaction.atomic
def homework_add(*, meeting: Meeting, by, text: str, resource: Resource | None = None) -> Homework:
    _require_party(by, meeting.relationship)
    if not text.strip():
        raise ValidationError({"text": "Describe the homework"})
    _resource_visible(resource, meeting.relationship)
    homework = Homework.objects.create(meeting=meeting, text=text.strip(), added_by=by, resource=resource)
    if by.pk != meeting.relationship.mentee_id:
        notify(about=by, user=meeting.relationship.mentee, kind="meeting_scheduled", key=f"homework:{homework.pk}",
               title="Homework before your next meeting", body=homework.text,
               url=reverse("meetings:meeting_detail", args=[meeting.pk]))
    return homework


@transaction.atomic
def homework_set_done(*, homework: Homework, by, done: bool) -> Homework:
    _require_party(by, homework.meeting.relationship)
    homework.done_at = timezone.now() if done else None
    homework.save(update_fields=["done_at"])
    return homework


@transaction.atomic
def shared_note_add(*, meeting: Meeting, by, body: str) -> SharedNote:
    _require_party(by, meeting.relationship)
    if not body.strip():
        raise ValidationError({"body": "Write the note"})
    return SharedNote.objects.create(meeting=meeting, author=by, body=body.strip())


@transaction.atomic
def private_note_add(*, meeting: Meeting, by, body: str) -> PrivateNote:
    _require_party(by, meeting.relationship)
    if not body.strip():
        raise ValidationError({"body": "Write the note"})
    return PrivateNote.objects.create(meeting=meeting, author=by, body=body.strip())


@transaction.atomic
def action_item_add(*, relationship: Relationship, by, text: str, owner_id: int, due_on: datetime.date,
                    meeting: Meeting | None = None) -> ActionItem:
    _require_party(by, relationship)
    errors = {}
    if not text.strip():
        errors["text"] = "Describe the action"
    if owner_id not in (relationship.mentee_id, relationship.mentor_id):
        errors["owner_id"] = "The owner is the mentor or the mentee"
    if due_on is None:
        errors["due_on"] = "Give a due date"
    elif due_on < timezone.localdate():
        errors["due_on"] = f"The due date {due_on:%-d %B %Y} is in the past: choose today or a later date"
    if meeting is not None and meeting.relationship_id != relationship.pk:
        errors["meeting"] = "That meeting belongs to another relationship"
    if errors:
        raise ValidationError(errors)
    item = ActionItem.objects.create(relationship=relationship, meeting=meeting, text=text.strip(), owner_id=owner_id,
                                     due_on=due_on, created_by=by)
    if owner_id != by.pk:
        notify(about=by, user=_other_side(by, relationship), kind="action_item_assigned", key=f"action_item_assigned:{item.pk}",
               title=f"{by.display_name} gave you an action item, due {due_on:%-d %B %Y}", body=item.text,
               url=reverse("meetings:relationship_detail", args=[relationship.pk]) + "#action-items")
    return item


@transaction.atomic
def action_item_set_done(*, item: ActionItem, by, done: bool) -> ActionItem:
    _require_party(by, item.relationship)
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return item


# --- corrections: the author edits or removes what they wrote --------------------------------------

def _require_author(user, item) -> None:
    if not permissions.can_change_item(user, item):
        raise PermissionDenied("Only the person who wrote it can change or delete it, while the relationship is open")


def _save_by(item, by, fields: list[str]) -> None:
    item._history_user = by  # the change history names who acted, from a page, the API or a command alike
    item.save(update_fields=fields)


def _delete_by(item, by) -> None:
    item._history_user = by
    item.delete()


@transaction.atomic
def agenda_item_edit(*, item: AgendaItem, by, text: str) -> AgendaItem:
    _require_author(by, item)
    if not text.strip():
        raise ValidationError({"text": "Write the agenda item"})
    item.text = text.strip()
    _save_by(item, by, ["text"])
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    _require_author(by, item)
    _delete_by(item, by)


@transaction.atomic
def shared_note_edit(*, note: SharedNote, by, body: str) -> SharedNote:
    _require_author(by, note)
    if not body.strip():
        raise ValidationError({"body": "Write the note"})
    note.body = body.strip()
    _save_by(note, by, ["body"])
    return note


@transaction.atomic
def shared_note_delete(*, note: SharedNote, by) -> None:
    _require_author(by, note)
    _delete_by(note, by)


@transaction.atomic
def private_note_edit(*, note: PrivateNote, by, body: str) -> PrivateNote:
    _require_author(by, note)
    if not body.strip():
        raise ValidationError({"body": "Write the note"})
    note.body = body.strip()
    note.save(update_fields=["body"])
    return note


@transaction.atomic
def private_note_delete(*, note: PrivateNote, by) -> None:
    _require_author(by, note)
    note.delete()


@transaction.atomic
def action_item_edit(*, item: ActionItem, by, text: str, due_on: datetime.date) -> ActionItem:
    _require_author(by, item)
    errors = {}
    if not text.strip():
        errors["text"] = "Describe the action"
    if due_on is None:
        errors["due_on"] = "Give a due date"
    elif due_on != item.due_on and due_on < timezone.localdate():
        errors["due_on"] = f"The due date {due_on:%-d %B %Y} is in the past: choose today or a later date"
    if errors:
        raise ValidationError(errors)
    item.text, item.due_on = text.strip(), due_on
    _save_by(item, by, ["text", "due_on"])
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, by) -> None:
    _require_author(by, item)
    _delete_by(item, by)


# --- scheduling together ---------------------------------------------------------------------------

@transaction.atomic
def proposal_create(*, relationship: Relationship, by, times: list[datetime.datetime], time_zone: str,
                    duration_minutes: int = 45, mode: str = "video", place: str = "", video_url: str = "",
                    message: str = "") -> TimeProposal:
    """Offer two or three times. Any open proposal of the relationship is answered by this one."""
    _require_party(by, relationship)
    distinct = sorted(set(times))
    if not 2 <= len(distinct) <= 3:
        raise ValidationError({"times": "Propose two or three different times"})
    for starts_at in distinct:
        _validate_meeting(starts_at, time_zone, duration_minutes, mode, place, video_url)
    TimeProposal.objects.select_for_update().filter(relationship=relationship, status=TimeProposal.Status.OPEN).update(
        status=TimeProposal.Status.SUPERSEDED)
    proposal = TimeProposal.objects.create(
        relationship=relationship, proposed_by=by, time_zone=time_zone, duration_minutes=duration_minutes, mode=mode,
        place=place.strip(), video_url=video_url.strip(), message=message.strip(),
    )
    ProposedTime.objects.bulk_create(ProposedTime(proposal=proposal, starts_at=t) for t in distinct)
    notify(about=by, user=_other_side(by, relationship), kind="meeting_scheduled", key=f"proposal:{proposal.pk}",
           title=f"{by.display_name} proposes {len(distinct)} times to meet",
           body="Pick the one that suits you, or propose others.",
           url=reverse("meetings:relationship_detail", args=[relationship.pk]))
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: TimeProposal, by, time_id: int) -> Meeting:
    relationship = proposal.relationship
    _require_party(by, relationship)
    proposal = TimeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != TimeProposal.Status.OPEN:
        raise ValidationError({"time_id": "These times were already answered"})
    if by.pk == proposal.proposed_by_id:
        raise ValidationError({"time_id": "The other side picks one of the times you proposed"})
    chosen = ProposedTime.objects.filter(proposal=proposal, pk=time_id).first()
    if chosen is None:
        raise ValidationError({"time_id": "Pick one of the proposed times"})
    meeting = meeting_schedule(
        relationship=relationship, by=by, starts_at=chosen.starts_at, time_zone=proposal.time_zone,
        duration_minutes=proposal.duration_minutes, mode=proposal.mode, place=proposal.place,
        video_url=proposal.video_url, notify_other=True,
    )
    Rsvp.objects.get_or_create(meeting=meeting, user_id=proposal.proposed_by_id,
                               defaults={"response": Rsvp.Response.YES})
    proposal.status = TimeProposal.Status.ACCEPTED
    proposal.meeting = meeting
    proposal.save(update_fields=["status", "meeting"])
    return meeting


@transaction.atomic
def proposal_withdraw(*, proposal: TimeProposal, by) -> TimeProposal:
    if by.pk != proposal.proposed_by_id:
        raise PermissionDenied("Only who proposed the times can withdraw them")
    updated = TimeProposal.objects.filter(pk=proposal.pk, status=TimeProposal.Status.OPEN).update(
        status=TimeProposal.Status.WITHDRAWN)
    if not updated:
        raise ValidationError("These times were already answered")
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def message_send(*, relationship: Relationship, by, body: str) -> Message:
    _require_party(by, relationship)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a message"})
    if len(body) > 1000:
        raise ValidationError({"body": "Keep messages under 1,000 characters"})
    message = Message.objects.create(relationship=relationship, author=by, body=body)
    notify(user=_other_side(by, relationship), kind="message", key=f"message:{message.pk}",
           title=f"Message from {by.display_name}", body=body, about=by,
           url=reverse("meetings:relationship_detail", args=[relationship.pk]) + "#messages")
    return message


# --- calendar feed ---------------------------------------------------------------------------------

@transaction.atomic
def calendar_feed_enable(*, by) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=by)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, by, replace: bool = True) -> CalendarFeed | None:
    """The old URL stops working at once; with replace, a new secret URL is made."""
    CalendarFeed.objects.filter(user=by).delete()
    return CalendarFeed.objects.create(user=by) if replace else None


# --- relationship lifecycle ------------------------------------------------------------------------

@transaction.atomic
def relationship_close_with_feedback(*, relationship: Relationship, by, reason: str,
                                     ratings: dict[str, int] | None = None, comment: str = "") -> Relationship:
    """A side closes the relationship and rates it: the reason goes on the relationship (and to the other
    side), the ratings to the program's closing survey. Both, or neither."""
    _require_party(by, relationship)
    closed = relationship_services.relationship_close(relationship=relationship, by=by, reason=reason)
    if ratings:
        _survey_save(relationship=closed, by=by, ratings=ratings, comment=comment, period="closing")
    return closed


@transaction.atomic
def rematch_request(*, relationship: Relationship, by, reason: str) -> RematchRequest:
    """Ask the program for another mentor (or mentee); the coordinators hear about it."""
    _require_party(by, relationship)
    if not reason.strip():
        raise ValidationError({"reason": "Tell the coordinator what you need"})
    request = RematchRequest.objects.create(relationship=relationship, requested_by=by, reason=reason.strip())
    if relationship.program_id:
        coordinators = Membership.objects.filter(program_id=relationship.program_id, role="coordinator",
                                                 is_active=True).select_related("user")
        for membership in coordinators:
            notify(user=membership.user, kind="referral", key=f"rematch:{request.pk}",
                   title=f"{by.display_name} asks for a rematch", body=request.reason, about=by,
                   url=reverse("meetings:rematch_queue", args=[relationship.program_id]) + f"#rematch-{request.pk}")
    return request


@transaction.atomic
def rematch_request_handle(*, request: RematchRequest, by) -> RematchRequest:
    """A coordinator has dealt with a rematch request (closed, reassigned or paired): it leaves the queue."""
    if not relationship_permissions.can_oversee(by, request.relationship):
        raise PermissionDenied("Only the coordinators of the relationship's program handle its rematch requests")
    if not RematchRequest.objects.filter(pk=request.pk, handled_at__isnull=True).update(handled_at=timezone.now()):
        raise StateConflict("This rematch request is handled already.")
    request.refresh_from_db()
    return request


@transaction.atomic
def relationships_nudge(*, relationships, by, message: str = "") -> int:
    """A coordinator checks in on relationships that are at risk or lapsed: both sides of each are told.
    Returns how many relationships were nudged (each at most once a day)."""
    nudged = 0
    today = timezone.localdate().isoformat()
    for relationship in relationships:
        if not (relationship.is_open and relationship_permissions.can_oversee(by, relationship)):
            raise PermissionDenied("Only the coordinators of a relationship's program nudge it")
        for side in (relationship.mentee, relationship.mentor):
            notify(user=side, kind="relationship", key=f"nudge:{relationship.pk}:{side.pk}:{today}", about=by,
                   title=f"{by.display_name} (your program coordinator) checks in on your mentorship",
                   body=(message.strip() + "\n\n" if message.strip() else "")
                   + "It has been a while since you last met. Schedule your next meeting, or tell your "
                     "coordinator what would help.",
                   url=reverse("meetings:relationship_detail", args=[relationship.pk]))
        nudged += 1
    return nudged


# --- resources and feedback ------------------------------------------------------------------------

@transaction.atomic
def resource_create(*, by, topic: str, title: str, description: str, url: str = "", document=None,
                    program=None, network=None) -> Resource:
    """Add a resource to the library of a program, of a network, or (neither given) of the whole site."""
    if program is not None and network is not None:
        raise ValidationError("A resource belongs to one program, one network, or the whole site")
    if not permissions.can_curate_resources(by, program_id=program.pk if program else None,
                                            network_id=network.pk if network else None):
        raise PermissionDenied("Only the site's admins curate site-wide resources, a network's coordinators its "
                               "resources and a program's coordinators its resources")
    errors = {}
    if topic not in RESOURCE_TOPICS:
        errors["topic"] = "Choose a topic"
    if not title.strip():
        errors["title"] = "Give a title"
    if not description.strip():
        errors["description"] = "Describe the resource in a sentence"
    url = (url or "").strip()
    if url and not is_web_link(url):
        errors["url"] = WEB_LINK_MESSAGE
    kind = ""
    if document:
        try:
            kind = validate_upload(document, kinds=RESOURCE_DOCUMENT_KINDS, max_bytes=RESOURCE_DOCUMENT_MAX_BYTES)
        except ValidationError as error:
            errors["document"] = error.messages
    if not url and not document:
        errors["url"] = "Give a link or upload a document"
    if errors:
        raise ValidationError(errors)
    resource = Resource(topic=topic, title=title.strip(), description=description.strip(), url=url,
                        program=program, network=network, created_by=by)
    if document:
        resource.document_kind = kind
        resource.document_name = download_name(document.name, kind)
        resource.document = document  # saved under a random name by resource_document_path
    resource.save()
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by) -> None:
    if not permissions.can_curate_resources(by, program_id=resource.program_id, network_id=resource.network_id):
        raise PermissionDenied("Only the site's admins remove site-wide resources, a network's coordinators its "
                               "resources and a program's coordinators its resources")
    stored = resource.document.name if resource.document else ""
    storage = resource.document.storage
    resource.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _survey_save(*, relationship: Relationship, by, ratings: dict[str, int], comment: str,
                 period: str) -> SurveyResponse:
    keys = [q["key"] for q in survey_questions(program_id=relationship.program_id)]
    errors = {}
    for key in keys:
        value = ratings.get(key)
        if value is not None and value not in RATING_SCALE:
            errors[key] = "Rate from 1 to 7"
    if not any(ratings.get(k) is not None for k in keys):
        errors["ratings"] = "Rate at least one item"
    if errors:
        raise ValidationError(errors)
    role = "mentee" if by.pk == relationship.mentee_id else "mentor"
    if SurveyResponse.objects.filter(relationship=relationship, respondent=by, period=period).exists():
        raise ValidationError({"ratings": "You already answered this survey for this period"})
    return SurveyResponse.objects.create(
        relationship=relationship, respondent=by, role=role, period=period, program_id=relationship.program_id,
        ratings={k: ratings[k] for k in keys if ratings.get(k) is not None}, comment=comment.strip(),
    )


@transaction.atomic
def survey_submit(*, relationship: Relationship, by, ratings: dict[str, int], comment: str = "",
                  period: str) -> SurveyResponse:
    if not relationship_permissions.is_party(by, relationship):
        raise PermissionDenied("Only the mentor and mentee answer this survey")
    return _survey_save(relationship=relationship, by=by, ratings=ratings, comment=comment, period=period)


@transaction.atomic
def survey_form_save(*, by, program, questions: list[str], every_months: int) -> SurveyForm:
    """Set a program's feedback questions and schedule. A question whose words are kept keeps its key, so
    the answers already given to it still count; a new one gets a new key."""
    if not permissions.can_edit_survey(by, program.pk):
        raise PermissionDenied
    if not questions or not 1 <= every_months <= 12:
        raise ValidationError("Write at least one question and ask it every 1 to 12 months.")

    current = {q["label"].casefold(): q["key"] for q in survey_questions(program_id=program.pk)}
    used = set()
    rows = []
    for label in questions:
        key = current.get(label.casefold())
        if key is None:
            base = slugify(label).replace("-", "_")[:40] or "question"
            key, number = base, 2
            while key in used or key in current.values():
                key, number = f"{base}_{number}", number + 1
        used.add(key)
        rows.append({"key": key, "label": label})
    form, _ = SurveyForm.objects.update_or_create(program=program, defaults={"questions": rows,
                                                                             "every_months": every_months})
    return form


@transaction.atomic
def survey_remind(*, by, program, relationship_ids, period: str) -> int:
    """A coordinator reminds the sides of the chosen active relationships who have not answered this
    period's feedback survey (each person at most once a day per relationship). Returns how many people
    were reminded. Nobody learns who else answered, nor what."""
    if not permissions.can_view_feedback(by, program.pk):
        raise PermissionDenied("Only the program's coordinators remind people of its survey")
    ids = {int(pk) for pk in relationship_ids}
    if not ids:
        raise ValidationError("Tick the relationships to remind first.")
    chosen = list(Relationship.objects.filter(program=program, status=Relationship.Status.ACTIVE, pk__in=ids)
                  .select_related("mentee", "mentor"))
    answered = set(SurveyResponse.objects.filter(relationship__in=chosen, period=period)
                   .values_list("relationship_id", "role"))
    today = timezone.localdate().isoformat()
    reminded = 0
    for relationship in chosen:
        for role, side in (("mentee", relationship.mentee), ("mentor", relationship.mentor)):
            if (relationship.pk, role) in answered:
                continue
            notify(user=side, kind="relationship", key=f"survey-remind:{relationship.pk}:{side.pk}:{today}",
                   about=by, title=f"{by.display_name} asks for your feedback on your mentorship",
                   body="A few ratings, two minutes: your program sees only averages over five answers or more.",
                   url=reverse("meetings:relationship_survey", args=[relationship.pk]))
            reminded += 1
    return reminded
