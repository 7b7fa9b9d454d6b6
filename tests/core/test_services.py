"""Re-queueing the background tasks a dead worker left RUNNING."""

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
def test_tasks_of_a_dead_worker_of_this_host_are_queued_again(settings):
    host = settings.MENTORA_WORKER_HOST
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


def _lease(task: DBTaskResult, *, holder: str, expires_in: float, takeovers: int = 0):
    import datetime

    from django.utils import timezone

    from mentora.core.models import TaskLease

    now = timezone.now()
    return TaskLease.objects.create(task=task, claimed_by=holder, host=holder.partition(":")[0], claimed_at=now,
                                    heartbeat_at=now, lease_expires_at=now + datetime.timedelta(seconds=expires_in),
                                    takeovers=takeovers)


@pytest.mark.django_db
def test_tasks_whose_lease_expired_are_taken_over_by_a_worker_of_any_host(settings):
    import datetime

    from django.utils import timezone

    settings.MENTORA_WORKER_LEASE_SECONDS = 30
    settings.MENTORA_WORKER_MAX_TAKEOVERS = 2
    from mentora.core.models import TaskLease
    from mentora.core.services import tasks_take_over_expired

    expired = _task("alpha:100:aaaaaaaa")
    _lease(expired, holder="alpha:100:aaaaaaaa", expires_in=-1)
    renewed = _task("alpha:101:aaaaaaaa")
    _lease(renewed, holder="alpha:101:aaaaaaaa", expires_in=20)
    # Claimed but killed before its lease was written: expired one lease length after it started.
    no_lease_old = _task("alpha:102:aaaaaaaa")
    DBTaskResult.objects.filter(pk=no_lease_old.pk).update(started_at=timezone.now() - datetime.timedelta(seconds=31))
    no_lease_new = _task("alpha:103:aaaaaaaa")
    DBTaskResult.objects.filter(pk=no_lease_new.pk).update(started_at=timezone.now())
    poison = _task("alpha:104:aaaaaaaa")
    _lease(poison, holder="alpha:104:aaaaaaaa", expires_in=-1, takeovers=2)

    assert tasks_take_over_expired(by="beta:1:bbbbbbbb") == 2
    statuses = {t.pk: t.status for t in DBTaskResult.objects.all()}
    assert statuses[expired.pk] == statuses[no_lease_old.pk] == TaskResultStatus.READY
    assert statuses[renewed.pk] == statuses[no_lease_new.pk] == TaskResultStatus.RUNNING
    assert statuses[poison.pk] == TaskResultStatus.FAILED
    poison.refresh_from_db()
    assert "3 workers died" in poison.traceback and poison.exception_class_path.endswith("TaskAbandoned")
    assert TaskLease.objects.get(task=expired).takeovers == 1
    assert TaskLease.objects.get(task=no_lease_old).takeovers == 1
    # Nothing left to take over: a second pass (another worker polling) changes nothing.
    assert tasks_take_over_expired(by="gamma:1:cccccccc") == 0


@pytest.mark.django_db
def test_a_lease_is_renewed_only_by_its_holder(settings):
    from mentora.core.services import task_lease_claim, task_lease_held, task_lease_renew

    task = _task("alpha:100:aaaaaaaa")
    task_lease_claim(task=task, worker_id="alpha:100:aaaaaaaa")
    assert task_lease_renew(task_id=task.pk, worker_id="alpha:100:aaaaaaaa")
    assert not task_lease_renew(task_id=task.pk, worker_id="beta:1:bbbbbbbb")
    task_lease_claim(task=task, worker_id="beta:1:bbbbbbbb")  # taken over and claimed again
    assert not task_lease_held(task_id=task.pk, worker_id="alpha:100:aaaaaaaa")
    assert not task_lease_renew(task_id=task.pk, worker_id="alpha:100:aaaaaaaa")


def test_worker_host_identity_names_its_processes(settings):
    settings.MENTORA_WORKER_HOST = "host-b"
    assert process_name().startswith("host-b:")
