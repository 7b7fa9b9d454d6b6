"""CSV and XLSX of the dashboard's tables: suppressed cells stay suppressed ("<5")."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .panels import Table


def _safe(value):
    """Keep spreadsheet programs from running text that looks like a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.as_lists():
        writer.writerow([_safe(v) for v in row])
    if table.note:
        writer.writerow([])
        writer.writerow([table.note])
    return out.getvalue()


def tables_xlsx(tables: list[Table], *, title: str = "") -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        name = table.caption[:28].replace("/", "-").replace(":", "").replace("?", "").replace("*", "")
        name = name.replace("[", "(").replace("]", ")")
        base, n = name, 2
        while name in used:
            name = f"{base[:25]} {n}"
            n += 1
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([table.caption])
        sheet["A1"].font = Font(bold=True)
        if title:
            sheet.append([title])
        sheet.append(table.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.as_lists():
            sheet.append([_safe(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
