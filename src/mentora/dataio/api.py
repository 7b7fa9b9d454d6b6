"""Exports over the API: a person's own copy, and a program's data for its coordinators."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router

from mentora.api.auth import require_scope
from mentora.core.academic_year import current_academic_year
from mentora.core.export_registry import export_person, export_program
from mentora.programs.models import Program

from . import permissions

router = Router(tags=["export"])


@router.get("/me", response=dict[str, Any], summary="A copy of all my data (needs the export scope)")
def export_me(request):
    require_scope(request, "export")
    return export_person(request.auth)


@router.get("/programs/{program_id}", response=dict[str, Any],
            summary="A program's data for its coordinators (no sensitive attributes; needs the export scope)")
def export_program_data(request, program_id: int, academic_year: int | None = None):
    require_scope(request, "export")
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_manage_program_data(request.auth, program):
        raise PermissionDenied
    year = academic_year if academic_year is not None else current_academic_year()
    if not 2000 <= year <= 2100:
        from ninja.errors import HttpError

        raise HttpError(422, "The academic year must be between 2000 and 2100.")
    return export_program(program, year)
