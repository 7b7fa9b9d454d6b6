"""The academic year: which one a day falls in, and how it is written ("2026–27")."""

import datetime

from django.conf import settings
from django.utils import timezone


def academic_year_of(day: datetime.date) -> int:
    """The academic year (by its starting calendar year) that a day falls in."""
    start_month = settings.MENTORA_ACADEMIC_YEAR_START_MONTH
    return day.year if day.month >= start_month else day.year - 1


def current_academic_year() -> int:
    return academic_year_of(timezone.localdate())


def academic_year_label(year: int) -> str:
    """2026 -> "2026–27"."""
    return f"{year}–{(year + 1) % 100:02d}"
