"""Who manages an institution's provisioning: the site admin."""


def can_manage_provisioning(user, institution) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)
