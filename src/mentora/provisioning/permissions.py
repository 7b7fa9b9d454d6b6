"""Who manages an institution's provisioning: the site admin."""


def can_see_provisioning(user) -> bool:
    """Who sees every institution's provisioning (the console's list): the site admin."""
    return bool(user and user.is_authenticated and user.is_superuser)


def can_manage_provisioning(user, institution) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)
