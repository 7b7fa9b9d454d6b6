"""Dates in one format across the site: `{{ value|day }}` reads "6 Dec 2026", `{{ value|moment:zone }}` reads
"6 Dec 2026, 14:30" in the person's time zone (the views pass it: core.dates.zone_of). The formats are the
DATE_FORMAT and DATETIME_FORMAT settings, so pages and settings cannot drift apart."""

import datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import dateformat, timezone

from mentora.core.time_zones import is_time_zone

register = template.Library()


def _in_zone(value: datetime.datetime, zone: str | None) -> datetime.datetime:
    if timezone.is_naive(value):
        return value
    if zone and is_time_zone(zone):
        return value.astimezone(ZoneInfo(zone))
    return timezone.localtime(value)


@register.filter
def day(value, zone: str | None = None) -> str:
    """The day of a date, or of a moment in the person's zone."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = _in_zone(value, zone).date()
    return dateformat.format(value, settings.DATE_FORMAT)


@register.filter
def moment(value, zone: str | None = None) -> str:
    """Day and time of a moment in the person's zone."""
    if value in (None, ""):
        return ""
    return dateformat.format(_in_zone(value, zone), settings.DATETIME_FORMAT)
