"""The site admin console: a home listing its sections, each section's pages."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mentora.audit.selectors import admin_actions
from mentora.background.models import Job
from mentora.core.forms import apply_to_form
from mentora.programs.models import Institution, Network, Program

from . import selectors, services
from .forms import (
    AuditFilterForm,
    InstitutionForm,
    InviteForm,
    NetworkForm,
    PeopleSearchForm,
    ProgramForm,
    ReasonForm,
)
from .permissions import can_use_console
from .sections import console_sections

User = get_user_model()


def console_page(view):
    """Signed in, and a site admin (403 for everyone else)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_use_console(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@console_page
def console_home(request):
    return render(request, "console/home.html", {"sections": console_sections(), "console_section": "home"})


PAGE_SIZE = 50


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@console_page
def people_list(request):
    form = PeopleSearchForm(request.GET or None)
    text = role = ""
    if form.is_bound and form.is_valid():
        text, role = form.cleaned_data["q"].strip(), form.cleaned_data["role"]
    page = _page(request, selectors.people_search(text=text, role=role))
    query = urlencode({k: v for k, v in (("q", text), ("role", role)) if v})
    return render(request, "console/people.html", {"form": form, "page": page, "query": query,
                                                    "console_section": "people"})


PERSON_ACTIONS = {
    "deactivate": (services.person_deactivate, "Account deactivated: its sessions ended and its API tokens "
                                               "were revoked. Everything it wrote is kept."),
    "reactivate": (services.person_reactivate, "Account active again."),
    "mfa_reset": (services.person_mfa_reset, "Multi-factor authentication reset: they set it up again at "
                                             "their next sign-in."),
    "grant_admin": (lambda **kw: services.person_site_admin_set(is_admin=True, **kw), "Now a site admin."),
    "revoke_admin": (lambda **kw: services.person_site_admin_set(is_admin=False, **kw), "No longer a site admin."),
}


@console_page
def person_detail(request, user_id: int):
    person = get_object_or_404(User, pk=user_id)
    form = ReasonForm()
    failed_action = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in PERSON_ACTIONS:
            raise Http404
        service, done = PERSON_ACTIONS[action]
        form = ReasonForm(request.POST)
        if form.is_valid() and apply_to_form(
                form, lambda: service(person=person, reason=form.cleaned_data["reason"], by=request.user)):
            messages.success(request, done)
            return redirect("console:person_detail", user_id=person.pk)
        failed_action = action
    return render(request, "console/person.html", {
        "person": person, "person_roles": selectors.person_roles(person=person), "form": form,
        "failed_action": failed_action, "console_section": "people",
        "history": admin_actions(target_type=person._meta.label_lower, target_id=str(person.pk))[:20],
    })


@console_page
def person_invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_to_form(form, lambda: services.person_invite(
                program=data["program"], email=data["email"], full_name=data["full_name"], role=data["role"],
                training_level=data["training_level"], by=request.user)):
            messages.success(request, f"Invitation to {data['program']} recorded for {data['email']}.")
            return redirect("console:people")
    return render(request, "console/form.html", {"form": form, "console_section": "people",
                                                 "title": "Invite a person", "submit": "Invite",
                                                 "back": reverse("console:people")})


RECORDS = {
    "institutions": (Institution, InstitutionForm, "institution", "Institutions", "institution"),
    "networks": (Network, NetworkForm, "network", "Networks", "network"),
    "programs": (Program, ProgramForm, "program", "Programs", "program"),
}


def _records(kind: str):
    if kind not in RECORDS:
        raise Http404
    return RECORDS[kind]


@console_page
def record_list(request, kind: str):
    model, _form, _action, title, noun = _records(kind)
    rows = model.objects.all()
    if model is Program:
        rows = rows.select_related("institution", "network")
    elif model is Institution:
        rows = rows.prefetch_related("networks")
    text = request.GET.get("q", "").strip()[:200]
    if text:
        rows = rows.filter(name__icontains=text)
    return render(request, "console/records.html", {
        "page": _page(request, rows.order_by("name")), "kind": kind, "title": title, "noun": noun, "q": text,
        "console_section": kind, "query": urlencode({"q": text}) if text else ""})


@console_page
def record_edit(request, kind: str, pk: str | None = None):
    model, form_class, action, title, noun = _records(kind)
    instance = get_object_or_404(model, pk=pk) if pk is not None else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid() and apply_to_form(
            form, lambda: services.record_save(form=form, action=action, by=request.user)):
        messages.success(request, f"{noun.capitalize()} saved: {form.instance}.")
        return redirect("console:records", kind=kind)
    heading = f"Edit {noun}: {instance}" if instance else f"New {noun}"
    return render(request, "console/form.html", {"form": form, "console_section": kind, "title": heading,
                                                 "submit": "Save", "back": reverse("console:records", args=[kind])})


@console_page
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"text": data["q"].strip(), "action": data["action"], "since": data["since"],
                   "until": data["until"]}
    page = _page(request, admin_actions(**filters).select_related("actor"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "console/audit_log.html", {"form": form, "page": page, "query": query,
                                                      "console_section": "audit"})


@console_page
def backups(request):
    if request.method == "POST":
        try:
            job = services.backup_start(by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("console:backups")
        return redirect("background:job_detail", job_id=job.pk)
    return render(request, "console/backups.html", {
        "files": selectors.backup_files(), "folder": settings.BACKUP_DIR, "console_section": "backups",
        "jobs": Job.objects.filter(kind=Job.Kind.BACKUP).select_related("requested_by").defer("file")[:10],
        "key_set": bool(settings.BACKUP_KEY),
    })


@console_page
def backup_download(request, name: str):
    path = selectors.backup_path(name)
    if path is None:
        raise Http404
    services.backup_download_record(name=name, by=request.user)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/octet-stream")
