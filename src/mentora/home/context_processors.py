from mentora.notifications.selectors import unread_count
from mentora.programs.selectors import user_roles


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": None}
    return {"roles": user_roles(user=user), "unread_notifications": unread_count(user=user)}
