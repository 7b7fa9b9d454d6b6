"""Batch matching belongs to a program's coordinators and directors (and site admins)."""

from django.db.models import QuerySet

from mentora.programs.selectors import user_roles

from .models import MatchRun


def can_run_for_program(viewer, program_id: int) -> bool:
    if not viewer.is_authenticated:
        return False
    roles = user_roles(user=viewer)
    return roles.is_admin or program_id in roles.coordinated_program_ids


def visible_runs(viewer) -> QuerySet[MatchRun]:
    """Only the runs of programs the viewer coordinates."""
    if not viewer.is_authenticated:
        return MatchRun.objects.none()
    roles = user_roles(user=viewer)
    if roles.is_admin:
        return MatchRun.objects.all()
    return MatchRun.objects.filter(program_id__in=roles.coordinated_program_ids)


def can_use_batch_match(viewer) -> bool:
    if not viewer.is_authenticated:
        return False
    roles = user_roles(user=viewer)
    return roles.is_admin or roles.is_coordinator
