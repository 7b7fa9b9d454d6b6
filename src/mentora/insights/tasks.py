"""Background work of insights: the program report PDF."""

from django_tasks import task

from mentora.background.services import job_execute, job_requeued
from mentora.core.task_policy import retry_safe


def _report(job, progress):
    from .services import report_pdf_job

    return report_pdf_job(job=job, progress=progress)


@retry_safe(label="Program report (PDF)", attempts=3, on_requeue=job_requeued,
            why="it only reads: a second run draws the same report again and replaces the file")
@task()
def report_pdf_task(job_id: int) -> None:
    job_execute(job_id=job_id, work=_report)
