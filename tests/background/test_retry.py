"""A failed task is never silent: it retries with back-off where that is safe, then waits on the
Background work page (and `mentora tasks`) for a person to retry it."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentora.cli import main as mentora_main
from mentora.notifications.models import Notification
from mentora.notifications.services import notify
from tests.factories import UserFactory

from .queue import run_queued, use_db_queue

pytestmark = pytest.mark.django_db


def _notice_with_broken_mail(settings):
    settings.EMAIL_BACKEND = "tests.background.queue.BrokenMailServer"
    person = UserFactory(email="ana@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        notice = notify(user=person, kind="match_published", key="retry-test", title="Meet your mentor")
    return notice


def _seconds_until(run_after: datetime.datetime) -> float:
    return (run_after - timezone.now()).total_seconds()


def test_a_failing_email_retries_with_growing_pauses_then_waits_for_an_admin(settings, client):
    db_queue = use_db_queue(settings)
    notice = _notice_with_broken_mail(db_queue)
    row = DBTaskResult.objects.get()
    assert row.task_path == "mentora.notifications.tasks.send_notification_email"

    assert run_queued() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and len(row.worker_ids) == 1
    assert 20 < _seconds_until(row.run_after) <= 30  # first pause: 30 s
    assert "SMTPServerDisconnected" in row.exception_class_path
    assert run_queued() == 0  # not before its time

    run_queued(include_delayed=True, limit=1)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY and len(row.worker_ids) == 2
    assert 110 < _seconds_until(row.run_after) <= 120  # then 2 min

    run_queued(include_delayed=True)  # attempts 3, 4 and 5 fail too; 5 is the email's limit
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and len(row.worker_ids) == 5
    notice.refresh_from_db()
    assert notice.emailed_at is None and not mail.outbox

    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("background:background_work"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="count-failed">1<' in html
    assert "Email a notice" in html and "5 of 5" in html and "Connection unexpectedly closed" in html
    assert reverse("background:background_task_retry", args=[row.pk]) in html

    db_queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
    response = client.post(reverse("background:background_task_retry", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert run_queued() == 1
    row.refresh_from_db()
    notice.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    # Retrying again is refused: it is done.
    response = client.post(reverse("background:background_task_retry", args=[row.pk]), follow=True)
    assert "Only a failed task" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_refused_piece_of_work_is_not_retried(settings):
    use_db_queue(settings)
    """A ValidationError means the work was refused: a second run cannot mend it, so it fails at once."""
    from django.core.exceptions import ValidationError

    from mentora.background.services import task_retry_after_failure

    row = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED, args_kwargs={"args": [1], "kwargs": {}}, backend_name="default",
        task_path="mentora.notifications.tasks.send_notification_email", run_after=timezone.now(),
        worker_ids=["h:1:x"], exception_class_path=f"{ValidationError.__module__}.ValidationError",
        traceback="ValidationError: no")
    assert task_retry_after_failure(task_result=row.task_result) is False
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


def test_only_site_admins_retry(settings, client):
    db_queue = use_db_queue(settings)
    _notice_with_broken_mail(db_queue)
    run_queued(include_delayed=True)
    row = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    client.force_login(UserFactory())
    assert client.get(reverse("background:background_work")).status_code == 403
    assert client.post(reverse("background:background_task_retry", args=[row.pk])).status_code == 403
    assert client.post(reverse("background:background_retry_failed")).status_code == 403
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED


def test_the_command_lists_and_retries(settings, capsys, monkeypatch):
    # `mentora` runs each command through run_from_argv, which closes every database connection when
    # it ends; on PostgreSQL that would close this test's own transaction's connection.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    db_queue = use_db_queue(settings)
    _notice_with_broken_mail(db_queue)
    run_queued(include_delayed=True)
    row = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)

    call_command("tasks", "list", "--status", "failed")
    out = capsys.readouterr().out
    assert "failed: 1" in out and str(row.pk) in out and "Email a notice" in out and "5/5" in out
    assert "Connection unexpectedly closed" in out

    with pytest.raises(CommandError) as refused:
        call_command("tasks", "retry", "not-a-task")
    assert refused.value.returncode == 2
    assert mentora_main(["tasks", "retry", "not-a-task"]) == 2
    assert "no task with id" in capsys.readouterr().err
    assert mentora_main(["tasks", "retry"]) == 2  # neither ids nor --all-failed
    assert mentora_main(["tasks", "list", "--status", "lost"]) == 2

    db_queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mentora_main(["tasks", "retry", "--all-failed"]) == 0
    assert "Queued again: 1 task(s)." in capsys.readouterr().out
    run_queued()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and Notification.objects.get().emailed_at is not None
    # A finished task cannot be retried: exit 2, one line.
    assert mentora_main(["tasks", "retry", str(row.pk)]) == 2
