"""Background work of batch matching (Django's task API; `mentora worker` runs the queue)."""

from django_tasks import task

from mentora.background.services import job_execute, job_requeued
from mentora.core.task_policy import retry_safe

from . import services
from .models import MatchRun


def _run_queued_again(run_id: int) -> None:
    MatchRun.objects.filter(pk=run_id, status__in=[MatchRun.Status.FAILED, MatchRun.Status.RUNNING]).update(
        status=MatchRun.Status.QUEUED, progress=0, phase="Queued again after a failure")


@retry_safe(label="Batch match preview", attempts=3, on_requeue=_run_queued_again,
            why="it only computes a preview (no relationship is created until publish) and claims the run by its "
                "status: a second run replaces the preview")
@task()
def match_run_task(run_id: int) -> None:
    services.match_run_execute(run_id=run_id)


def _publish(job, progress):
    return services.match_run_publish_job(job=job, progress=progress)


@retry_safe(label="Publish a batch match", attempts=3, on_requeue=job_requeued,
            why="publishing is one transaction that creates every relationship or none, and a published run "
                "refuses a second publish (the job then reports it done); notices carry a unique key per pair")
@task()
def match_publish_task(job_id: int) -> None:
    job_execute(job_id=job_id, work=_publish)

