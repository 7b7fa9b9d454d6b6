"""Reads about mentoring relationships."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from mentora.programs.models import Membership
from mentora.programs.selectors import current_academic_year

from .models import Relationship


def relationships_of_mentee(*, mentee, open_only: bool = True) -> QuerySet[Relationship]:
    qs = Relationship.objects.filter(mentee=mentee).select_related("mentor", "mentor__profile", "program")
    if open_only:
        qs = qs.open()
    return qs.order_by("kind", "-created_at")


def relationships_of_mentor(*, mentor, open_only: bool = True) -> QuerySet[Relationship]:
    qs = Relationship.objects.filter(mentor=mentor).select_related("mentee", "mentee__profile", "program")
    if open_only:
        qs = qs.open()
    return qs.order_by("mentee__full_name")


def mentor_load(*, mentor=None, mentor_ids: Iterable[int] | None = None, outer_ref: str | None = None):
    """Mentees a mentor currently carries: proposed, active and paused relationships count.

    The one definition of a mentor's load, in the three shapes callers need:
    - ``mentor_load(mentor=person)`` -> int;
    - ``mentor_load(mentor_ids=[...])`` -> {mentor_id: load} (mentors without one are left out;
      ``mentor_ids=None`` with no other argument gives every mentor's);
    - ``mentor_load(outer_ref="user_id")`` -> an expression for ``annotate``, the load of the mentor
      whose id is in that column of the outer query (0 when none).
    """
    open_ones = Relationship.objects.open()
    if mentor is not None:
        return open_ones.filter(mentor=mentor).count()
    if outer_ref is not None:
        counted = (open_ones.filter(mentor=OuterRef(outer_ref)).order_by().values("mentor")
                   .annotate(n=Count("id")).values("n"))
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    if mentor_ids is not None:
        open_ones = open_ones.filter(mentor_id__in=list(mentor_ids))
    return dict(open_ones.order_by().values_list("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n"))



def _program_people(program, role: str):
    members = Membership.objects.filter(program=program, role=role, is_active=True,
                                        academic_year=current_academic_year()).values("user_id")
    return get_user_model().objects.filter(pk__in=members).order_by("full_name", "pk")


def program_mentees(*, program):
    """This year's active mentees of a program, by name (the people a coordinator can pair)."""
    return _program_people(program, "mentee")


def program_mentors(*, program):
    """This year's active mentors of a program who offer mentorship, by name (not a deactivated account)."""
    return _program_people(program, "mentor").filter(mentor_offer__isnull=False, is_active=True)


def events_of(*, relationship) -> QuerySet:
    """The relationship's history, oldest first."""
    return relationship.events.select_related("by")
