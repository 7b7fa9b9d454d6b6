"""The find-a-mentor part of `mentora reminders`: nudge mentors before a request expires, then expire it.

Both are idempotent: the nudge is recorded under a key per request, and expiry is a conditional update
(see services.requests_expire).
"""

import datetime

from django.urls import reverse

from mentora.notifications.services import notify

from .models import MentorshipRequest
from .services import requests_expire

WARN_BEFORE = datetime.timedelta(days=2)


def scan(now: datetime.datetime) -> int:
    created = 0
    soon = MentorshipRequest.objects.filter(
        status=MentorshipRequest.Status.PENDING, expires_at__gt=now, expires_at__lte=now + WARN_BEFORE
    ).select_related("mentee", "mentor")
    for request in soon.iterator(chunk_size=500):
        created += notify(
            user=request.mentor, kind="request_expiring", key=f"request:{request.pk}:expiring",
            title=f"{request.mentee.display_name}'s request expires soon",
            body="Please accept or decline, so they can look elsewhere if needed.",
            url=reverse("directory:request_detail", args=[request.pk]),
        ) is not None
    created += requests_expire(now=now)
    return created
