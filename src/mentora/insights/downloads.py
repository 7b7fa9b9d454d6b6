"""CSV and XLSX of the dashboard's tables: suppressed cells stay suppressed ("<5").

The files are written by mentora.core.spreadsheets, the one writer of every export (it keeps text
that looks like a formula from running in a spreadsheet program).
"""

from __future__ import annotations

from django.http import HttpResponse

from mentora.core.spreadsheets import Sheet, csv_response, xlsx_response

from .panels import Table


def table_csv_response(table: Table, *, filename: str) -> HttpResponse:
    footer = [[], [table.note]] if table.note else []
    return csv_response(table.as_lists() + footer, header=table.columns, filename=filename)


def tables_xlsx_response(tables: list[Table], *, title: str, filename: str) -> HttpResponse:
    return xlsx_response([
        Sheet(table.caption, table.as_lists(), header=table.columns,
              preamble=[[table.caption]] + ([[title]] if title else []),
              footer=[[], [table.note]] if table.note else [])
        for table in tables
    ], filename=filename)
