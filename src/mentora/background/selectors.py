"""Reads of background work: the queue as the Background work page and `mentora tasks list` show it,
and what a person's page says about the task doing their work."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from mentora.core.models import TaskLease
from mentora.core.services import process_gone
from mentora.core.task_policy import label_for, policy_for

from .models import Job

# What the page and the command call each queue status.
STATUS_NAMES = {"queued": TaskResultStatus.READY, "running": TaskResultStatus.RUNNING,
                "failed": TaskResultStatus.FAILED, "done": TaskResultStatus.SUCCESSFUL}


@dataclass
class TaskRow:
    id: str
    label: str
    status: str  # queued, running, failed or done
    arguments: str
    attempts: int
    max_attempts: int
    enqueued_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    run_after: datetime.datetime | None
    worker: str
    error: str
    worker_gone: bool
    job: object = None  # the Job this task runs, if any: its page names who asked

    @property
    def retryable(self) -> bool:
        return self.status == "failed" or (self.status == "running" and self.worker_gone)


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else ""


def _arguments(args_kwargs: dict) -> str:
    args = [repr(a) for a in args_kwargs.get("args", [])]
    for name, value in args_kwargs.get("kwargs", {}).items():
        if isinstance(value, list) and len(value) > 3:
            value = f"[{len(value)} items]"
        args.append(f"{name}={value}")
    return ", ".join(args)[:200]


def worker_gone(row: DBTaskResult) -> bool:
    """A RUNNING task whose worker is known to be gone: its process on this host no longer exists, or it
    stopped renewing its lease (on any host; a live worker takes such a task over on its next poll)."""
    if row.status != TaskResultStatus.RUNNING:
        return False
    last_worker = row.worker_ids[-1] if row.worker_ids else ""
    if last_worker and process_gone(last_worker):
        return True
    lease = TaskLease.objects.filter(task_id=row.pk).values_list("lease_expires_at", "claimed_by").first()
    now = timezone.now()
    if lease is not None and lease[1]:
        return lease[0] < now
    started = row.started_at
    return started is not None and started < now - datetime.timedelta(seconds=settings.MENTORA_WORKER_LEASE_SECONDS)


def task_row(row: DBTaskResult) -> TaskRow:
    status = next(name for name, value in STATUS_NAMES.items() if value == row.status)
    policy = policy_for(row.task_path)
    last_worker = row.worker_ids[-1] if row.worker_ids else ""
    return TaskRow(
        id=str(row.pk), label=label_for(row.task_path), status=status, arguments=_arguments(row.args_kwargs or {}),
        attempts=len(row.worker_ids), max_attempts=policy.attempts if policy else 1,
        enqueued_at=row.enqueued_at, started_at=row.started_at, finished_at=row.finished_at,
        run_after=None if row.run_after == get_date_max() else row.run_after, worker=last_worker,
        error=_last_line(row.traceback) if row.exception_class_path else "",
        worker_gone=worker_gone(row),
    )


def task_counts() -> dict[str, int]:
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {name: counts.get(value, 0) for name, value in STATUS_NAMES.items()}


def task_queryset(*, status: str | None = None, task_id: str | None = None):
    """Queue rows of one status, the most recent first (queued: the next to run first); or the one task."""
    if task_id is not None:
        return DBTaskResult.objects.filter(pk=uuid.UUID(str(task_id)))
    rows = DBTaskResult.objects.filter(status=STATUS_NAMES[status])
    return rows.order_by("run_after", "enqueued_at", "pk") if status == "queued" else rows.order_by("-enqueued_at", "pk")


def task_rows(*, status: str, limit: int = 100) -> list[TaskRow]:
    """Tasks of one status, the most recent first (queued: the next to run first)."""
    rows = task_queryset(status=status)
    result = [task_row(row) for row in rows[:limit]]

    jobs = {job.task_id: job for job in Job.objects.filter(task_id__in=[row.id for row in result]).select_related(
        "requested_by").defer("file")}
    for row in result:
        row.job = jobs.get(row.id)
    return result


def task_find(task_id: str) -> TaskRow | None:
    try:
        pk = uuid.UUID(str(task_id))
    except ValueError:
        return None
    row = DBTaskResult.objects.filter(pk=pk).first()
    return task_row(row) if row else None


@dataclass
class WorkState:
    """What the page of the person who asked says about the task doing their work, beyond its own status."""

    stopped: bool  # the task is no longer running although the work says it is (its worker died or it failed)
    retrying_at: datetime.datetime | None  # queued again after a failure, to run at this time
    attempts: int
    last_error: str
    message: str


def work_state(task_id: str, *, work_running: bool) -> WorkState | None:
    """The queue's view of a piece of work (a job, a batch match run): None if the queue has no row."""
    row = task_find(task_id) if task_id else None
    if row is None:
        return None
    stopped = work_running and (row.status in ("failed", "done") or row.worker_gone)
    retrying_at = row.run_after if row.status == "queued" and row.error else None
    if row.worker_gone:
        message = ("The worker running this stopped before it finished. A running worker takes it over "
                   "shortly; or retry to queue it again now.")
    elif stopped and row.status == "failed":
        message = f"It stopped with an error: {row.error}"
    elif retrying_at:
        message = f"Attempt {row.attempts} failed ({row.error}); it runs again automatically."
    else:
        message = ""
    return WorkState(stopped=stopped, retrying_at=retrying_at, attempts=row.attempts, last_error=row.error,
                     message=message)
