"""Background work of notices: the email of one notice, sent by `mentora worker`."""

from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notice (at most once). A failure leaves it unsent for the pending scan to retry."""
    from .services import notification_send_email

    return notification_send_email(notification_id=notification_id)


@task()
def send_digests() -> int:
    """Record and email today's digests (once per person per day however often it runs)."""
    from .services import notifications_send_digests

    return notifications_send_digests()
