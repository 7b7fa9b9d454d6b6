"""Who may answer a program's invitation, and who manages a program's people."""

from .selectors import user_roles


def can_answer_invitation(viewer, invitation) -> bool:
    """Only the person asked accepts or declines; nobody answers for them, not even an admin."""
    return viewer.is_authenticated and viewer.pk == invitation.user_id


def can_manage_people(viewer, program) -> bool:
    """The program's people page and adding someone by hand: its coordinators and directors, site admins."""
    if not viewer.is_authenticated:
        return False
    roles = user_roles(user=viewer)
    return roles.is_admin or program.pk in roles.coordinated_program_ids
