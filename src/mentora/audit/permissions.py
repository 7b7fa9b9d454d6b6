"""Who may open whose confidential records, write notes about them, and read the access log."""

from django.db.models import QuerySet

from mentora.programs.models import Membership
from mentora.programs.selectors import current_academic_year, user_roles

from .models import AccessLog


def _coordinates_trainee(viewer, person) -> bool:
    """The viewer coordinates a program where the person is a mentee this academic year."""
    program_ids = user_roles(user=viewer).coordinated_program_ids
    return bool(program_ids) and Membership.objects.filter(
        user=person, program_id__in=program_ids, academic_year=current_academic_year(), is_active=True,
        role=Membership.Role.MENTEE,
    ).exists()


def can_open_confidential_records(viewer, person) -> bool:
    """The person themself; with a reason, the coordinators of the program they train in, and the site admin."""
    if not viewer.is_authenticated:
        return False
    return viewer.pk == person.pk or viewer.is_superuser or _coordinates_trainee(viewer, person)


def can_write_confidential_note(viewer, person) -> bool:
    """Wellbeing and remediation notes are written by the trainee's program (or the admin)."""
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return False
    return viewer.is_superuser or _coordinates_trainee(viewer, person)


def access_logs_visible_to(viewer) -> QuerySet[AccessLog]:
    """The openings of the viewer's own records (the admin reads all of them in the admin)."""
    return AccessLog.objects.filter(subject_id=viewer.pk)
