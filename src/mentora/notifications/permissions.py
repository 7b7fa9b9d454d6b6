"""Who may change what a program's emails say: its coordinators and directors, and site admins."""

from mentora.programs.selectors import user_roles


def can_edit_email_templates(user, program) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or program.pk in roles.coordinated_program_ids
