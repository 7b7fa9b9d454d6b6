"""Who may open whose confidential records, write notes about them, and read the access log."""

from django.db.models import QuerySet

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.programs.selectors import user_roles

from .models import AccessLog, ConfidentialNote


def _trainee_program_ids(viewer, person) -> set[int]:
    """The programs the viewer coordinates where the person is a mentee this academic year (an
    accepted, active membership: a pending invitation or a program they left gives nothing)."""
    program_ids = user_roles(user=viewer).coordinated_program_ids
    if not program_ids:
        return set()
    return set(Membership.objects.filter(
        user=person, program_id__in=program_ids, academic_year=current_academic_year(), is_active=True,
        role=Membership.Role.MENTEE,
    ).values_list("program_id", flat=True))


def _coordinates_trainee(viewer, person) -> bool:
    return bool(_trainee_program_ids(viewer, person))


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


def confidential_notes_visible_to(viewer, person) -> QuerySet[ConfidentialNote]:
    """Notes are scoped to the program they were written in: a coordinator reads those of the programs
    they coordinate where the person trains now, never another program's, even for a shared member.
    The person and the site admin read them all."""
    notes = ConfidentialNote.objects.filter(subject=person)
    if not viewer.is_authenticated:
        return notes.none()
    if viewer.pk == person.pk or viewer.is_superuser:
        return notes
    return notes.filter(program_id__in=_trainee_program_ids(viewer, person))


def access_logs_visible_to(viewer) -> QuerySet[AccessLog]:
    """The openings of the viewer's own records (the admin reads all of them in the admin)."""
    return AccessLog.objects.filter(subject_id=viewer.pk)
