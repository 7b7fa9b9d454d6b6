from mentora.programs.selectors import user_roles


def can_view_portfolio(user) -> bool:
    """A mentor's own portfolio: anyone who mentors (by membership, offer or relationship)."""
    if not user.is_authenticated:
        return False
    return user_roles(user=user).is_mentor or user.relationships_as_mentor.exists()
