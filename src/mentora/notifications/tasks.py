"""Background work of notices: the email of one notice, sent by `mentora worker`."""

from django_tasks import task

from mentora.core.task_policy import retry_safe

from . import services


@retry_safe(label="Email a notice", attempts=5, why="the notice is claimed before sending and marked emailed "
            "after (emailed_at), and the message carries a fixed Message-ID: a second run of a sent notice sends "
            "nothing, one of an unsent notice sends it once")
@task()
def send_notification_email(notification_id: int) -> bool:
    """Email one notice (at most once). A failure is retried with back-off, and the pending scan retries after."""
    return services.notification_send_email(notification_id=notification_id)


@task()
def send_digests() -> int:
    """Record and email today's digests (once per person per day however often it runs)."""
    return services.notifications_send_digests()
