"""IMG milestones include visa steps: only their owner sees or changes them."""


def can_manage_milestone(user, milestone) -> bool:
    return user.is_authenticated and milestone.user_id == user.pk
