"""The lease a worker holds on the background task it runs.

django-tasks' database queue marks a task RUNNING when a worker claims it and only that worker
ever moves it on. `mentora worker` also writes a lease here when it claims a task, and a
heartbeat thread renews it while the task runs. A lease that was not renewed in time means its
worker is gone (killed, out of memory, its host lost): any worker, on any host, puts the task back
in the queue and one of them runs it again. Every Mentora task can run again safely (its writes
are in one transaction or under unique keys), so a re-run finishes the work without doubling it.
"""

from django.db import models
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    task = models.OneToOneField(DBTaskResult, primary_key=True, on_delete=models.CASCADE, related_name="lease")
    # ``host:pid:random`` of the worker holding the task, and the host alone (MENTORA_WORKER_HOST).
    claimed_by = models.CharField(max_length=64)
    host = models.CharField(max_length=64)
    claimed_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    # Past this instant without a heartbeat the worker is presumed dead and the task is taken over.
    lease_expires_at = models.DateTimeField(db_index=True)
    # How many times a worker died holding this task; past MENTORA_WORKER_MAX_TAKEOVERS it fails instead.
    takeovers = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.task_id} held by {self.claimed_by} until {self.lease_expires_at:%H:%M:%S}"
