"""The database queue in tests: most tests run tasks at once (the immediate backend); these put them in
the database queue as production does, and run what is ready the way `mentora worker --batch` would."""

from django.test import TestCase
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from mentora.core.services import process_name


def use_db_queue(settings):
    """Queue tasks in the database for the rest of the test (`settings` is pytest-django's fixture)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_BASE_SECONDS = 30
    return settings


def run_queued(*, include_delayed: bool = False, limit: int = 100) -> int:
    """Run every ready task (with `include_delayed`, also those waiting for their back-off); returns how many."""
    worker_id = f"{process_name()}:tests"
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
    ran = 0
    while ran < limit:
        if include_delayed:
            DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__gt=timezone.now()).update(
                run_after=timezone.now())
        row = DBTaskResult.objects.ready().first()
        if row is None:
            break
        row.claim(worker_id)
        # A worker runs in autocommit: what a task queues at commit (e.g. the import's invitations) is queued.
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(row)
        ran += 1
    return ran


class BrokenMailServer:
    """An email backend whose server refuses every message, as a mail server that is down does."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def open(self):
        pass

    def close(self):
        pass


class MailServerRefusingSome:
    """An email backend whose server refuses the addresses at refused.example.org (and delivers the rest
    to the test outbox), as a server that bounces some recipients does."""

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.delivered = EmailBackend(*args, **kwargs)

    def send_messages(self, messages):
        import smtplib

        for message in messages:
            refused = [to for to in message.to if to.endswith("@refused.example.org")]
            if refused:
                raise smtplib.SMTPRecipientsRefused({to: (550, b"No such mailbox") for to in refused})
        return self.delivered.send_messages(messages)

    def open(self):
        pass

    def close(self):
        pass
