"""The daily digest, plugged into `mentora reminders` (mentora.meetings.reminders finds this `scan`):
each scan records at most one digest per person per day, before anything is emailed."""

import datetime

from .services import notifications_send_digests


def scan(now: datetime.datetime) -> int:
    return notifications_send_digests(now)
