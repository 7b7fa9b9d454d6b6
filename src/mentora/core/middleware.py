"""Times on pages in the person's own time zone: their profile's zone is the current one for their requests,
so `{{ value|moment }}`, `{{ value|day }}` and Django's own date filters all show their local time."""

import zoneinfo

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
    from mentora.profiles.models import Profile

    zone = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return zone if zone and is_time_zone(zone) else ""
