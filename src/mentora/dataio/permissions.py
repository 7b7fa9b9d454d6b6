"""Who may import into and export from a program: its coordinators and directors, and site admins."""

from mentora.programs.selectors import user_roles


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
