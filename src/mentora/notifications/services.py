"""Every notice goes through `notify`: recorded once under its key, then emailed if wanted.

The email never goes out inside the request that caused it: `notify` queues it for the worker
once the transaction commits, so a slow or broken mail server never fails or slows a page. A
notice whose email could not be queued or sent stays unsent and `notifications_send_pending`
(the reminder scan) sends it later.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def _wants(user, kind: str) -> tuple[bool, bool]:
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return True, True
    return preference.in_app, preference.email


def notify(*, user, kind: str, key: str, title: str, body: str = "", url: str = "") -> Notification | None:
    """Record a notice for `user` unless one with the same key exists; returns None if it did.

    The row is written before any email goes out, so a crash between the two delays the email
    (`notifications_send_pending` sends it later) but never sends it twice.
    """
    in_app, email = _wants(user, kind)
    if not in_app and not email:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key, title=title, body=body, url=url, in_app=in_app,
                email_wanted=email,
            )
    except IntegrityError:
        return None
    if email:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def _queue_email(notification_id: int) -> None:
    from .tasks import send_notification_email

    try:
        send_notification_email.enqueue(notification_id=notification_id)
    except Exception:  # noqa: BLE001 - the notice is saved; the pending scan emails it later
        logger.warning("could not queue the email of notice %s; the pending scan will send it",
                       notification_id, exc_info=True)


def notification_send_email(*, notification_id: int) -> bool:
    """Send one notice's email exactly once: claim it with a conditional update first."""
    claimed = Notification.objects.filter(pk=notification_id, email_wanted=True, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{settings.MENTORA_SITE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(
            subject=f"[Mentora] {notification.title}",
            message=f"{notification.body}{link}",
            from_email=None,
            recipient_list=[notification.user.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)  # retried by the next scan
        raise
    return True


def notifications_send_pending() -> int:
    """The idempotent scan: email every wanted notice not yet emailed. Returns how many went out.

    A notice whose email fails stays unsent (and is logged); the next scan tries it again."""
    sent = 0
    for notification_id in Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).values_list(
        "pk", flat=True
    ):
        try:
            if notification_send_email(notification_id=notification_id):
                sent += 1
        except Exception:  # noqa: BLE001 - one refused address or a down server must not stop the scan
            logger.warning("could not email notice %s; the next scan retries", notification_id, exc_info=True)
    return sent


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def preference_set(*, user, kind: str, in_app: bool, email: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"in_app": in_app, "email": email}
    )
    return preference
