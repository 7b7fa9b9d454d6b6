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
    return Relationship.objects.create(
        mentee=mentee,
        mentor=mentor,
        kind=kind,
        source=source,
        program=program,
        network=network,
        status=status,
        started_on=timezone.localdate() if status == Relationship.Status.ACTIVE else None,
    )
