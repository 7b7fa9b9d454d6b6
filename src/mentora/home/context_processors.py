from mentora.notifications.selectors import unread_count
from mentora.programs.selectors import user_roles

from .navigation import SESSION_KEY, navigation_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": None}
    roles = user_roles(user=user)
    match = getattr(request, "resolver_match", None)
    url_name = match.view_name if match else None
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    return {
        "roles": roles,
        "unread_notifications": unread_count(user=user),
        **navigation_for(roles=roles, chosen=chosen, url_name=url_name, is_staff=user.is_staff),
    }
