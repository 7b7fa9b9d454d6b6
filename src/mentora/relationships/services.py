"""Writes to mentoring relationships: the one place a relationship starts, changes state and ends.

Every function takes the acting person as ``by``, checks ``permissions`` itself and raises
ValidationError (bad input), StateConflict (the state refuses it) or PermissionDenied.

Starting a relationship always runs the same three checks, in one transaction:
1. the conflict-of-interest policy (a mentor who also evaluates the mentee);
2. no open relationship of the same pair and kind (the database constraint backs this up);
3. the mentor's free places: the mentor's MentorOffer row is locked (SELECT ... FOR UPDATE) before
   their open relationships are counted, so two starts racing for the last place run one after the
   other and the second sees the first one's relationship.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentora.conflicts.selectors import conflict_map, policy_of
from mentora.conflicts.services import ConflictOfInterest
from mentora.core.errors import StateConflict
from mentora.core.vocabulary import RELATIONSHIP_KINDS
from mentora.notifications.services import notify
from mentora.profiles.models import MentorOffer
from mentora.webhooks.events import person
from mentora.webhooks.services import webhook_event_emit

from . import permissions
from .models import Relationship, RelationshipEvent
from .selectors import mentor_load

User = get_user_model()


class CapacityFull(StateConflict):
    """The mentor has no free place left; nothing was created."""


class AlreadyOpen(StateConflict):
    """The pair already has an open relationship of that kind."""


# --- starting ----------------------------------------------------------------------------------------

def _refuse_conflicts(pairs: list[tuple[int, int]], *, source: str, academic_year: int | None, users,
                      program=None, kept: dict[tuple[int, int], str] | None = None) -> dict[tuple[int, int], list]:
    """A program's policy may forbid a mentor who evaluates the mentee; a batch match never pairs them,
    but for the pairs in ``kept`` (with the coordinator's reason) where the program's policy lets a
    coordinator keep such a pair and nothing forbids it. Returns the conflicts of the kept pairs."""
    found = conflict_map(mentee_ids={a for a, _ in pairs}, mentor_ids={b for _, b in pairs},
                         academic_year=academic_year)
    every_conflict = source == Relationship.Source.BATCH_MATCH
    kept = kept or {}
    may_keep = bool(kept) and program is not None and policy_of(program=program).coordinator_may_override
    allowed = {pair for pair in set(pairs) & found.keys() & kept.keys()
               if may_keep and kept[pair].strip() and not any(c.forbidden for c in found[pair])}
    refused = sorted(pair for pair in set(pairs) & found.keys() - allowed
                     if every_conflict or any(c.forbidden for c in found[pair]))
    if not refused:
        return {pair: found[pair] for pair in allowed}
    if every_conflict:
        names = sorted(f"{users[a].display_name} with {users[b].display_name}" for a, b in refused)
        raise ConflictOfInterest(
            "These pairs are conflicts of interest (the mentor also evaluates the mentee) and are never "
            "published: " + "; ".join(names) + ". Remove them, or re-run.", code="conflict_of_interest")
    mentee_id, mentor_id = refused[0]
    mentor, mentee = users[mentor_id], users[mentee_id]
    reason = next(c for c in found[(mentee_id, mentor_id)] if c.forbidden).text
    raise ConflictOfInterest(
        f"{mentor.display_name} evaluates {mentee.display_name} ({reason}), and the program does not allow a "
        "mentor who also evaluates the mentee.", code="conflict_of_interest")


def _refuse_duplicates(pairs: list[tuple[int, int]], *, kind: str, by) -> None:
    existing = set(Relationship.objects.open().filter(
        mentee_id__in={a for a, _ in pairs}, mentor_id__in={b for _, b in pairs}, kind=kind,
    ).values_list("mentee_id", "mentor_id")) & set(pairs)
    if not existing:
        return
    if len(pairs) > 1:
        raise AlreadyOpen(f"{len(existing)} pair(s) already have an open relationship; remove them first.")
    mentee_id, _ = pairs[0]
    raise AlreadyOpen("This mentor already mentors you in that kind of mentorship." if by.pk == mentee_id
                      else "These two already have an open relationship of that kind.")


def _refuse_beyond_capacity(pairs: list[tuple[int, int]], *, by, users) -> None:
    """Lock the mentors' offers (in one order, so concurrent starts cannot deadlock), then count."""
    mentor_ids = sorted({b for _, b in pairs})
    capacity = dict(MentorOffer.objects.select_for_update().filter(user_id__in=mentor_ids).order_by("user_id")
                    .values_list("user_id", "capacity"))
    load = mentor_load(mentor_ids=mentor_ids)
    adding: dict[int, int] = {}
    for _, mentor_id in pairs:
        adding[mentor_id] = adding.get(mentor_id, 0) + 1
    full = [m for m, n in adding.items() if load.get(m, 0) + n > capacity.get(m, 0)]
    if not full:
        return
    if len(pairs) > 1:
        raise CapacityFull("These mentors no longer have enough free places: "
                           + ", ".join(sorted(users[m].display_name for m in full))
                           + ". Remove or swap their pairs, or re-run.")
    mentor_id = full[0]
    if mentor_id not in capacity:
        raise CapacityFull(f"{users[mentor_id].display_name} does not offer mentorship.")
    if by.pk == mentor_id:
        raise CapacityFull(
            f"All your {capacity[mentor_id]} places are taken. Raise your capacity on your profile or decline.")
    raise CapacityFull(f"All {capacity[mentor_id]} places of {users[mentor_id].display_name} are taken.")


def _insert(*, mentee, mentor, kind: str, source: str, program, network) -> Relationship:
    relationship = Relationship.objects.create(
        mentee=mentee, mentor=mentor, kind=kind, source=source, program=program, network=network,
        status=Relationship.Status.ACTIVE, started_on=timezone.localdate(),
    )
    _emit_webhook(relationship, kind="relationship.started")
    return relationship


def _emit_webhook(relationship: Relationship, *, kind: str) -> None:
    """Tell the program's webhook subscribers (in the transaction of the change)."""
    webhook_event_emit(kind=kind, program=relationship.program, data={
        "relationship": {"id": relationship.pk, "kind": relationship.kind, "status": relationship.status,
                         "source": relationship.source, "started_on": relationship.started_on,
                         "ended_on": relationship.ended_on},
        "mentee": person(relationship.mentee), "mentor": person(relationship.mentor)})


@transaction.atomic
def relationship_start_many(*, pairs: Iterable[tuple[int, int]], kind: str, source: str, program, by,
                            network=None, academic_year: int | None = None,
                            kept_conflicts: dict[tuple[int, int], str] | None = None) -> list[Relationship]:
    """Start many relationships at once (a batch match's publish): all of them, or none.

    ``pairs`` are (mentee_id, mentor_id). The checks are those of ``relationship_start``, run over the
    whole batch in a constant number of queries; a refusal names every pair or mentor concerned.
    ``kept_conflicts`` maps the conflict-of-interest pairs a coordinator kept to their reason: allowed
    only where the program's policy lets a coordinator keep one, and the reason goes into the history.
    """
    pairs = [(int(a), int(b)) for a, b in pairs]
    if not pairs:
        raise ValidationError("There is no pair to start.")
    if any(a == b for a, b in pairs):
        raise ValidationError("A person cannot mentor themselves.")
    if len(set(pairs)) != len(pairs):
        raise ValidationError("The same pair appears twice.")
    users = User.objects.in_bulk({x for pair in pairs for x in pair})
    for _, mentor_id in set(pairs):
        if not permissions.can_start(by, mentor=users[mentor_id], source=source, program=program):
            raise PermissionDenied("Only the coordinators of the program can start its relationships.")
    _refuse_beyond_capacity(pairs, by=by, users=users)
    kept = _refuse_conflicts(pairs, source=source, academic_year=academic_year, users=users, program=program,
                             kept=kept_conflicts)
    _refuse_duplicates(pairs, kind=kind, by=by)
    network = network if network is not None else (program.network if program is not None else None)
    created = [_insert(mentee=users[a], mentor=users[b], kind=kind, source=source, program=program, network=network)
               for a, b in pairs]
    RelationshipEvent.objects.bulk_create(
        RelationshipEvent(relationship=r, action=RelationshipEvent.Action.STARTED, by=by,
                          reason=kept_conflict_note(kept[(r.mentee_id, r.mentor_id)],
                                                    (kept_conflicts or {})[(r.mentee_id, r.mentor_id)])
                          if (r.mentee_id, r.mentor_id) in kept else "")
        for r in created)
    return created


def kept_conflict_note(conflicts, reason: str) -> str:
    """The words a kept conflict-of-interest pair carries in the history and in both notifications."""
    why = "; ".join(c.text for c in conflicts)
    return (f"Kept by the coordinator although the mentor also evaluates the mentee ({why}): "
            f"{reason.strip()}")


@transaction.atomic
def relationship_start(*, mentee, mentor, kind: str, source: str, program, by, network=None,
                       reason: str = "") -> Relationship:
    """Start one active relationship: a request or referral the mentor accepts, or a manual pairing.

    Refuses (and writes nothing) when the program's policy forbids the pair, when the pair already has
    an open relationship of this kind, or when the mentor has no free place.
    """
    if mentee.pk == mentor.pk:
        raise ValidationError("A person cannot mentor themselves.")
    if kind not in RELATIONSHIP_KINDS:
        raise ValidationError({"kind": f"Unknown kind of mentorship: {kind}."})
    if source not in Relationship.Source.values:
        raise ValidationError(f"Unknown source: {source}.")
    if not permissions.can_start(by, mentor=mentor, source=source, program=program):
        raise PermissionDenied("Only the mentor asked, or a coordinator of the program, can start this relationship.")
    users = {mentee.pk: mentee, mentor.pk: mentor}
    pairs = [(mentee.pk, mentor.pk)]
    _refuse_beyond_capacity(pairs, by=by, users=users)
    _refuse_conflicts(pairs, source=source, academic_year=None, users=users)
    _refuse_duplicates(pairs, kind=kind, by=by)
    network = network if network is not None else (program.network if program is not None else None)
    started = _insert(mentee=mentee, mentor=mentor, kind=kind, source=source, program=program, network=network)
    _record(started, RelationshipEvent.Action.STARTED, by=by, reason=reason)
    return started


@transaction.atomic
def relationship_pair(*, mentee, mentor, kind: str, program, by, reason: str) -> Relationship:
    """A coordinator pairs two people by hand: a start like any other (same checks), with a reason that
    both of them read and that stays in the relationship's history."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you pair them"})
    started = relationship_start(mentee=mentee, mentor=mentor, kind=kind, source=Relationship.Source.MANUAL,
                                 program=program, by=by, reason=reason)
    _tell_started(started, by=by, reason=reason)
    return started


def _tell_started(relationship: Relationship, *, by, reason: str) -> None:
    url = reverse("meetings:relationship_detail", args=[relationship.pk])
    mentee, mentor = relationship.mentee, relationship.mentor
    lead = f"{reason.strip()}\n\n" if reason.strip() else ""
    notify(user=mentee, kind="relationship", key=f"started:{relationship.pk}:mentee", about=by, url=url,
           title=f"{by.display_name} paired you with {mentor.display_name}",
           body=lead + "Prepare your first meeting: begin with the end in mind.")
    notify(user=mentor, kind="relationship", key=f"started:{relationship.pk}:mentor", about=by, url=url,
           title=f"{by.display_name} paired you with {mentee.display_name} as their mentor",
           body=lead + "Agree on the terms of your mentorship together.")


def _record(relationship: Relationship, action: str, *, by, reason: str = "") -> RelationshipEvent:
    return RelationshipEvent.objects.create(relationship=relationship, action=action, by=by, reason=reason.strip())


# --- changing state ----------------------------------------------------------------------------------

def _locked(relationship: Relationship, *, allowed_from: tuple[str, ...], to: str) -> Relationship:
    locked = Relationship.objects.select_for_update().select_related("mentee", "mentor").get(pk=relationship.pk)
    if locked.status not in allowed_from:
        raise StateConflict(f"A {locked.get_status_display().lower()} relationship cannot become {to}.")
    locked.status = to
    return locked


def _tell(relationship: Relationship, *, by, key: str, title_by_party: str, title_by_coordinator: str,
          body: str) -> None:
    """A side's change reaches the other side; a coordinator's reaches both (with the reason)."""
    url = reverse("meetings:relationship_detail", args=[relationship.pk])
    if by.pk in (relationship.mentee_id, relationship.mentor_id):
        other = relationship.mentor if by.pk == relationship.mentee_id else relationship.mentee
        notify(user=other, kind="relationship", key=key, title=title_by_party.format(name=by.display_name),
               body=body, url=url, about=by)
        return
    for side in (relationship.mentee, relationship.mentor):
        notify(user=side, kind="relationship", key=f"{key}:{side.pk}",
               title=title_by_coordinator.format(name=by.display_name), body=body, url=url, about=by)


def _require_change(by, relationship: Relationship) -> None:
    if not permissions.can_change(by, relationship):
        raise PermissionDenied("Only the mentor and mentee of an open relationship, or its program's coordinators, "
                               "can change it")


def relationship_activate(*, relationship: Relationship, by) -> Relationship:
    """A proposed relationship becomes active (both sides confirmed their agreement)."""
    if not permissions.is_party(by, relationship):
        raise PermissionDenied("Only the mentor and mentee confirm their relationship")
    with transaction.atomic():
        locked = _locked(relationship, allowed_from=(Relationship.Status.PROPOSED,), to=Relationship.Status.ACTIVE)
        locked.started_on = locked.started_on or timezone.localdate()
        locked.save(update_fields=["status", "started_on", "updated_at"])
        _emit_webhook(locked, kind="relationship.started")
        _record(locked, RelationshipEvent.Action.STARTED, by=by, reason="Both sides confirmed the agreement")
    return locked


@transaction.atomic
def relationship_pause(*, relationship: Relationship, by, reason: str = "") -> Relationship:
    _require_change(by, relationship)
    paused = _locked(relationship, allowed_from=(Relationship.Status.ACTIVE,), to=Relationship.Status.PAUSED)
    paused.save(update_fields=["status", "updated_at"])
    _record(paused, RelationshipEvent.Action.PAUSED, by=by, reason=reason)
    body = "Reminders about the cadence stop until one of you resumes it."
    _tell(paused, by=by, key=f"paused:{paused.pk}:{paused.updated_at.isoformat()}",
          title_by_party="{name} paused your mentoring relationship",
          title_by_coordinator="{name} (your program coordinator) paused your mentoring relationship",
          body=f"{reason.strip()}\n\n{body}" if reason.strip() else body)
    return paused


@transaction.atomic
def relationship_resume(*, relationship: Relationship, by, reason: str = "", notify_other: bool = True
                        ) -> Relationship:
    """A paused relationship is active again. ``notify_other=False`` for callers that tell the other side
    themselves (recommitting to the agreement)."""
    _require_change(by, relationship)
    resumed = _locked(relationship, allowed_from=(Relationship.Status.PAUSED,), to=Relationship.Status.ACTIVE)
    resumed.save(update_fields=["status", "updated_at"])
    _record(resumed, RelationshipEvent.Action.RESUMED, by=by, reason=reason)
    if notify_other:
        body = "The agreed cadence counts again from today."
        _tell(resumed, by=by, key=f"resumed:{resumed.pk}:{resumed.updated_at.isoformat()}",
              title_by_party="{name} resumed your mentoring relationship",
              title_by_coordinator="{name} (your program coordinator) resumed your mentoring relationship",
              body=f"{reason.strip()}\n\n{body}" if reason.strip() else body)
    return resumed


@transaction.atomic
def relationship_close(*, relationship: Relationship, by, reason: str) -> Relationship:
    """End the relationship for both sides; the reason stays on it and goes to the other side."""
    _require_change(by, relationship)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the relationship closes"})
    closed = _locked(relationship, allowed_from=Relationship.OPEN_STATUSES, to=Relationship.Status.CLOSED)
    closed.ended_on = timezone.localdate()
    closed.closing_reason = reason.strip()
    closed.save(update_fields=["status", "ended_on", "closing_reason", "updated_at"])
    _emit_webhook(closed, kind="relationship.closed")
    _record(closed, RelationshipEvent.Action.CLOSED, by=by, reason=reason)
    _tell(closed, by=by, key=f"closed:{closed.pk}",
          title_by_party="{name} closed your mentoring relationship",
          title_by_coordinator="{name} (your program coordinator) closed your mentoring relationship",
          body=reason.strip())
    return closed


@transaction.atomic
def relationship_reassign(*, relationship: Relationship, by, mentor, reason: str) -> Relationship:
    """Give the mentee another mentor: this relationship closes with the reason and a new one starts,
    with every check a start runs. Returns the new relationship."""
    if not permissions.can_reassign(by, relationship):
        raise PermissionDenied("Only the coordinators of the relationship's program can reassign it")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the mentee gets another mentor"})
    if mentor.pk == relationship.mentor_id:
        raise ValidationError({"mentor": "Choose another mentor than the current one"})
    relationship_close(relationship=relationship, by=by, reason=reason)
    started = relationship_start(mentee=relationship.mentee, mentor=mentor, kind=relationship.kind,
                                 source=Relationship.Source.MANUAL, program=relationship.program, by=by,
                                 network=relationship.network, reason=reason)
    _tell_started(started, by=by, reason=reason)
    return started

