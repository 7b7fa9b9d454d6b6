"""Reads of the import: the account invitations of a program or an import, with the status people see."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, CharField, Count, DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import AccountInvitation, ImportBatch
from .permissions import import_batches_visible_to

# The statuses a coordinator sees, in the order the pages list them.
SHOWN_STATUSES = {"queued": "Waiting to be sent", "sent": "Sent", "failed": "Failed", "accepted": "Accepted",
                  "expired": "Expired (link no longer works)"}


def link_expiry() -> datetime.timedelta:
    """How long the password link of an invitation works (Django's password reset timeout)."""
    return datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def account_invitations(*, program=None, batch=None) -> QuerySet[AccountInvitation]:
    """Invitations annotated with `shown_status` and `shown_sent_at`.

    Sent means the email left (the notice's `emailed_at`, even when the pending scan sent it after a
    failure); expired means sent longer ago than the password link works and never accepted.
    """
    rows = AccountInvitation.objects.all()
    if program is not None:
        rows = rows.filter(program=program)
    if batch is not None:
        rows = rows.filter(batch=batch)
    cutoff = timezone.now() - link_expiry()
    sent_at = Coalesce(F("notification__emailed_at"), F("sent_at"), output_field=DateTimeField())
    left = Q(notification__emailed_at__isnull=False) | Q(status=AccountInvitation.Status.SENT)
    return rows.annotate(shown_sent_at=sent_at).annotate(shown_status=Case(
        When(status=AccountInvitation.Status.ACCEPTED, then=Value("accepted")),
        When(left & Q(shown_sent_at__lt=cutoff), then=Value("expired")),
        When(left, then=Value("sent")),
        When(status=AccountInvitation.Status.FAILED, then=Value("failed")),
        default=Value("queued"), output_field=CharField()))


def account_invitation_counts(*, program=None, batch=None) -> dict[str, int]:
    counts = dict(account_invitations(program=program, batch=batch).order_by().values_list("shown_status")
                  .annotate(n=Count("pk")).values_list("shown_status", "n"))
    result = {status: counts.get(status, 0) for status in SHOWN_STATUSES}
    result["total"] = sum(result.values())
    # "Invited": the email reached the mail server (whether or not it was accepted or has expired since).
    result["invited"] = result["sent"] + result["accepted"] + result["expired"]
    result["handled"] = result["total"] - result["queued"]
    return result


def import_history_for(*, user) -> QuerySet[ImportBatch]:
    """The imports a person may see, newest first, without the stored files (up to 10 MB each)."""
    return (import_batches_visible_to(user).select_related("program", "created_by").defer("content")
            .order_by("-created_at", "-pk"))
