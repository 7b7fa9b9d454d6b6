"""Writes of background work: retrying failed tasks (by themselves, with back-off, or by a person),
and the jobs that carry long work out of the request with their progress and result.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from mentora.core.task_policy import backoff, is_permanent, policy_for

from . import permissions
from .models import Job
from .selectors import worker_gone

logger = logging.getLogger(__name__)


def _row_id(task_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(task_id))
    except ValueError:
        return None


def _requeued(row: DBTaskResult) -> None:
    """Tell the record of the person who asked that the work is queued again."""
    policy = policy_for(row.task_path)
    if policy is not None and policy.on_requeue is not None:
        arguments = row.args_kwargs or {}
        policy.on_requeue(*arguments.get("args", []), **arguments.get("kwargs", {}))


def task_retry_after_failure(sender=None, *, task_result, **kwargs) -> bool:
    """After the worker recorded a failure: queue the task again with back-off if its policy allows.

    Connected to django-tasks' `task_finished` signal. The same queue row is put back (READY with a
    later `run_after`), so its attempts are the worker ids it has collected and the admin page shows
    one row per piece of work, not one per attempt. Returns True if the task was queued again.
    """
    row = getattr(task_result, "db_result", None)
    if row is None or task_result.status != TaskResultStatus.FAILED:
        return False
    policy = policy_for(row.task_path)
    if policy is None or is_permanent(row.exception_class_path):
        return False
    attempt = len(row.worker_ids)
    if attempt >= policy.attempts:
        logger.warning("task %s (%s) failed %s times; it waits for a retry by a person", row.pk, row.task_path,
                       attempt)
        return False
    # Conditional on FAILED: a row someone retried or deleted meanwhile is left as it is.
    moved = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=timezone.now() + backoff(attempt), started_at=None,
        finished_at=None)
    if moved:
        _requeued(row)
    return bool(moved)


def requeue_task(task_id: str) -> bool:
    """Put a failed task, or one whose worker of this host is gone, back in the queue to run now."""
    pk = _row_id(task_id)
    if pk is None:
        return False
    row = DBTaskResult.objects.filter(pk=pk).first()
    if row is None:
        return False
    if row.status == TaskResultStatus.FAILED:
        condition = Q(status=TaskResultStatus.FAILED)
    elif worker_gone(row):
        condition = Q(status=TaskResultStatus.RUNNING, worker_ids=row.worker_ids)
    else:
        return False
    moved = DBTaskResult.objects.filter(condition, pk=pk).update(
        status=TaskResultStatus.READY, run_after=get_date_max(), started_at=None, finished_at=None)
    if moved:
        _requeued(row)
    return bool(moved)


def task_retry(*, task_id: str, by) -> bool:
    """A site admin queues a failed task again (the "Retry" of the Background work page and `mentora tasks retry`)."""
    if not permissions.can_manage_background_work(by):
        raise PermissionDenied
    if not requeue_task(task_id):
        raise ValidationError("Only a failed task, or one whose worker has stopped, can be retried.")
    return True


def tasks_retry_failed(*, by) -> int:
    """Queue again every failed task; returns how many."""
    if not permissions.can_manage_background_work(by):
        raise PermissionDenied
    return sum(requeue_task(str(pk)) for pk in DBTaskResult.objects.failed().values_list("pk", flat=True))


# Jobs -------------------------------------------------------------------------------------------

def job_create(*, kind: str, title: str, by, task, program=None, params: dict[str, Any] | None = None) -> Job:
    """Record a job and queue its task once the transaction commits; the task receives the job's id."""
    job = Job.objects.create(kind=kind, title=title[:200], requested_by=by, program=program, params=params or {},
                             phase="Waiting for a worker", task_path=task.module_path)

    def enqueue() -> None:
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).exclude(task_id__gt="").update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def job_progress(*, job_id: int, percent: int, phase: str) -> None:
    Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(percent))), phase=phase[:120],
                                         heartbeat_at=timezone.now())


class JobResult:
    """What a job's work returns: a summary for its page, and optionally a file to download."""

    def __init__(self, summary: dict[str, Any], *, file: bytes | None = None, filename: str = "",
                 content_type: str = ""):
        self.summary, self.file, self.filename, self.content_type = summary, file, filename, content_type


def job_execute(*, job_id: int, work: Callable[[Job, Callable[[int, str], None]], JobResult]) -> Job:
    """Run a job's work in the worker: claim it, report progress, store the result or why it failed.

    A job is claimed from QUEUED, or from RUNNING when its previous worker died and the task runs
    again. A failure is recorded on the job (the requester's page shows it) and raised again, so the
    queue records it too and the task's retry policy applies.
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, error="", progress=1, phase="Starting")
    job = Job.objects.select_related("program", "requested_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(percent: int, phase: str) -> None:
        job_progress(job_id=job_id, percent=percent, phase=phase)

    try:
        outcome = work(job, progress)
    except Exception as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error) or type(error).__name__
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, error=message[:2000], phase="Failed",
                                             finished_at=timezone.now())
        raise
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, progress=100, phase="Done", result=outcome.summary, file=outcome.file,
        filename=outcome.filename[:200], content_type=outcome.content_type[:100], finished_at=timezone.now())
    job.refresh_from_db()
    return job


def job_requeued(job_id: int, *args, **kwargs) -> None:
    """The task of a job was queued again (retry): the job's page says so."""
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.QUEUED, progress=0, phase="Queued again after a failure")


def job_retry(*, job_id: int, by) -> Job:
    """The person who asked (or an admin) runs a failed job, or one whose worker stopped, again."""
    job = Job.objects.select_related("program").get(pk=job_id)
    if not permissions.can_view_job(by, job):
        raise PermissionDenied
    if job.status == Job.Status.DONE:
        raise ValidationError("This work is done; there is nothing to retry.")
    if job.task_id and requeue_task(job.task_id):
        job.refresh_from_db()
        return job
    if job.status != Job.Status.FAILED:
        raise ValidationError("This work is still queued or running.")
    # No queue row to put back (removed, or run by the immediate backend): queue a new task.
    task = import_string(job.task_path)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, progress=0, phase="Queued again",
                                         error="", task_id="")
    transaction.on_commit(lambda: Job.objects.filter(pk=job.pk).update(task_id=str(task.enqueue(job.pk).id)))
    job.refresh_from_db()
    return job
