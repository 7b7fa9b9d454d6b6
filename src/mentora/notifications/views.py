from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentora.programs.models import Program

from . import permissions
from .email_templates import EMAIL_KINDS, render_email
from .kinds import KINDS
from .models import EmailTemplate, NotificationPreference
from .selectors import notifications_for
from .services import email_template_reset, email_template_save, notification_mark_read, preferences_save


@login_required
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, notification_id: int | None = None):
    notification_mark_read(by=request.user, notification_id=notification_id)
    return redirect("notifications:notification_list")


@login_required
def preferences(request):
    current = {p.kind: p.delivery for p in NotificationPreference.objects.filter(user=request.user)}
    errors = {}
    if request.method == "POST":
        chosen = {kind: request.POST[kind] for kind in KINDS if kind in request.POST}
        try:
            preferences_save(by=request.user, deliveries=chosen)
        except ValidationError as error:
            errors = {kind: problems[0] for kind, problems in error.message_dict.items()}
            current = chosen
        else:
            messages.success(request, "Your notification choices are saved.")
            return redirect("notifications:notification_preferences")
    rows = [
        {"kind": kind, "label": label, "delivery": current.get(kind, NotificationPreference.Delivery.EMAIL),
         "error": errors.get(kind, "")}
        for kind, label in KINDS.items()
    ]
    return render(request, "notifications/preferences.html", {
        "rows": rows, "deliveries": NotificationPreference.Delivery.choices,
    }, status=400 if errors else 200)


# --- a program's email templates -------------------------------------------------------------------


class EmailTemplateForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), max_length=5000)


def _program_for_emails(request, program_id: int):
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_edit_email_templates(request.user, program):
        raise PermissionDenied
    return program


@login_required
def email_template_list(request, program_id: int):
    program = _program_for_emails(request, program_id)
    own = {t.kind: t for t in EmailTemplate.objects.filter(program=program).select_related("updated_by")}
    return render(request, "notifications/email_templates.html", {
        "program": program, "kinds": [(key, kind, own.get(key)) for key, kind in EMAIL_KINDS.items()]})


@login_required
def email_template_edit(request, program_id: int, kind: str):
    program = _program_for_emails(request, program_id)
    if kind not in EMAIL_KINDS:
        raise Http404
    spec = EMAIL_KINDS[kind]
    own = EmailTemplate.objects.filter(program=program, kind=kind).first()
    initial = {"subject": own.subject if own else spec.subject, "body": own.body if own else spec.body}
    form = EmailTemplateForm(request.POST or None, initial=initial)
    preview, status = None, 200
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "reset":
        email_template_reset(by=request.user, program=program, kind=kind)
        messages.success(request, f"The {spec.label.lower()} email is back to Mentora's wording.")
        return redirect("notifications:email_template_edit", program_id=program.pk, kind=kind)
    if request.method == "POST":
        if form.is_valid():
            try:
                if action == "preview":
                    sample = {**spec.sample, "program_name": program.name}
                    preview = render_email(kind=kind, subject=form.cleaned_data["subject"],
                                           body=form.cleaned_data["body"], values=sample)
                else:
                    email_template_save(by=request.user, program=program, kind=kind, **form.cleaned_data)
                    messages.success(request, f"{program.name}'s {spec.label.lower()} email is saved.")
                    return redirect("notifications:email_template_edit", program_id=program.pk, kind=kind)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
        if not form.is_valid():
            status = 422
    return render(request, "notifications/email_template_edit.html", {
        "program": program, "kind": kind, "spec": spec, "form": form, "own": own, "preview": preview,
    }, status=status)
