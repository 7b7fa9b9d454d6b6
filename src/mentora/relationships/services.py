"""Writes to mentoring relationships."""

from django.db import transaction
from django.utils import timezone

from .models import Relationship


@transaction.atomic
def relationship_create(
    *, mentee, mentor, kind: str = "career", source: str = Relationship.Source.MANUAL, program=None,
    network=None, status: str = Relationship.Status.ACTIVE,
) -> Relationship:
    if mentee.pk == mentor.pk:
        raise ValueError("A person cannot mentor themselves")
    from mentora.conflicts.services import pair_check_allowed

    pair_check_allowed(mentor=mentor, mentee=mentee)  # raises ConflictOfInterest where a program forbids the pair
    relationship = Relationship.objects.create(
        mentee=mentee,
        mentor=mentor,
        kind=kind,
        source=source,
        program=program,
        network=network,
        status=status,
        started_on=timezone.localdate() if status == Relationship.Status.ACTIVE else None,
    )
    if relationship.status == Relationship.Status.ACTIVE:
        relationship_event(relationship, kind="relationship.started")
    return relationship


def relationship_event(relationship: Relationship, *, kind: str) -> None:
    """Tell the program's webhook subscribers (in the transaction of the change)."""
    from mentora.webhooks.events import person
    from mentora.webhooks.services import webhook_event_emit

    webhook_event_emit(kind=kind, program=relationship.program, data={
        "relationship": {"id": relationship.pk, "kind": relationship.kind, "status": relationship.status,
                         "source": relationship.source, "started_on": relationship.started_on,
                         "ended_on": relationship.ended_on},
        "mentee": person(relationship.mentee), "mentor": person(relationship.mentor)})


def _transition(relationship: Relationship, *, allowed_from: tuple[str, ...], to: str) -> Relationship:
    locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if locked.status not in allowed_from:
        raise ValueError(f"A {locked.get_status_display().lower()} relationship cannot become {to}")
    locked.status = to
    return locked


@transaction.atomic
def relationship_activate(*, relationship: Relationship) -> Relationship:
    """A proposed relationship becomes active (both sides confirmed their agreement)."""
    locked = _transition(relationship, allowed_from=(Relationship.Status.PROPOSED,), to=Relationship.Status.ACTIVE)
    locked.started_on = locked.started_on or timezone.localdate()
    locked.save(update_fields=["status", "started_on", "updated_at"])
    relationship_event(locked, kind="relationship.started")
    return locked


@transaction.atomic
def relationship_pause(*, relationship: Relationship) -> Relationship:
    locked = _transition(relationship, allowed_from=(Relationship.Status.ACTIVE,), to=Relationship.Status.PAUSED)
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def relationship_resume(*, relationship: Relationship) -> Relationship:
    locked = _transition(relationship, allowed_from=(Relationship.Status.PAUSED,), to=Relationship.Status.ACTIVE)
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def relationship_close(*, relationship: Relationship, reason: str) -> Relationship:
    if not reason.strip():
        raise ValueError("Say why the relationship closes")
    locked = _transition(relationship, allowed_from=Relationship.OPEN_STATUSES, to=Relationship.Status.CLOSED)
    locked.ended_on = timezone.localdate()
    locked.closing_reason = reason.strip()
    locked.save(update_fields=["status", "ended_on", "closing_reason", "updated_at"])
    relationship_event(locked, kind="relationship.closed")
    return locked
