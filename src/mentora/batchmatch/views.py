"""Batch matching pages for program coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentora.background.selectors import work_state
from mentora.programs.selectors import programs_coordinated_by

from . import permissions, selectors, services
from .forms import MatchRunForm
from .models import MatchRun


@login_required
def match_run_list(request):
    if not permissions.can_use_batch_match(request.user):
        raise PermissionDenied
    runs = permissions.visible_runs(request.user).select_related("program", "created_by")[:50]
    return render(request, "batchmatch/run_list.html", {"runs": runs})


@login_required
def match_run_new(request):
    if not permissions.can_use_batch_match(request.user):
        raise PermissionDenied
    programs = programs_coordinated_by(user=request.user)
    form = MatchRunForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.match_run_create(
                program=data["program"], user=request.user, kind=data["kind"], cohort=data["cohort"],
                pool=data["pool"], algorithm=data["algorithm"], weights=form.weights(),
                exclude_previous=data["exclude_previous"], institution_rule=data["institution_rule"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("match_run_detail", run_id=run.pk)
    return render(request, "batchmatch/run_new.html", {"form": form})


@login_required
def match_run_detail(request, run_id: int):
    run = selectors.run_for(request.user, run_id)
    context = {"run": run, "state": work_state(run.task_id, work_running=run.status == MatchRun.Status.RUNNING),
               "publishing": selectors.publish_job(run)}
    if run.result:
        context.update(selectors.preview(run))
    return render(request, "batchmatch/run_detail.html", context)


@login_required
def match_run_progress(request, run_id: int):
    run = selectors.run_for(request.user, run_id)
    state = work_state(run.task_id, work_running=run.status == MatchRun.Status.RUNNING)
    if not run.is_running or (state and state.stopped):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "batchmatch/_progress.html", {"run": run, "state": state})


@login_required
@require_POST
def match_run_action(request, run_id: int, action: str):
    run = selectors.run_for(request.user, run_id)
    try:
        if action == "rerun":
            services.match_run_rerun(run_id=run.pk, user=request.user)
        elif action == "publish":
            job = services.match_run_publish_request(run_id=run.pk, user=request.user)
            return redirect("job_detail", job_id=job.pk)
        elif action == "retry":
            services.match_run_retry(run_id=run.pk, user=request.user)
        elif action in ("lock", "unlock", "remove", "swap"):
            try:
                mentee_id = int(request.POST.get("mentee", ""))
                other = int(request.POST["other"]) if request.POST.get("other") else None
            except ValueError as error:
                raise ValidationError("Choose a pair.") from error
            services.match_run_edit(run_id=run.pk, user=request.user, action=action, mentee_id=mentee_id,
                                    other_mentee_id=other)
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("match_run_detail", run_id=run.pk)
