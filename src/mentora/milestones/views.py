from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import permissions
from .catalog import CATEGORY_LABELS, DISCLAIMER, TEMPLATES
from .forms import MilestoneEditForm, MilestoneForm
from .models import PlanMilestone
from .selectors import milestone_timeline, milestones_of
from .services import milestone_add, milestone_remove, milestone_update


@login_required
def milestone_list(request):
    form = MilestoneForm(request.POST or None, initial={"template_key": request.GET.get("template")})
    if request.method == "POST" and form.is_valid():
        milestone_add(by=request.user, **form.cleaned_data)
        messages.success(request, "The milestone is on your plan; you will be reminded before the date.")
        return redirect("milestones:milestone_list")
    return render(request, "milestones/list.html", {
        "form": form, "templates": TEMPLATES, "categories": CATEGORY_LABELS, "disclaimer": DISCLAIMER,
        "milestones": milestones_of(user=request.user), "timeline": milestone_timeline(user=request.user),
    })


def _own(request, milestone_id: int) -> PlanMilestone:
    milestone = get_object_or_404(PlanMilestone, pk=milestone_id)
    if not permissions.can_manage_milestone(request.user, milestone):
        raise PermissionDenied
    return milestone


@login_required
def milestone_edit(request, milestone_id: int):
    milestone = _own(request, milestone_id)
    initial = {"template_key": milestone.template_key, "due_on": milestone.due_on,
               "window_closes_on": milestone.window_closes_on, "note": milestone.note, "status": milestone.status}
    form = MilestoneEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        milestone_update(milestone=milestone, due_on=data["due_on"], window_closes_on=data["window_closes_on"],
                         note=data["note"], status=data["status"], by=request.user)
        messages.success(request, "The milestone is updated.")
        return redirect("milestones:milestone_list")
    return render(request, "milestones/edit.html", {"form": form, "milestone": milestone, "disclaimer": DISCLAIMER})


@login_required
@require_POST
def milestone_delete(request, milestone_id: int):
    milestone_remove(milestone=_own(request, milestone_id), by=request.user)
    messages.success(request, "The milestone is removed from your plan.")
    return redirect("milestones:milestone_list")
