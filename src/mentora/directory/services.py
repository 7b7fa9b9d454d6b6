"""Writes for finding a mentor: preferences, requests (with their capacity check) and referrals."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mentora.conflicts.services import pair_check_allowed
from mentora.core.errors import StateConflict
from mentora.core.vocabulary import RELATIONSHIP_KINDS
from mentora.matching import SENSITIVE
from mentora.notifications.services import notify
from mentora.profiles.models import MentorOffer, SensitiveAttributes
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load
from mentora.relationships.services import relationship_start
from mentora.webhooks.events import person
from mentora.webhooks.services import webhook_event_emit

from . import permissions
from .models import (
    PREFERENCE_CRITERIA,
    MatchPreferences,
    MentorshipRequest,
    ReferralProposal,
    ReferralRequest,
)
from .selectors import mentee_program

DEFAULT_EXPIRY_DAYS = 14
NEXT_STEPS = (
    "What you can do next: look at the mentors recommended for you, search the directory again, "
    "or ask your network's coordinators for a referral."
)


# ------------------------------------------------------------------ preferences

@transaction.atomic
def preferences_update(*, by, weights: dict[str, int], concordance_wanted: list[str] | None = None,
                       concordance_weight: int | None = None) -> MatchPreferences:
    """Save 'What matters to me'. Concordance can only be asked for on consented attributes."""
    preferences, _ = MatchPreferences.objects.get_or_create(user=by)
    for name in PREFERENCE_CRITERIA:
        if name in weights:
            setattr(preferences, name, int(weights[name]))
    if concordance_weight is not None:
        preferences.concordance = int(concordance_weight)
    preferences.full_clean()
    preferences.save()
    if concordance_wanted is not None:
        wanted = [name for name in SENSITIVE if name in concordance_wanted]
        attributes = SensitiveAttributes.objects.filter(user=by, consented_at__isnull=False).first()
        if attributes is None:
            if wanted:
                raise ValidationError("Record your own optional attributes (with consent) before asking for "
                                      "a concordance.")
        else:
            attributes.concordance_wanted = wanted
            attributes.save(update_fields=["concordance_wanted", "updated_at"])
    return preferences


# ------------------------------------------------------------------ requests

def _request_url(request: MentorshipRequest) -> str:
    return reverse("directory:request_detail", args=[request.pk])


def check_can_ask(*, mentee, mentor, offer: MentorOffer) -> None:
    """A mentee asks a mentor who is not already theirs and has a place free (the product has no waitlist:
    a full mentor is shown full and cannot be asked until a place frees up)."""
    if not mentor.is_active:
        raise ValidationError(f"{mentor.display_name} no longer takes mentees: their account is closed. "
                              "Look at other mentors, or ask your network for a referral.")
    if Relationship.objects.filter(mentee=mentee, mentor=mentor, status__in=Relationship.OPEN_STATUSES).exists():
        raise ValidationError(f"{mentor.display_name} already mentors you: see your mentoring team.")
    if mentor_load(mentor=mentor) >= offer.capacity:
        raise ValidationError(
            f"{mentor.display_name} has no place free at the moment: all {offer.capacity} places are taken. "
            "Look at other mentors, or ask your network for a referral.")


@transaction.atomic
def request_create(*, mentor, kind: str, why: str, hopes: str, referral: ReferralRequest | None = None,
                   now: datetime.datetime | None = None, by) -> MentorshipRequest:
    """`by` asks `mentor` to mentor them (the mentee is always the person asking)."""
    mentee = by
    now = now or timezone.now()
    if not by.is_authenticated:
        raise PermissionDenied("Sign in to ask a mentor.")
    if mentee.pk == mentor.pk:
        raise ValidationError("You cannot ask yourself to be your mentor.")
    if kind not in RELATIONSHIP_KINDS:
        raise ValidationError(f"Unknown kind of mentorship: {kind}.")
    offer = MentorOffer.objects.filter(user=mentor).first()
    if offer is None:
        raise ValidationError("This person does not offer mentorship.")
    if not permissions.can_request_mentor(by, mentor):
        raise PermissionDenied("Sign in to ask a mentor.")
    if not offer.accepting_new_mentees:
        raise StateConflict("This mentor is not accepting new mentees at the moment.")
    if offer.kinds_offered and kind not in offer.kinds_offered:
        raise ValidationError("This mentor does not offer that kind of mentorship.")
    check_can_ask(mentee=mentee, mentor=mentor, offer=offer)
    if not why.strip() or not hopes.strip():
        raise ValidationError("Say why you ask this mentor and what you hope for.")
    pair_check_allowed(mentor=mentor, mentee=mentee)  # a program may forbid evaluators as mentors
    program = mentee_program(mentee)
    days = program.request_expiry_days if program else DEFAULT_EXPIRY_DAYS
    network = program.network if program and program.network_id else mentor.mentor_networks.order_by("pk").first()
    try:
        with transaction.atomic():
            request = MentorshipRequest.objects.create(
                mentee=mentee, mentor=mentor, kind=kind, why=why.strip(), hopes=hopes.strip(), program=program,
                network=network, referral=referral, expires_at=now + datetime.timedelta(days=days),
            )
    except IntegrityError as error:
        raise StateConflict("You already have a request waiting with this mentor for that kind.") from error
    notify(
        user=mentor, kind="request_received", key=f"request:{request.pk}:received",
        title=f"{mentee.display_name} asks you to be their {RELATIONSHIP_KINDS[kind].lower()}",
        body=f"Why: {request.why}\n\nWhat they hope for: {request.hopes}\n\n"
             f"Please answer by {timezone.localtime(request.expires_at):%d %B %Y}.",
        url=_request_url(request), about=mentee,
    )
    return request


def _locked_pending(request_id: int) -> MentorshipRequest:
    request = MentorshipRequest.objects.select_for_update(of=("self",)).select_related("mentee", "mentor").get(
        pk=request_id)
    if request.status != MentorshipRequest.Status.PENDING:
        raise StateConflict(f"This request is no longer waiting for an answer ({request.get_status_display()}).")
    return request


def request_accept(*, request_id: int, by, note: str = "", now: datetime.datetime | None = None) -> Relationship:
    """Accept a request and start the relationship (relationship_start: the conflict-of-interest policy,
    no duplicate, never beyond the mentor's capacity, CapacityFull when the places are taken)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked_pending(request_id)
        if not permissions.can_answer_request(by, request):
            raise PermissionDenied("Only the mentor asked can answer this request.")
        if request.expires_at > now:
            return _accept_locked(request, by, note, now)
    _expire(request)  # outside the rolled-back block, so the expiry sticks
    raise StateConflict("This request has expired.")


def _accept_locked(request: MentorshipRequest, mentor, note: str, now: datetime.datetime) -> Relationship:
    relationship = relationship_start(
        mentee=request.mentee, mentor=request.mentor, kind=request.kind,
        source=Relationship.Source.REFERRAL if request.referral_id else Relationship.Source.REQUEST,
        program=request.program, network=request.network, by=mentor,
    )
    request.status = MentorshipRequest.Status.ACCEPTED
    request.answer_note = note.strip()
    request.answered_at = now
    request.relationship = relationship
    request.save(update_fields=["status", "answer_note", "answered_at", "relationship"])
    _request_answered_event(request)
    notify(
        user=request.mentee, kind="request_answered", key=f"request:{request.pk}:answered",
        title=f"{request.mentor.display_name} accepted your request",
        body=(note.strip() + "\n\n" if note.strip() else "")
        + "Your new mentor is on your mentoring team. Prepare your first meeting: begin with the end in mind.",
        url=reverse("directory:mentoring_team"), about=request.mentor,
    )
    return relationship


def _request_answered_event(request: MentorshipRequest) -> None:
    webhook_event_emit(kind="request.answered", program=request.program, data={
        "request": {"id": request.pk, "kind": request.kind, "status": request.status, "answered_at": request.answered_at,
                    "relationship_id": request.relationship_id},
        "mentee": person(request.mentee), "mentor": person(request.mentor)})


@transaction.atomic
def request_decline(*, request_id: int, by, note: str = "", now: datetime.datetime | None = None
                    ) -> MentorshipRequest:
    request = _locked_pending(request_id)
    if not permissions.can_answer_request(by, request):
        raise PermissionDenied("Only the mentor asked can answer this request.")
    request.status = MentorshipRequest.Status.DECLINED
    request.answer_note = note.strip()
    request.answered_at = now or timezone.now()
    request.save(update_fields=["status", "answer_note", "answered_at"])
    _request_answered_event(request)
    notify(
        user=request.mentee, kind="request_answered", key=f"request:{request.pk}:answered",
        title=f"{request.mentor.display_name} cannot take you on at the moment",
        body=(f"Their note: {request.answer_note}\n\n" if request.answer_note else "") + NEXT_STEPS,
        url=_request_url(request), about=request.mentor,
    )
    return request


@transaction.atomic
def request_withdraw(*, request_id: int, by) -> MentorshipRequest:
    request = _locked_pending(request_id)
    if not permissions.can_withdraw_request(by, request):
        raise PermissionDenied("Only the mentee who asked can withdraw this request.")
    request.status = MentorshipRequest.Status.WITHDRAWN
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


def _expire(request: MentorshipRequest) -> bool:
    """Mark one pending request expired (a conditional update, so a second call does nothing)."""
    changed = MentorshipRequest.objects.filter(pk=request.pk, status=MentorshipRequest.Status.PENDING).update(
        status=MentorshipRequest.Status.EXPIRED, answered_at=timezone.now()
    )
    if changed:
        notify(
            user=request.mentee, kind="request_answered", key=f"request:{request.pk}:expired",
            title=f"Your request to {request.mentor.display_name} expired without an answer",
            body="Mentors are busy people; no answer is not a judgement of you.\n\n" + NEXT_STEPS,
            url=_request_url(request),
        )
    return bool(changed)


def requests_expire(*, now: datetime.datetime | None = None) -> int:
    """The idempotent expiry scan: every pending request past its date becomes expired, once.

    Safe to run from several places at once (cron, the reminders scan, a worker): each request is
    expired by a conditional update and its notice is recorded under a unique key.
    """
    now = now or timezone.now()
    expired = 0
    due = MentorshipRequest.objects.filter(status=MentorshipRequest.Status.PENDING, expires_at__lte=now)
    for request in due.select_related("mentee", "mentor").iterator(chunk_size=500):
        with transaction.atomic():
            expired += _expire(request)
    return expired


# ------------------------------------------------------------------ referrals

@transaction.atomic
def referral_create(*, network, kind: str, looking_for: str, by) -> ReferralRequest:
    """`by` asks the network's coordinators to propose mentors for them (the mentee is the person asking)."""
    if not by.is_authenticated:
        raise PermissionDenied("Sign in to ask a network for a referral.")
    if not permissions.can_ask_network_for_referral(by, network):
        raise PermissionDenied("Ask the network of your program for a referral: its coordinators know your program.")
    mentee = by
    if not looking_for.strip():
        raise ValidationError("Say what you are looking for in a mentor.")
    try:
        with transaction.atomic():
            referral = ReferralRequest.objects.create(
                mentee=mentee, network=network, kind=kind, looking_for=looking_for.strip())
    except IntegrityError as error:
        raise StateConflict("You already have a referral request open with this network for that kind.") from error
    for coordinator in network.coordinators.all():
        notify(
            user=coordinator, kind="referral", key=f"referral:{referral.pk}:new:{coordinator.pk}",
            title=f"{mentee.display_name} asks for a mentor referral",
            body=referral.looking_for, url=reverse("directory:referral_detail", args=[referral.pk]), about=mentee,
        )
    return referral


@transaction.atomic
def referral_propose(*, referral_id: int, by, mentor_ids: list[int], note: str = "") -> ReferralRequest:
    referral = ReferralRequest.objects.select_for_update().select_related("mentee").get(pk=referral_id)
    if referral.status not in (ReferralRequest.Status.OPEN, ReferralRequest.Status.PROPOSED):
        raise StateConflict("This referral request is closed.")
    if not permissions.can_answer_referral(by, referral):
        raise PermissionDenied("Only a coordinator of the mentee's network proposes mentors.")
    unique = list(dict.fromkeys(mentor_ids))
    if not 1 <= len(unique) <= 3:
        raise ValidationError("Propose one, two or three mentors.")
    if referral.mentee_id in unique:
        raise ValidationError("A mentee cannot be proposed as their own mentor.")
    offers = set(MentorOffer.objects.filter(user_id__in=unique, accepting_new_mentees=True,
                                            user__is_active=True).values_list(
        "user_id", flat=True))
    missing = [pk for pk in unique if pk not in offers]
    if missing:
        raise ValidationError("Propose only mentors from the directory who accept new mentees.")
    ReferralProposal.objects.filter(referral=referral).delete()
    ReferralProposal.objects.bulk_create(
        [ReferralProposal(referral=referral, mentor_id=pk, position=i) for i, pk in enumerate(unique)]
    )
    referral.status = ReferralRequest.Status.PROPOSED
    referral.coordinator_note = note.strip()
    referral.answered_by = by
    referral.answered_at = timezone.now()
    referral.save(update_fields=["status", "coordinator_note", "answered_by", "answered_at"])
    notify(
        user=referral.mentee, kind="referral", key=f"referral:{referral.pk}:proposed:{int(referral.answered_at.timestamp())}",
        title="Your network proposes mentors for you",
        body=(referral.coordinator_note + "\n\n" if referral.coordinator_note else "")
        + "Pick one and a request goes out to them.",
        url=reverse("directory:referral_detail", args=[referral.pk]), about=by,
    )
    return referral


@transaction.atomic
def referral_pick(*, referral_id: int, by, mentor_id: int, why: str, hopes: str) -> MentorshipRequest:
    referral = ReferralRequest.objects.select_for_update().get(pk=referral_id)
    if referral.status != ReferralRequest.Status.PROPOSED:
        raise StateConflict("There is no proposal to pick from.")
    if not permissions.can_pick_referral(by, referral):
        raise PermissionDenied("Only the mentee who asked can pick a mentor.")
    proposal = ReferralProposal.objects.filter(referral=referral, mentor_id=mentor_id).select_related("mentor").first()
    if proposal is None:
        raise ValidationError("Pick one of the proposed mentors.")
    request = request_create(by=by, mentor=proposal.mentor, kind=referral.kind, why=why, hopes=hopes,
                             referral=referral)
    referral.status = ReferralRequest.Status.PICKED
    referral.save(update_fields=["status"])
    return request


@transaction.atomic
def referral_cancel(*, referral_id: int, by) -> ReferralRequest:
    referral = ReferralRequest.objects.select_for_update().get(pk=referral_id)
    if referral.status not in (ReferralRequest.Status.OPEN, ReferralRequest.Status.PROPOSED):
        raise StateConflict("This referral request is already closed.")
    if not permissions.can_cancel_referral(by, referral):
        raise PermissionDenied("Only the mentee who asked can cancel.")
    referral.status = ReferralRequest.Status.CANCELLED
    referral.save(update_fields=["status"])
    return referral
