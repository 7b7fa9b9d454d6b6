"""Background work of the rollover: committing it, which takes seconds at thousands of members."""

from django_tasks import task

from mentora.background.services import job_execute, job_requeued
from mentora.core.task_policy import retry_safe

from . import services


def _rollover(job, progress):
    return services.rollover_job(job=job, progress=progress)


@retry_safe(label="Academic-year rollover", attempts=3, on_requeue=job_requeued,
            why="the rollover is one transaction under a lock on the program, and running it again only does "
                "what is missing (memberships, plans, renewals each have a unique key; notices a unique key)")
@task()
def rollover_task(job_id: int) -> None:
    job_execute(job_id=job_id, work=_rollover)
