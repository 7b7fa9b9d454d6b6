"""Who may use the site admin console: site admins only (the design's "configuration, users, audit")."""

from mentora.programs.selectors import user_roles


def can_use_console(user) -> bool:
    """Every page and action of the console. Its services check it again themselves."""
    return bool(user.is_authenticated and user_roles(user=user).is_admin)
