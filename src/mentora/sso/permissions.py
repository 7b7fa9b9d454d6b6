"""Who sets up an institution's sign-on: the site admin."""


def can_manage_sign_on(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)
