"""Times on pages in the person's own time zone: their profile's zone is the current one for their requests,
so `{{ value|moment }}`, `{{ value|day }}` and Django's own date filters all show their local time."""

import zoneinfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from mentora.core.db import CompiledOnce
from mentora.core.time_zones import is_time_zone


class PersonTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _zone_of(getattr(request, "user", None))
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _zone_of(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    found = _TIME_ZONE.rows(person=user.pk)
    zone = found[0][0] if found else None
    return zone if zone and is_time_zone(zone) else ""


def _time_zone_of(*, person: int):
    # Through the person (core imports no app): their profile's zone, in one query. Every page asks, so the
    # query is the plain lookup by key, compiled once (`first()` would sort the one row by the people's ordering).
    return get_user_model().objects.filter(pk=person).values_list("profile__time_zone").order_by()[:1]


_TIME_ZONE = CompiledOnce(_time_zone_of)
