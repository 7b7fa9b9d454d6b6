"""Times on pages in the person's own time zone: their profile's zone is the current one for their requests,
so `{{ value|moment }}`, `{{ value|day }}` and Django's own date filters all show their local time."""

import zoneinfo

from django.contrib.auth import get_user_model
from django.utils import timezone

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
    # Through the person (core imports no app): their profile's zone, in one query. Every page asks, so the
    # query is the plain lookup by key (`first()` would sort the one row by the people's ordering, which
    # costs more to build than the lookup itself).
    found = get_user_model().objects.filter(pk=user.pk).values_list("profile__time_zone", flat=True).order_by()[:1]
    zone = next(iter(found), None)
    return zone if zone and is_time_zone(zone) else ""
