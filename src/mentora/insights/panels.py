"""The building blocks every dashboard panel returns: tables, charts drawn from them, and the
drill-down figures behind each cell."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

SUPPRESSED_LABEL = "<5"


@dataclass
class Cell:
    value: Any
    drill: str | None = None  # figure key for the people behind this number
    suppressed: bool = False

    @property
    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED_LABEL
        if self.value is None:
            return "—"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return str(self.value)

    @property
    def export_value(self):
        return SUPPRESSED_LABEL if self.suppressed else self.value


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    sensitive: bool = False  # over sensitive attributes or survey answers: suppressed, never drills down
    note: str = ""

    def as_lists(self) -> list[list[Any]]:
        return [[cell.export_value for cell in row] for row in self.rows]


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar", "barh", "stacked", "line"
    labels: list[str]
    series: dict[str, list[float | None]]
    table_key: str
    y_label: str = ""
    percent: bool = False

    @property
    def alt(self) -> str:
        kind = {"line": "Line chart", "stacked": "Stacked bar chart"}.get(self.kind, "Bar chart")
        return f"{kind}: {self.title}. The same figures are in the table that follows."

    def fingerprint(self) -> str:
        payload = json.dumps([self.key, self.title, self.kind, self.labels, self.series, self.y_label,
                              self.percent], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


@dataclass
class Panel:
    key: str
    title: str
    description: str
    source: str  # which part of Mentora the figures come from
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    headline: list[tuple[str, Cell]] = field(default_factory=list)
    empty: str = ""  # what to do when there is no data yet; shown instead of tables

    @property
    def is_empty(self) -> bool:
        return bool(self.empty)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)
