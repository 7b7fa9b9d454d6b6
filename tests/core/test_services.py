"""Re-queueing the background tasks a dead worker left RUNNING."""

import socket
import subprocess
import sys

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentora.core.services import process_name, tasks_requeue_orphaned


def _task(worker_id: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
        task_path="mentora.meetings.tasks.send_reminders", run_after="9999-01-01T00:00:00Z",
        worker_ids=[worker_id],
    )


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_tasks_of_a_dead_worker_of_this_host_are_queued_again():
    host = socket.gethostname()[:40]
    dead = _task(f"{host}:{_dead_pid()}:abcdefgh")
    alive = _task(f"{process_name()}:abcdefgh")
    elsewhere = _task("another-host:1:abcdefgh")
    unknown = _task("a-worker-id-of-db_worker")

    assert tasks_requeue_orphaned() == 1
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.READY and dead.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=dead.pk).exists()
    for task in (alive, elsewhere, unknown):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING

    # The operator who has stopped every worker queues the rest again.
    assert tasks_requeue_orphaned(every_running=True) == 3
    assert not DBTaskResult.objects.running().exists()
