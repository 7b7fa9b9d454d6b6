"""The Background work page (site admins) and the page of one job (progress, result, file, retry)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .models import Job

PAGE_ROWS = 100


@login_required
def background_work(request):
    if not permissions.can_manage_background_work(request.user):
        raise PermissionDenied
    return render(request, "background/work.html", {
        "counts": selectors.task_counts(),
        "sections": [(name, title, selectors.task_rows(status=name, limit=PAGE_ROWS)) for name, title in (
            ("failed", "Failed"), ("running", "Running"), ("queued", "Queued"))],
        "page_rows": PAGE_ROWS,
    })


@login_required
@require_POST
def background_task_retry(request, task_id: str):
    try:
        services.task_retry(task_id=task_id, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Queued again.")
    return redirect("background:background_work")


@login_required
@require_POST
def background_retry_failed(request):
    count = services.tasks_retry_failed(by=request.user)
    messages.success(request, f"Queued again: {count} failed task{'s' if count != 1 else ''}.")
    return redirect("background:background_work")


def _job_for(request, job_id: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("program", "requested_by").defer("file"), pk=job_id)
    if not permissions.can_view_job(request.user, job):
        raise PermissionDenied
    return job


def _job_context(job: Job) -> dict:
    return {"job": job, "state": selectors.work_state(job.task_id, work_running=job.status == Job.Status.RUNNING)}


@login_required
def job_detail(request, job_id: int):
    job = _job_for(request, job_id)
    return render(request, "background/job.html", _job_context(job))


@login_required
def job_progress(request, job_id: int):
    """The progress bar, polled by htmx every second; a finished job refreshes the whole page."""
    job = _job_for(request, job_id)
    context = _job_context(job)
    if not job.is_active or (context["state"] and context["state"].stopped):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "background/_job_progress.html", context)


@login_required
def job_download(request, job_id: int):
    job = _job_for(request, job_id)
    if job.status != Job.Status.DONE:
        raise Http404
    content = Job.objects.filter(pk=job.pk).values_list("file", flat=True).first()
    if not content:
        raise Http404
    response = HttpResponse(bytes(content), content_type=job.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.filename or "download"}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def job_retry(request, job_id: int):
    job = _job_for(request, job_id)
    try:
        services.job_retry(job_id=job.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Queued again.")
    return redirect("background:job_detail", job_id=job.pk)
