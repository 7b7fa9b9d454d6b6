"""Who may import into and export from a program: its coordinators and directors, and site admins."""

from django.db.models import QuerySet

from mentora.programs.selectors import user_roles

from .models import ImportBatch


def can_manage_program_data(user, program) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or program.pk in roles.coordinated_program_ids


def can_use_import(user) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or roles.is_coordinator


def import_batches_visible_to(user) -> QuerySet[ImportBatch]:
    """The imports into the programs a person coordinates (every import, for a site admin)."""
    if not user.is_authenticated:
        return ImportBatch.objects.none()
    roles = user_roles(user=user)
    if roles.is_admin:
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(program_id__in=roles.coordinated_program_ids)
