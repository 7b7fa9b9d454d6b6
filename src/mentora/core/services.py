"""Writes of the core app: recovery of background tasks whose worker died.

django-tasks' database backend marks a task RUNNING when a worker claims it and only a live
worker ever moves it on, so a worker killed mid-task (SIGKILL, out of memory, a lost host) leaves
the task RUNNING forever and nobody runs it again. `mentora worker` names itself
``host:pid:random`` and, when it starts, puts back in the queue every RUNNING task last claimed
on this host by a process that no longer exists. Every Mentora task can run again safely (each
one does its writes in one transaction or under unique keys), so a re-run finishes the work
without doing any of it twice.
"""

import logging
import os
import socket

from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def process_name() -> str:
    """``host:pid`` of this process, to record who holds a claim."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def worker_id_new() -> str:
    """``host:pid:random``, at most 64 characters (the library's limit)."""
    return f"{process_name()}:{get_random_string(8)}"


def process_gone(name: str) -> bool:
    """True if `name` (``host:pid...``) is a process of this host that no longer exists.

    False for another host's process or an unknown name: whether it is alive cannot be known here.
    """
    return _died_here(name, socket.gethostname()[:40])


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
    return worker_host == host and pid.isdigit() and not _process_alive(int(pid))


def tasks_requeue_orphaned(*, every_running: bool = False) -> int:
    """Put back in the queue the RUNNING tasks whose worker died; returns how many.

    By default only tasks claimed on this host by a process that no longer exists. With
    ``every_running`` every RUNNING task: for an operator who has stopped every worker (on every
    host) and knows none is running.
    """
    host = socket.gethostname()[:40]
    requeued = 0
    for task_id, worker_ids in DBTaskResult.objects.running().values_list("pk", "worker_ids"):
        last = worker_ids[-1] if worker_ids else ""
        if not every_running and not _died_here(last, host):
            continue
        # Conditional on still RUNNING, so a task that finished meanwhile stays finished.
        requeued += DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None)
        logger.warning("task %s was left RUNNING by worker %s; queued again", task_id, last or "(unknown)")
    return requeued
