from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentora.profiles.forms import SensitiveAttributesForm
from mentora.profiles.models import SensitiveAttributes
from mentora.profiles.services import sensitive_attributes_update
from mentora.programs.models import Program

from . import permissions, selectors, services
from .forms import DataPolicyForm, EraseConfirmForm


def _home(request, erase_form, status: int = 200):
    return render(request, "privacy/home.html", {
        **selectors.privacy_overview(user=request.user), "erase_form": erase_form,
        "erasure_policy": services.ERASURE_POLICY.split("\n\n"),
    }, status=status)


@login_required
def privacy_home(request):
    return _home(request, EraseConfirmForm(user=request.user))


@login_required
def leave_program(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    if request.method == "POST":
        try:
            services.program_leave(program=program, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You have left {program.name}. A confirmation is on its way by email.")
        return redirect("privacy:privacy_home")
    return render(request, "privacy/leave_confirm.html", {"program": program,
                                                          "policy": services.policy_of(program)})


@login_required
@require_POST
def withdraw_consent(request):
    if services.sensitive_consent_withdraw(by=request.user):
        messages.success(request, "Your optional attributes are deleted and no longer used in matching.")
    else:
        messages.info(request, "You had no optional attributes stored.")
    return redirect("privacy:privacy_home")


@login_required
@require_POST
def erase(request):
    form = EraseConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        return _home(request, form, status=400)
    services.person_erase(user=request.user)
    logout(request)
    return render(request, "privacy/erased.html")


@login_required
def program_data_policy(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_set_data_policy(request.user, program):
        raise PermissionDenied
    policy = services.policy_of(program)
    form = DataPolicyForm(request.POST or None, initial={
        "keep_records_on_leave": policy.keep_records_on_leave,
        "keep_mentor_records_on_erasure": policy.keep_mentor_records_on_erasure,
    })
    if request.method == "POST" and form.is_valid():
        services.data_policy_set(program=program, **form.cleaned_data)
        messages.success(request, "The data policy is saved.")
        return redirect("privacy:privacy_program_policy", slug=program.slug)
    return render(request, "privacy/policy.html", {"program": program, "form": form})


@login_required
def privacy_edit(request):
    """The person's optional attributes and their consent (/people/me/privacy/, beside the profile pages)."""
    user = request.user
    attributes = SensitiveAttributes.objects.filter(user=user).first()
    if request.method == "POST":
        form = SensitiveAttributesForm(request.POST, instance=attributes or SensitiveAttributes(user=user))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "consent"}
            if form.cleaned_data["consent"]:
                sensitive_attributes_update(person=user, consent=True, data=data, by=user)
            else:  # the same withdrawal as on the privacy page: logged, confirmed, every copy dropped
                services.sensitive_consent_withdraw(by=user)
            messages.success(
                request,
                "Your optional attributes are saved." if form.cleaned_data["consent"]
                else "Consent withdrawn: your optional attributes are deleted.",
            )
            return redirect("privacy:privacy_edit")
    else:
        form = SensitiveAttributesForm(
            instance=attributes, initial={"consent": bool(attributes and attributes.has_consented)}
        )
    return render(request, "privacy/sensitive_attributes_edit.html", {"form": form, "attributes": attributes})
