"""Coordinator pages: upload a file, map its columns, preview (dry run), then commit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from . import permissions
from .forms import MappingForm, UploadForm
from .importer import FIELDS, auto_mapping
from .models import ImportBatch
from .reading import FileProblem, read_table
from .services import (
    ImportRefused,
    import_batch_commit,
    import_batch_create,
    import_batch_plan,
    import_batch_set_mapping,
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
                    program=form.cleaned_data["program"], user=request.user, kind=form.cleaned_data["kind"],
                    academic_year=form.cleaned_data["academic_year"], filename=upload.name, content=content,
                )
                return redirect("import_preview", batch_id=batch.pk)
        status = 422
    return render(request, "dataio/import_start.html", {"form": form}, status=status)


def _batch_for(request, batch_id: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("program"), pk=batch_id)
    if not permissions.can_manage_program_data(request.user, batch.program):
        raise PermissionDenied
    return batch


@login_required
def import_preview(request, batch_id: int):
    batch = _batch_for(request, batch_id)
    if batch.committed_at is not None:
        return render(request, "dataio/import_done.html", {"batch": batch})
    sheet = read_table(batch.filename, bytes(batch.content))
    status = 200
    mapping_form = MappingForm(
        request.POST if request.POST.get("action") == "map" else None,
        header=sheet.header, initial_mapping=batch.mapping or auto_mapping(sheet.header),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "map":
            if mapping_form.is_valid():
                import_batch_set_mapping(batch=batch, mapping=mapping_form.mapping())
                return redirect("import_preview", batch_id=batch.pk)
            status = 422
        elif action == "commit":
            try:
                summary = import_batch_commit(batch=batch)
            except ImportRefused:
                messages.error(request, "Nothing was imported: fix the problems below and upload the file again.")
                status = 422
            else:
                messages.success(
                    request, f"Imported: {summary['create']} new, {summary['update']} updated, "
                    f"{summary['unchanged']} unchanged. New people are invited by email.")
                return redirect("import_preview", batch_id=batch.pk)
    plan = import_batch_plan(batch=batch)
    return render(request, "dataio/import_preview.html", {
        "batch": batch, "sheet": sheet, "plan": plan, "mapping_form": mapping_form, "counts": plan.counts(),
        "preview_rows": plan.rows[:PREVIEW_ROWS], "more_rows": max(0, len(plan.rows) - PREVIEW_ROWS),
        "field_labels": {target: label for target, (label, _s) in FIELDS.items()},
    }, status=status)


# Exports ---------------------------------------------------------------------------------------

CSV_TABLES = {"members": "members", "relationships": "relationships"}


@login_required
def export_page(request):
    from mentora.programs.selectors import programs_coordinated_by

    return render(request, "dataio/export.html", {"programs": programs_coordinated_by(user=request.user)})


@login_required
def export_me(request):
    import json

    from django.http import HttpResponse

    from .exporters import export_person, json_default

    body = json.dumps(export_person(request.user), default=json_default, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentora-my-data.json"'
    return response


@login_required
def export_program_view(request, program_id: int, fmt: str):
    import json

    from django.http import Http404, HttpResponse
    from django.utils.text import slugify

    from mentora.core.spreadsheets import csv_response
    from mentora.programs.models import Program
    from mentora.programs.selectors import current_academic_year

    from .exporters import export_program, json_default

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
