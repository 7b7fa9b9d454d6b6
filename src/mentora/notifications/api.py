"""Notices and how each kind reaches a person, in the REST API: each person sees and changes only their own."""

import datetime

from ninja import Query, Router, Schema

from mentora.api.pagination import paginated

from .kinds import KINDS
from .models import NotificationPreference
from .selectors import notifications_for
from .services import notification_mark_read, preferences_save

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    about_id: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationFilters(Schema):
    unread: bool = False


class MarkedOut(Schema):
    marked_read: int


class PreferenceOut(Schema):
    kind: str
    label: str
    delivery: str


class PreferencesIn(Schema):
    deliveries: dict[str, str] = {}


@router.get("", response=list[NotificationOut], summary="Your notices, newest first")
@paginated
def notification_list(request, filters: Query[NotificationFilters]):
    return notifications_for(user=request.auth, unread_only=filters.unread).order_by("-created_at", "-pk")


@router.post("/read-all", response=MarkedOut, summary="Mark all your notices read")
def notification_read_all(request):
    return {"marked_read": notification_mark_read(user=request.auth)}


@router.post("/{notification_id}/read", response=MarkedOut, summary="Mark one of your notices read")
def notification_read(request, notification_id: int):
    return {"marked_read": notification_mark_read(user=request.auth, notification_id=notification_id)}


def _preferences(user) -> list[dict]:
    current = {p.kind: p.delivery for p in NotificationPreference.objects.filter(user=user)}
    return [{"kind": kind, "label": label, "delivery": current.get(kind, NotificationPreference.Delivery.EMAIL)}
            for kind, label in KINDS.items()]


@router.get("/preferences", response=list[PreferenceOut], summary="How each kind of notice reaches you")
def preference_list(request):
    return _preferences(request.auth)


@router.put("/preferences", response=list[PreferenceOut],
            summary="Choose per kind: email, in_app, digest or off (kinds left out keep their choice)")
def preference_save(request, payload: PreferencesIn):
    preferences_save(user=request.auth, deliveries=payload.deliveries)
    return _preferences(request.auth)
