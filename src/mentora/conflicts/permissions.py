"""Who may declare evaluating roles and set a program's conflict policy."""

from mentora.programs.selectors import user_roles


def can_declare_roles(user) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_mentor or roles.is_coordinator or roles.is_admin


def can_set_policy(user, program) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or program.pk in roles.coordinated_program_ids
