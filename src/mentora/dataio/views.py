"""Coordinator pages: upload a file, map its columns, preview (dry run), then commit."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from mentora.background.models import Job
from mentora.core.academic_year import current_academic_year
from mentora.core.export_registry import export_person, export_program, json_default
from mentora.core.forms import add_service_error
from mentora.core.lists import Column, ListSpec, list_page
from mentora.core.spreadsheets import csv_response
from mentora.programs.models import Program
from mentora.programs.permissions import can_manage_people
from mentora.programs.selectors import programs_coordinated_by

from . import permissions
from .forms import MappingForm, PersonAddForm, UploadForm, ValueMappingForm
from .importer import FIELDS, auto_mapping
from .models import ImportBatch
from .reading import FileProblem, read_table
from .selectors import SHOWN_STATUSES, account_invitation_counts, account_invitations, import_history_for
from .services import (
    account_invitations_resend,
    import_batch_commit_request,
    import_batch_create,
    import_batch_plan,
    import_batch_set_mapping,
    import_batch_set_value_mapping,
    program_person_add,
)

PREVIEW_ROWS = 100


@login_required
def import_start(request):
    if not permissions.can_use_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                read_table(upload.name, content)
            except FileProblem as problem:
                form.add_error("file", str(problem))
            else:
                batch = import_batch_create(
                    program=form.cleaned_data["program"], by=request.user, kind=form.cleaned_data["kind"],
                    academic_year=form.cleaned_data["academic_year"], filename=upload.name, content=content,
                )
                return redirect("dataio:import_preview", batch_id=batch.pk)
        status = 422

    programs = programs_coordinated_by(user=request.user).order_by("name")[:50]
    return render(request, "dataio/import_start.html", {"form": form, "programs": programs}, status=status)


def _batch_for(request, batch_id: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("program"), pk=batch_id)
    if not permissions.can_manage_program_data(request.user, batch.program):
        raise PermissionDenied
    return batch


@login_required
def import_preview(request, batch_id: int):
    batch = _batch_for(request, batch_id)
    if batch.committed_at is not None:
        asked = batch.invitations.select_related("user").order_by("status", "user__email")
        return render(request, "dataio/import_done.html", {
            "batch": batch, "invitations": account_invitation_counts(batch=batch),
            "program_invitations": asked[:PREVIEW_ROWS], "more_program_invitations": max(0, asked.count() - PREVIEW_ROWS)})
    importing = Job.objects.filter(kind=Job.Kind.IMPORT, params__batch_id=batch.pk,
                                   status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if importing is not None:
        return redirect("background:job_detail", job_id=importing.pk)
    sheet = read_table(batch.filename, bytes(batch.content))
    status = 200
    mapping_form = MappingForm(
        request.POST if request.POST.get("action") == "map" else None,
        header=sheet.header, initial_mapping=batch.mapping or auto_mapping(sheet.header),
    )
    plan = import_batch_plan(batch=batch)
    values_form = ValueMappingForm(request.POST if request.POST.get("action") == "values" else None,
                                   unknown=plan.unknown_values, initial_mapping=batch.value_mapping)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "map":
            if mapping_form.is_valid():
                import_batch_set_mapping(batch=batch, mapping=mapping_form.mapping())
                return redirect("dataio:import_preview", batch_id=batch.pk)
            status = 422
        elif action == "values":
            if values_form.is_valid():
                import_batch_set_value_mapping(batch=batch, value_mapping=values_form.value_mapping())
                return redirect("dataio:import_preview", batch_id=batch.pk)
            status = 422
        elif action == "commit":
            skip = request.POST.get("skip_errors") == "yes"
            if plan.ok or (skip and plan.skippable):
                job = import_batch_commit_request(batch=batch, by=request.user, skip_errors=skip)
                return redirect("background:job_detail", job_id=job.pk)
            messages.error(request, "Nothing was imported: fix the problems below and upload the file again"
                                    + (", or choose to skip the rows with problems." if plan.skippable else "."))
            status = 422
    return render(request, "dataio/import_preview.html", {
        "batch": batch, "sheet": sheet, "plan": plan, "mapping_form": mapping_form, "values_form": values_form,
        "counts": plan.counts(), "preview_rows": plan.rows[:PREVIEW_ROWS],
        "more_rows": max(0, len(plan.rows) - PREVIEW_ROWS),
        "field_labels": {target: label for target, (label, _s) in FIELDS.items()},
    }, status=status)


HISTORY_LIST = ListSpec(
    name="imports", default_sort="when", default_descending=True,
    search=("filename", "program__name", "created_by__full_name", "created_by__email"),
    columns=[
        Column("when", "Uploaded", sort="created_at", value=lambda b: b.created_at),
        Column("file", "File", sort="filename", value=lambda b: b.filename),
        Column("program", "Program", sort="program__name", value=lambda b: b.program.name),
        Column("who", "By", sort="created_by__full_name",
               value=lambda b: b.created_by.display_name if b.created_by else "—"),
        Column("kind", "Holds", sort="kind", value=lambda b: b.get_kind_display()),
        Column("outcome", "Outcome", sort="committed_at", value=lambda b: b.outcome_label),
        Column("counts", "Rows", value=lambda b: b.counts_label),
    ])


@login_required
def import_history(request):
    """Every import into the programs one coordinates: who uploaded which file when, and what came of it."""
    if not permissions.can_use_import(request.user):
        raise PermissionDenied
    batches = import_history_for(user=request.user)
    listing = list_page(request, batches, HISTORY_LIST)
    if listing.wants_export:
        return listing.export(filename="import-history.csv")
    return render(request, "dataio/import_history.html", {"listing": listing})


# Account invitations --------------------------------------------------------------------------

def _program_for(request, program_id: int) -> Program:
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_manage_program_data(request.user, program):
        raise PermissionDenied
    return program


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdecimal()]


@login_required
def account_invitation_list(request, program_id: int):
    """The people a program's imports created, with their invitation's status; resend one, some or all."""
    program = _program_for(request, program_id)
    batch = None
    if request.GET.get("batch", "").isdecimal():
        batch = get_object_or_404(ImportBatch, pk=int(request.GET["batch"]), program=program)
    if request.method == "POST":
        chosen = _ids(request.POST.getlist("invitation"))
        everyone = request.POST.get("resend_all", "")
        if everyone in ("failed", "expired"):
            count = account_invitations_resend(program=program, by=request.user, statuses=[everyone],
                                               invitation_ids=None if batch is None else list(
                                                   batch.account_invitations.values_list("pk", flat=True)))
        elif chosen:
            count = account_invitations_resend(program=program, by=request.user, invitation_ids=chosen)
        else:
            messages.error(request, "Choose the invitations to send again.")
            return redirect(request.get_full_path())
        if count:
            messages.success(request, f"Sending again: {count} invitation{'s' if count != 1 else ''}, each with a "
                             "new password link.")
        else:
            messages.info(request, "Nothing to send again: accepted invitations and ones still waiting are left alone.")
        return redirect(request.get_full_path())
    status = request.GET.get("status", "")
    rows = account_invitations(program=program, batch=batch).select_related("user").order_by("user__full_name", "pk")
    if status in SHOWN_STATUSES:
        rows = rows.filter(shown_status=status)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    for invitation in page.object_list:
        invitation.status_label = SHOWN_STATUSES[invitation.shown_status]
    counts = account_invitation_counts(program=program, batch=batch)
    return render(request, "dataio/invitations.html", {
        "program": program, "batch": batch, "page": page, "status": status, "counts": counts,
        "filters": [(key, label, counts[key]) for key, label in SHOWN_STATUSES.items()],
    })


@login_required
@require_POST
def account_invitation_resend(request, program_id: int, invitation_id: int):
    program = _program_for(request, program_id)
    count = account_invitations_resend(program=program, by=request.user, invitation_ids=[invitation_id])
    if count:
        messages.success(request, "Sending the invitation again, with a new password link.")
    else:
        messages.info(request, "Nothing to send again: this invitation was accepted or is still waiting to be sent.")
    return redirect("dataio:account_invitation_list", program_id=program.pk)


@login_required
def import_invitation_counts(request, batch_id: int):
    """The invitation figures of an import, polled by htmx while some are still waiting to be sent."""
    batch = _batch_for(request, batch_id)
    return render(request, "dataio/_invitation_counts.html", {
        "batch": batch, "invitations": account_invitation_counts(batch=batch)})


# Exports ---------------------------------------------------------------------------------------

CSV_TABLES = {"members": "members", "relationships": "relationships"}


@login_required
def export_page(request):
    return render(request, "dataio/export.html", {"programs": programs_coordinated_by(user=request.user)})


@login_required
def export_me(request):
    body = json.dumps(export_person(request.user), default=json_default, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentora-my-data.json"'
    return response


@login_required
def export_program_view(request, program_id: int, fmt: str):
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_manage_program_data(request.user, program):
        raise PermissionDenied
    document = export_program(program, current_academic_year())
    name = f"{slugify(program.slug)}-{document['academic_year']}"
    if fmt == "json":
        response = HttpResponse(json.dumps(document, default=json_default, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    table = request.GET.get("table", "members")
    if table not in CSV_TABLES:
        raise Http404
    records = document[CSV_TABLES[table]]
    header = list(records[0]) if records else None
    rows = ([json_default(value) if value is not None and not isinstance(value, str | int | float | bool) else value
             for value in record.values()] for record in records)
    return csv_response(rows, header=header, filename=f"{name}-{table}.csv")


# Adding one person by hand ----------------------------------------------------------------------


@login_required
def program_person_add_page(request, program_id: int):
    """Add one person to a program by hand (a page among the program's own, /programs/<id>/people/add/)."""
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_id)
    if not can_manage_people(request.user, program):
        raise PermissionDenied
    form = PersonAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = program_person_add(program=program, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                email = form.cleaned_data["email"]
                messages.success(request, {
                    "create": f"{email} is added to {program.name} and invited by email to choose a password.",
                    "update": f"{email} is updated in {program.name}.",
                    "unchanged": f"{email} is in {program.name} already.",
                    "invite": f"{email} already has a Mentora account: they are asked to join {program.name} and "
                              "appear as a member once they accept.",
                    "invited": f"{email} was asked already and has not answered yet.",
                    "declined": f"{email} declined {program.name}'s invitation for this year; they may still "
                                "accept it from their invitations.",
                }[row.action])
                return redirect("programs:program_people", program_id=program.pk)
        status = 422
    return render(request, "dataio/person_add.html", {"program": program, "form": form}, status=status)
