"""Batch matching pages for program coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
                program=data["program"], by=request.user, kind=data["kind"], cohort=data["cohort"],
                pool=data["pool"], algorithm=data["algorithm"], weights=form.weights(),
                exclude_previous=data["exclude_previous"], institution_rule=data["institution_rule"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("batchmatch:match_run_detail", run_id=run.pk)
    return render(request, "batchmatch/run_new.html", {"form": form})


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def match_run_detail(request, run_id: int):
    run = selectors.run_for(request.user, run_id)
    context = {"run": run, "state": work_state(run.task_id, work_running=run.status == MatchRun.Status.RUNNING),
               "publishing": selectors.publish_job(run), "equal_weights": services.all_weights_zero(run.weights)}
    if run.result:
        context.update(selectors.preview(run, page=request.GET.get("page"),
                                         unmatched_page=request.GET.get("unmatched_page"),
                                         conflicts_page=request.GET.get("conflicts_page"),
                                         search=request.GET.get("q", "")))
        context["may_keep_conflicts"] = run.is_editable and services.may_keep_conflicts(run.program)
        undo = _number(request.GET.get("undo"))
        if undo is not None and run.is_editable:
            context["undo"] = run.pairs.filter(mentee_id=undo, mentor__isnull=True, removed__isnull=False).first()
            if context["undo"] is not None:
                labels = selectors.people_labels([undo, context["undo"].removed["mentor"]], run.academic_year)
                context["undo_labels"] = (labels.get(undo), labels.get(context["undo"].removed["mentor"]))
    return render(request, "batchmatch/run_detail.html", context)


def _editable_row(request, run_id: int, mentee_id: int, *, matched: bool):
    run = selectors.run_for(request.user, run_id)
    if not permissions.can_run_for_program(request.user, run.program_id):
        raise PermissionDenied
    if not run.is_editable:
        raise Http404("This preview cannot be edited.")
    row = get_object_or_404(run.pairs, mentee_id=mentee_id, mentor__isnull=not matched)
    labels = selectors.people_labels([row.mentee_id] + ([row.mentor_id] if matched else []), run.academic_year)
    row.mentee_label, row.mentor_label = labels.get(row.mentee_id), labels.get(row.mentor_id)
    return run, row


@login_required
def match_run_swap(request, run_id: int, mentee_id: int):
    """The other pairs this pair can swap mentors with, a page at a time (searchable by mentee)."""
    run, row = _editable_row(request, run_id, mentee_id, matched=True)
    search = request.GET.get("q", "")
    choices = selectors.swap_choices(run, row, page=request.GET.get("page"), search=search)
    return render(request, "batchmatch/run_swap.html", {"run": run, "row": row, "choices": choices,
                                                       "search": search})


@login_required
def match_run_assign(request, run_id: int, mentee_id: int):
    """The pool's mentors with a free place, to give an unmatched mentee a mentor by hand."""
    run, row = _editable_row(request, run_id, mentee_id, matched=False)
    search = request.GET.get("q", "")
    choices = selectors.mentor_choices(run, page=request.GET.get("page"), search=search)
    return render(request, "batchmatch/run_assign.html", {"run": run, "row": row, "choices": choices,
                                                         "search": search})


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
            services.match_run_rerun(run_id=run.pk, by=request.user)
        elif action == "publish":
            job = services.match_run_publish_request(run_id=run.pk, by=request.user)
            return redirect("background:job_detail", job_id=job.pk)
        elif action == "retry":
            services.match_run_retry(run_id=run.pk, by=request.user)
        elif action in ("lock", "unlock", "remove", "undo", "swap", "assign", "keep"):
            try:
                mentee_id = int(request.POST.get("mentee", ""))
                other = int(request.POST["other"]) if request.POST.get("other") else None
                mentor = int(request.POST["mentor"]) if request.POST.get("mentor") else None
            except ValueError as error:
                raise ValidationError("Choose a pair.") from error
            services.match_run_edit(run_id=run.pk, by=request.user, action=action, mentee_id=mentee_id,
                                    other_mentee_id=other, mentor_id=mentor,
                                    reason=request.POST.get("reason", "")[:1000])
            if action == "remove":
                return redirect(f"{reverse('batchmatch:match_run_detail', args=[run.pk])}?undo={mentee_id}#undo")
            if action in ("swap", "assign", "undo"):
                messages.success(request, {"swap": "Mentors swapped; both pairs are locked.",
                                           "assign": "Mentor assigned; the pair is locked.",
                                           "undo": "Removal undone; the pair is back."}[action])
            if action == "keep":
                messages.success(request, "The pair is kept, with your reason; both will read it when you publish.")
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("batchmatch:match_run_detail", run_id=run.pk)
