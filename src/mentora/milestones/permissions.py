"""IMG milestones include visa steps: only their owner sees or changes them."""


def can_manage_milestone(user, milestone) -> bool:
    return user.is_authenticated and milestone.user_id == user.pk


def can_see_milestones_of(viewer, owner) -> bool:
    """Whose IMG milestones appear on a timeline: the owner's own only, never a mentor's or coordinator's view."""
    return viewer.is_authenticated and viewer.pk == owner.pk
