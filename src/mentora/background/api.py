"""Jobs over the API: the progress and result of long work an API call queued (a batch publish).

A call that starts long work answers 202 with the job and its `status_url` (also in `Location`); the
client polls that URL until the status is done (the result) or failed (the error).
"""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema

from mentora.api.pagination import paginated

from . import permissions, selectors, services
from .models import Job

router = Router(tags=["background work"])


class JobOut(Schema):
    id: int
    kind: str = Field(..., description="rollover, import, report_pdf or match_publish")
    title: str
    status: str = Field(..., description="queued, running, done or failed: poll status_url until done or failed")
    stopped: bool = Field(False, description="Running, but its worker died: another worker takes it over shortly")
    progress: int = Field(..., description="Percent done")
    phase: str = Field(..., description="What it is doing now")
    error: str = Field(..., description="Why it failed (when failed)")
    result: dict[str, Any] | None = Field(None, description="What it did (when done): lines, counts and links")
    program_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    status_url: str = Field(..., description="This job over the API (GET), to poll")
    page_url: str = Field(..., description="The job's page for people, with its progress bar")


def job_status_url(job: Job) -> str:
    return reverse("api:job_detail", args=[job.pk])


def job_out(job: Job) -> dict:
    state = selectors.work_state(job.task_id, work_running=job.status == Job.Status.RUNNING)
    return {"id": job.pk, "kind": job.kind, "title": job.title, "status": job.status,
            "stopped": bool(state and state.stopped), "progress": job.progress, "phase": job.phase,
            "error": job.error, "result": job.result, "program_id": job.program_id, "created_at": job.created_at,
            "started_at": job.started_at, "finished_at": job.finished_at, "status_url": job_status_url(job),
            "page_url": reverse("background:job_detail", args=[job.pk])}


def job_accepted(job: Job, response) -> tuple[int, dict]:
    """The answer to a request whose work was queued: 202 with the job, and the address to poll in Location."""
    response["Location"] = job_status_url(job)
    return 202, job_out(job)


@router.get("/{job_id}", response=JobOut, url_name="job_detail",
            summary="A job: its progress, then its result or why it failed")
def job_detail(request, job_id: int):
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not permissions.can_view_job(request.auth, job):
        raise Http404  # a job one may not see is answered like a missing one
    return job_out(job)


def _visible_job(request, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id).defer("file").first()
    if job is None or not permissions.can_view_job(request.auth, job):
        raise Http404  # a job one may not see is answered like a missing one
    return job


@router.get("/{job_id}/download", summary="The file a finished job made (a report, an export)",
            openapi_extra={"responses": {200: {"description": "The file, as an attachment", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def job_download(request, job_id: int):
    job = _visible_job(request, job_id)
    content = Job.objects.filter(pk=job.pk).values_list("file", flat=True).first() if job.status == Job.Status.DONE \
        else None
    if not content:
        raise Http404("This job has no file (yet).")
    response = HttpResponse(bytes(content), content_type=job.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.filename or "download"}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/{job_id}/retry", response=JobOut, summary="Run a failed job (or one whose worker stopped) again")
def job_retry(request, job_id: int):
    job = _visible_job(request, job_id)
    return job_out(services.job_retry(job_id=job.pk, by=request.auth))


# --- the queue of every task: site admins (task arguments name people) ------------------------------------

admin_router = Router(tags=["background work"])


class TaskOut(Schema):
    id: str
    label: str
    status: str = Field(description="queued, running, failed or done")
    arguments: str
    attempts: int
    max_attempts: int
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    run_after: datetime | None
    worker: str
    error: str = Field(description="The last line of the error (failed tasks)")
    worker_gone: bool = Field(description="Running, but its worker stopped: it can be retried")
    retryable: bool
    job_id: int | None = Field(None, description="The job this task runs, if any")


class TaskCountsOut(Schema):
    queued: int
    running: int
    failed: int
    done: int


class RetriedOut(Schema):
    retried: int


def _require_admin(request) -> None:
    if not permissions.can_manage_background_work(request.auth):
        raise PermissionDenied("Background work is for site admins.")


class _LazyTasks:
    """Sliced by the paginator before any row is read, then turned into TaskOut dictionaries."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, item):
        rows = [selectors.task_row(row) for row in self.queryset[item]]
        jobs = dict(Job.objects.filter(task_id__in=[row.id for row in rows]).values_list("task_id", "pk"))
        return [{**vars(row), "job": None, "retryable": row.retryable, "job_id": jobs.get(row.id)} for row in rows]

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()


@admin_router.get("/counts", response=TaskCountsOut, summary="How many tasks are queued, running, failed and done")
def task_counts(request):
    _require_admin(request)
    return selectors.task_counts()


@admin_router.get("/tasks", response=list[TaskOut], summary="Tasks of one status (queued: the next to run first)")
@paginated
def task_list(request, status: Literal["queued", "running", "failed", "done"] = "failed"):
    _require_admin(request)
    return _LazyTasks(selectors.task_queryset(status=status))


@admin_router.post("/tasks/{task_id}/retry", response=TaskOut,
                   summary="Queue a failed task (or one whose worker stopped) again")
def task_retry(request, task_id: str):
    _require_admin(request)
    if selectors.task_find(task_id) is None:
        raise Http404
    services.task_retry(task_id=task_id, by=request.auth)
    return _LazyTasks(selectors.task_queryset(task_id=task_id))[0:1][0]


@admin_router.post("/tasks/retry-failed", response=RetriedOut, summary="Queue every failed task again")
def tasks_retry_failed(request):
    return {"retried": services.tasks_retry_failed(by=request.auth)}
