"""Writes of the core app: the leases of background tasks, and recovery of those whose worker died.

django-tasks' database backend marks a task RUNNING when a worker claims it and only a live
worker ever moves it on, so a worker killed mid-task (SIGKILL, out of memory, a lost host) would
leave the task RUNNING forever. `mentora worker` names itself ``host:pid:random``, holds each task
it runs under a lease (`TaskLease`) that a heartbeat renews, and on every poll takes over the tasks
whose lease expired, on any host (`tasks_take_over_expired`). When it starts it also puts back at
once the tasks a dead process of its own host left (`tasks_requeue_orphaned`), without waiting for
their lease. Every Mentora task can run again safely (each one does its writes in one transaction
or under unique keys), so a re-run finishes the work without doing any of it twice.
"""

import contextlib
import contextvars
import datetime
import logging
import os

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import TaskLease

logger = logging.getLogger(__name__)


def process_name() -> str:
    """``host:pid`` of this process, to record who holds a claim."""
    return f"{settings.MENTORA_WORKER_HOST}:{os.getpid()}"


def worker_id_new() -> str:
    """``host:pid:random``, at most 64 characters (the library's limit)."""
    return f"{process_name()}:{get_random_string(8)}"


def process_gone(name: str) -> bool:
    """True if `name` (``host:pid...``) is a process of this host that no longer exists.

    False for another host's process or an unknown name: whether it is alive cannot be known here.
    """
    return _died_here(name, settings.MENTORA_WORKER_HOST)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _died_here(worker_id: str, host: str) -> bool:
    """True if the worker ran on this host and its process is gone; unknown ids are left alone."""
    worker_host, _, rest = worker_id.partition(":")
    pid = rest.partition(":")[0]
    return worker_host == host and pid.isdecimal() and not _process_alive(int(pid))


def tasks_requeue_orphaned(*, every_running: bool = False) -> int:
    """Put back in the queue the RUNNING tasks whose worker died; returns how many.

    By default only tasks claimed on this host by a process that no longer exists. With
    ``every_running`` every RUNNING task: for an operator who has stopped every worker (on every
    host) and knows none is running.
    """
    host = settings.MENTORA_WORKER_HOST
    requeued = 0
    for task_id, worker_ids in DBTaskResult.objects.running().values_list("pk", "worker_ids"):
        last = worker_ids[-1] if worker_ids else ""
        if not every_running and not _died_here(last, host):
            continue
        # Conditional on still RUNNING, so a task that finished meanwhile stays finished.
        unchanged = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING)
        if not _task_release(task_id=task_id, unchanged=unchanged, now=timezone.now(),
                             lease=TaskLease.objects.filter(task_id=task_id).first()):
            continue
        requeued += 1
        logger.warning("task %s was left RUNNING by worker %s; queued again", task_id, last or "(unknown)")
    return requeued


def _lease_length() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.MENTORA_WORKER_LEASE_SECONDS)


def task_lease_claim(*, task: DBTaskResult, worker_id: str) -> TaskLease:
    """Record that `worker_id` holds `task` for one lease length (called where the task is claimed)."""
    now = timezone.now()
    fields = {"claimed_by": worker_id, "host": worker_id.partition(":")[0], "claimed_at": now,
              "heartbeat_at": now, "lease_expires_at": now + _lease_length()}
    lease, _ = TaskLease.objects.update_or_create(task=task, defaults=fields)
    return lease


def task_lease_renew(*, task_id, worker_id: str) -> bool:
    """Extend the lease of a task this worker still holds; False if another worker took it over."""
    now = timezone.now()
    return bool(TaskLease.objects.filter(task_id=task_id, claimed_by=worker_id, task__status=TaskResultStatus.RUNNING)
                .update(heartbeat_at=now, lease_expires_at=now + _lease_length()))


def task_lease_held(*, task_id, worker_id: str) -> bool:
    return TaskLease.objects.filter(task_id=task_id, claimed_by=worker_id).exists()


# The worker id under whose lease this process runs a task now (set by the worker around each task), so
# that what the task claims for itself (a notice's email) is claimed in the lease's name and follows it.
_running_under = contextvars.ContextVar("mentora_running_under_lease", default="")


@contextlib.contextmanager
def running_under_lease(worker_id: str):
    token = _running_under.set(worker_id)
    try:
        yield
    finally:
        _running_under.reset(token)


def claimant_name() -> str:
    """Who claims work for this process: the worker id of the task it runs, else ``host:pid``."""
    return _running_under.get() or process_name()


def is_worker_id(name: str) -> bool:
    """``host:pid:random`` (a worker running tasks under leases), not ``host:pid`` (any other process)."""
    return name.count(":") == 2


def worker_lease_extend(*, worker_id: str) -> bool:
    """Renew, from the task itself, the lease `worker_id` still holds on a running task; False if it has expired.

    Unlike the heartbeat's renewal, an expired lease is not revived: once expired, what was claimed
    under it may already have been taken over.
    """
    now = timezone.now()
    return bool(TaskLease.objects.filter(claimed_by=worker_id, lease_expires_at__gt=now,
                                         task__status=TaskResultStatus.RUNNING)
                .update(heartbeat_at=now, lease_expires_at=now + _lease_length()))


def worker_lease_live(*, worker_id: str, for_seconds: float = 0.0) -> bool:
    """True while `worker_id` holds a running task's lease for at least `for_seconds` more.

    False once its lease expired (the worker stopped renewing it: dead, or stalled past it) or was taken
    over: then whatever it claimed under the lease may be taken over too, on any host.
    """
    until = timezone.now() + datetime.timedelta(seconds=for_seconds)
    return TaskLease.objects.filter(claimed_by=worker_id, lease_expires_at__gt=until,
                                    task__status=TaskResultStatus.RUNNING).exists()


@transaction.atomic
def task_requeue_interrupted(*, task_id, worker_id: str) -> bool:
    """Put back in the queue a task this worker stopped running on purpose (it is shutting down)."""
    requeued = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING,
                                           lease__claimed_by=worker_id).update(status=TaskResultStatus.READY,
                                                                               started_at=None)
    TaskLease.objects.filter(task_id=task_id, claimed_by=worker_id).update(claimed_by="", lease_expires_at=timezone.now())
    return bool(requeued)


class TaskAbandoned(Exception):  # noqa: N818 - the name a failed task shows
    """Every worker that ran this task died while running it."""


def tasks_take_over_expired(*, by: str) -> int:
    """Put back in the queue the RUNNING tasks whose worker stopped renewing its lease; returns how many.

    A task with no lease (claimed by a worker that died before writing it, or by plain ``db_worker``)
    counts as expired one lease length after it started. A task whose workers died
    MENTORA_WORKER_MAX_TAKEOVERS times is marked failed instead: it is likely what kills them.
    """
    now = timezone.now()
    expired = DBTaskResult.objects.running().filter(
        Q(lease__lease_expires_at__lt=now) | Q(lease__isnull=True, started_at__lt=now - _lease_length()))
    taken = 0
    for task_id, started_at in expired.values_list("pk", "started_at"):
        lease = TaskLease.objects.filter(task_id=task_id).first()
        # Conditional on the state we saw: of two workers taking it over at once, one wins, and a
        # lease renewed meanwhile (a slow worker, not a dead one) keeps its task.
        unchanged = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at)
        if lease is not None:
            unchanged = unchanged.filter(lease__claimed_by=lease.claimed_by,
                                         lease__lease_expires_at=lease.lease_expires_at)
        if _task_release(task_id=task_id, unchanged=unchanged, lease=lease, now=now):
            taken += 1
            logger.warning("task %s: the lease of %s expired; %s queued it again", task_id,
                           lease.claimed_by if lease else "(no lease)", by)
    return taken


@transaction.atomic
def _task_release(*, task_id, unchanged, lease: TaskLease | None, now) -> bool:
    """Queue again (or, past the takeover limit, fail) a task whose worker died; False if it changed meanwhile."""
    takeovers = (lease.takeovers if lease else 0) + 1
    holder = lease.claimed_by if lease else "(no lease)"
    if takeovers > settings.MENTORA_WORKER_MAX_TAKEOVERS:
        if unchanged.update(
            status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
            exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
            traceback=f"TaskAbandoned: {takeovers} workers died while running this task "
                      f"(the last one was {holder}); it was not run again.\n",
        ):
            logger.error("task %s: %s workers died running it; marked failed", task_id, takeovers)
        return False
    if not unchanged.update(status=TaskResultStatus.READY, started_at=None):
        return False
    TaskLease.objects.update_or_create(task_id=task_id, defaults={
        "claimed_by": "", "host": "", "claimed_at": lease.claimed_at if lease else now, "heartbeat_at": now,
        "lease_expires_at": now, "takeovers": takeovers})
    return True
