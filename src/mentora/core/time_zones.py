"""Time zones: one home for the list people choose from, its select (grouped by region, searchable
by typing), and the check every form, service and API uses. Names are IANA's ("America/Chicago")."""

import copy
import datetime
import zoneinfo
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
           "Pacific")
TIME_ZONES: tuple[str, ...] = tuple(sorted(z for z in zoneinfo.available_timezones() if z.split("/")[0] in REGIONS))
DEFAULT_TIME_ZONE = "America/New_York"


@lru_cache(maxsize=1024)
def is_time_zone(name: str) -> bool:
    """An IANA time zone people live in (not "Mars/Olympus", not a bare abbreviation like "EST")."""
    return name in TIME_ZONES or name == "UTC"


def zone_or_default(name: str | None) -> str:
    """A person's profile zone where it is a valid one, else the site's (settings.TIME_ZONE): the zone their
    pages are shown in, for work done on their behalf outside a request (the worker's warm-ups)."""
    return name if name and is_time_zone(name) else settings.TIME_ZONE


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name or ""):
        raise ValidationError(f"Unknown time zone “{name}”: choose one from the list, e.g. America/Chicago.",
                              code="time_zone")


def zone_label(name: str) -> str:
    return name.replace("_", " ")


def _grouped() -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for name in TIME_ZONES:
        groups.setdefault(name.split("/")[0], []).append(name)
    return list(groups.items())


GROUPED = _grouped()


class ZoneSelect(forms.Select):
    """The ~430 zones grouped by region in one pass: Django renders each option through a template,
    which cost about 120 ms per form. Typing in the closed select jumps to a zone ("Am", "Asia/K").

    The options are the same for every form but for the selected zone: they are built once per selection
    (_zone_options) and shared, and every form's copy of the widget shares the zone list too."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)  # the choices are shared: Django's copy would re-check all ~430 per form
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied

    def render(self, name, value, attrs=None, renderer=None):
        selected = tuple(sorted(zone for zone in self.format_value(value) if zone in _ZONE_SET))
        return format_html("<select{}>{}</select>",
                           flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), _zone_options(selected))


_ZONE_SET = frozenset(TIME_ZONES) | {"UTC"}


@lru_cache(maxsize=128)
def _zone_options(selected: tuple[str, ...]):
    groups = format_html_join("", "<optgroup label=\"{}\">{}</optgroup>", (
        (region, format_html_join("", "<option value=\"{}\"{}>{}</option>", (
            (zone, " selected" if zone in selected else "", zone_label(zone)) for zone in zones)))
        for region, zones in GROUPED))
    utc = format_html("<option value=\"UTC\"{}>UTC</option>", " selected" if "UTC" in selected else "")
    return groups + utc


class ZoneField(forms.ChoiceField):
    """A choice among the zones whose copies (one per form) share the zone list instead of deep-copying it."""

    def __deepcopy__(self, memo):
        memo[id(self._choices)] = self._choices
        return super().__deepcopy__(memo)


def zone_field(*, from_browser: bool = False, **kwargs) -> forms.ChoiceField:
    """A time-zone field. With `from_browser`, mentora/time-zone.js selects the browser's zone when the
    form shows the default one, and says so."""
    attrs = {"data-time-zone-from-browser": DEFAULT_TIME_ZONE} if from_browser else {}
    kwargs.setdefault("label", "Time zone")
    return ZoneField(choices=[(z, zone_label(z)) for z in TIME_ZONES] + [("UTC", "UTC")],
                     widget=ZoneSelect(attrs=attrs), **kwargs)


def hours_apart(their_zone: str, my_zone: str, *, at=None, whom: str = "you") -> str:
    """How far another person's clock is from mine, now (or `at`): "Same time as you", "3 h ahead of you",
    "5 h 30 min behind you"; empty when either zone is unknown. Daylight saving is counted as it is today."""
    at = at or datetime.datetime.now(datetime.UTC)
    try:
        theirs = at.astimezone(zoneinfo.ZoneInfo(their_zone)).utcoffset()
        mine = at.astimezone(zoneinfo.ZoneInfo(my_zone)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return ""
    minutes = int((theirs - mine).total_seconds() // 60)
    if minutes == 0:
        return f"Same time as {whom}"
    hours, rest = divmod(abs(minutes), 60)
    amount = f"{hours} h" + (f" {rest} min" if rest else "") if hours else f"{rest} min"
    return f"{amount} {'ahead of' if minutes > 0 else 'behind'} {whom}"
