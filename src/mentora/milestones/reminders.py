"""Hook for `mentora reminders` (mentora.meetings.reminders): IMG milestone reminders in the same scan."""

import datetime

from django.utils import timezone

from .services import milestone_reminders_send


def scan(now: datetime.datetime) -> int:
    return milestone_reminders_send(today=timezone.localtime(now).date())
