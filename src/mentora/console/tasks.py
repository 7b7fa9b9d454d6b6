"""Background work of the console: a backup of the whole instance, started by a site admin."""

from django_tasks import task

from mentora.background.services import job_execute, job_requeued
from mentora.core.task_policy import retry_safe

from . import services


def _backup(job, progress):
    return services.backup_job(job=job, progress=progress)


@retry_safe(label="Backup", attempts=2, on_requeue=job_requeued,
            why="a second run writes a new file beside the first; nothing is changed")
@task()
def backup_task(job_id: int) -> None:
    job_execute(job_id=job_id, work=_backup)
