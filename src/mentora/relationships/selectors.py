"""Reads about mentoring relationships."""

from django.db.models import Count, Q, QuerySet

from .models import Relationship


def relationships_of_mentee(*, mentee, open_only: bool = True) -> QuerySet[Relationship]:
    qs = Relationship.objects.filter(mentee=mentee).select_related("mentor", "mentor__profile", "program")
    if open_only:
        qs = qs.filter(status__in=Relationship.OPEN_STATUSES)
    return qs.order_by("kind", "-created_at")


def relationships_of_mentor(*, mentor, open_only: bool = True) -> QuerySet[Relationship]:
    qs = Relationship.objects.filter(mentor=mentor).select_related("mentee", "mentee__profile", "program")
    if open_only:
        qs = qs.filter(status__in=Relationship.OPEN_STATUSES)
    return qs.order_by("mentee__full_name")


def mentor_load(*, mentor) -> int:
    """Mentees a mentor currently carries: active, paused and proposed relationships count."""
    return Relationship.objects.filter(mentor=mentor, status__in=Relationship.OPEN_STATUSES).count()


def program_relationship_counts(*, program_ids) -> dict[str, int]:
    row = Relationship.objects.filter(program_id__in=program_ids).aggregate(
        active=Count("id", filter=Q(status=Relationship.Status.ACTIVE)),
        proposed=Count("id", filter=Q(status=Relationship.Status.PROPOSED)),
        paused=Count("id", filter=Q(status=Relationship.Status.PAUSED)),
        closed=Count("id", filter=Q(status=Relationship.Status.CLOSED)),
    )
    return {key: value or 0 for key, value in row.items()}
