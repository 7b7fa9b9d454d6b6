from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentora.core.forms import apply_to_form
from mentora.programs.models import Program

from . import permissions, selectors, services
from .forms import ConflictPolicyForm, EvaluatingRoleForm


@login_required
def my_roles(request):
    if not permissions.can_declare_roles(request.user):
        raise PermissionDenied
    form = EvaluatingRoleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluating_role_declare(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your evaluating role is recorded.")
            return redirect("conflicts:conflicts_roles")
    return render(request, "conflicts/roles.html", {
        "form": form, "roles": selectors.roles_declared_by(mentor=request.user),
    })


@login_required
@require_POST
def remove_role(request, role_id: int):
    if not services.evaluating_role_remove(by=request.user, role_id=role_id):
        raise PermissionDenied
    messages.success(request, "The role is removed.")
    return redirect("conflicts:conflicts_roles")


@login_required
def program_policy(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_set_policy(request.user, program):
        raise PermissionDenied
    policy = selectors.policy_of(program=program)
    form = ConflictPolicyForm(request.POST or None,
                              initial={"forbid_evaluator_pairs": policy.forbid_evaluator_pairs,
                                       "coordinator_may_override": policy.coordinator_may_override})
    if request.method == "POST" and form.is_valid() and apply_to_form(
            form, lambda: services.conflict_policy_set(program=program, by=request.user, **form.cleaned_data)):
        messages.success(request, "The conflict-of-interest policy is saved.")
        return redirect("conflicts:conflicts_policy", slug=program.slug)
    # The program's open relationships, read through the program: relationships sit above conflicts
    # (starting one runs the conflict check).
    of_program = program.relationships
    relationships = list(of_program.filter(status__in=of_program.model.OPEN_STATUSES).select_related("mentee", "mentor"))
    found = selectors.conflict_map(mentee_ids={r.mentee_id for r in relationships},
                                   mentor_ids={r.mentor_id for r in relationships})
    in_conflict = [(r, found[(r.mentee_id, r.mentor_id)]) for r in relationships if (r.mentee_id, r.mentor_id) in found]
    return render(request, "conflicts/policy.html", {
        "program": program, "policy": policy, "form": form, "in_conflict": in_conflict,
    })
