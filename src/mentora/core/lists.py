"""One way to show a list that grows with a program: pages, sorting, search, CSV export, and a selection
that survives moving between pages.

A page declares its list once and hands the rows (a QuerySet, or a list it computed in a fixed number
of queries) to `list_page`; the template includes ``core/_list_controls.html`` (search box, export link),
``core/_list_header.html`` per sortable column and ``core/_pagination.html``::

    PEOPLE = ListSpec(name="people", default_sort="name", columns=[
        Column("name", "Name", sort="user__full_name", value=lambda m: m.user.display_name),
        Column("role", "Role", sort="role", value=lambda m: m.get_role_display()),
    ], search=("user__full_name", "user__email"))

    listing = list_page(request, memberships, PEOPLE)
    if listing.wants_export:
        return listing.export(filename="people.csv")

A QuerySet is filtered, sorted and sliced by the database (two queries: the count and the page);
a list is filtered and sorted in Python with the same column definitions, so either way the number of
queries does not depend on the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .spreadsheets import csv_response

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class Column:
    """A column of a list: how it sorts (an ORM path for QuerySets, a key function for lists; None: it
    does not sort) and what it exports (a function of the row; None: not exported)."""

    key: str
    label: str
    sort: str | Callable[[Any], Any] | None = None
    value: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class ListSpec:
    name: str
    columns: Sequence[Column]
    default_sort: str
    # ORM paths searched with icontains (QuerySets), or a function giving a row's searchable text (lists).
    search: Sequence[str] | Callable[[Any], str] = ()
    per_page: int = 50
    default_descending: bool = False

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key and column.sort is not None), None)


def _null_safe(value: Any) -> tuple:
    # None sorts last in both directions' natural reading ("never signed off" at the end of dates).
    return (value is None, value if value is not None else 0)


@dataclass
class Listing:
    spec: ListSpec
    page: Page
    sort: str
    descending: bool
    query: str
    params: dict[str, str]  # the request's other parameters, kept by every link (program, year, filter)
    prefix: str
    _rows: Any = field(repr=False, default=None)
    wants_export: bool = False

    def _name(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def url(self, **changes: Any) -> str:
        """The query string of this list with some parameters changed (None removes one)."""
        values = dict(self.params)
        current = {"sort": ("-" if self.descending else "") + self.sort, "q": self.query,
                   "page": str(self.page.number)}
        for key, value in current.items():
            values[self._name(key)] = value
        for key, value in changes.items():
            values[self._name(key)] = value
        default_sort = ("-" if self.spec.default_descending else "") + self.spec.default_sort
        if values.get(self._name("sort")) == default_sort:
            values.pop(self._name("sort"))
        if values.get(self._name("page")) == "1":
            values.pop(self._name("page"))
        return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})

    @property
    def export_url(self) -> str:
        return self.url(page=None, export="csv")

    def page_url(self, number: int) -> str:
        return self.url(page=str(number))

    @cached_property
    def page_links(self) -> list[dict]:
        """Previous, a window of page numbers around this one (with the first and last), next."""
        page, count = self.page, self.page.paginator.num_pages
        if count <= 1:
            return []
        numbers = sorted({1, count} | set(range(max(1, page.number - 2), min(count, page.number + 2) + 1)))
        links = []
        if page.has_previous():
            links.append({"label": "Previous", "number": page.number - 1, "url": self.page_url(page.number - 1),
                          "rel": "prev"})
        last = 0
        for number in numbers:
            if number > last + 1:
                links.append({"gap": True})
            links.append({"label": str(number), "number": number, "url": self.page_url(number),
                          "current": number == page.number})
            last = number
        if page.has_next():
            links.append({"label": "Next", "number": page.number + 1, "url": self.page_url(page.number + 1),
                          "rel": "next"})
        return links

    @cached_property
    def headers(self) -> list[dict]:
        """Each column's label, and for sortable ones the link that sorts by it (again: the other way)."""
        headers = []
        for column in self.spec.columns:
            if column.sort is None:
                headers.append({"label": column.label, "key": column.key})
                continue
            active = column.key == self.sort
            descending = not self.descending if active else False
            headers.append({
                "label": column.label, "key": column.key,
                "url": self.url(sort=("-" if descending else "") + column.key, page=None),
                "aria_sort": ("descending" if self.descending else "ascending") if active else "none",
            })
        return headers

    @property
    def hidden_fields(self) -> list[tuple[str, str]]:
        """The parameters a search form keeps (everything but the search and the page)."""
        skip = {self._name("q"), self._name("page"), self._name("export")}
        values = dict(self.params)
        if self.sort != self.spec.default_sort or self.descending != self.spec.default_descending:
            values[self._name("sort")] = ("-" if self.descending else "") + self.sort
        return [(k, v) for k, v in values.items() if k not in skip]

    @property
    def search_name(self) -> str:
        return self._name("q")

    @property
    def page_ids(self) -> list[int]:
        return [row_id(row) for row in self.page.object_list]

    def all_rows(self) -> Iterable[Any]:
        """Every row that matches the search, in the chosen order (for export and "select all")."""
        return self._rows

    def export(self, *, filename: str) -> HttpResponse:
        columns = [column for column in self.spec.columns if column.value is not None]
        rows = (self._rows.iterator(chunk_size=2000) if isinstance(self._rows, QuerySet) else self._rows)
        return csv_response(([column.value(row) for column in columns] for row in rows),
                            header=[column.label for column in columns], filename=filename)


def row_id(row: Any) -> int:
    return row.pk if hasattr(row, "pk") else row.id


def list_page(request: HttpRequest, rows: QuerySet | list, spec: ListSpec, *, prefix: str = "",
              keep: Sequence[str] = ()) -> Listing:
    """The page of `rows` the request asks for: `?sort=<column>` (`-<column>` descending), `?q=` search,
    `?page=`, `?export=csv` (then `listing.wants_export` is true and `listing.export()` answers).
    `keep` names other parameters of the page that every link of the list carries."""
    get = request.GET
    raw_sort = get.get(f"{prefix}sort", "")
    descending = raw_sort.startswith("-") if raw_sort else spec.default_descending
    column = spec.column(raw_sort.lstrip("-")) or spec.column(spec.default_sort)
    if not raw_sort or spec.column(raw_sort.lstrip("-")) is None:
        descending = spec.default_descending
    query = " ".join(get.get(f"{prefix}q", "").split())[:SEARCH_MAX_LENGTH]
    if isinstance(rows, QuerySet):
        rows = _queryset_rows(rows, spec, column, descending, query)
    else:
        rows = _list_rows(list(rows), spec, column, descending, query)
    page = Paginator(rows, spec.per_page).get_page(get.get(f"{prefix}page"))
    params = {name: get[name] for name in keep if get.get(name)}
    return Listing(spec=spec, page=page, sort=column.key, descending=descending, query=query, params=params,
                   prefix=prefix, _rows=rows, wants_export=get.get(f"{prefix}export") == "csv")


def _queryset_rows(rows: QuerySet, spec: ListSpec, column: Column, descending: bool, query: str) -> QuerySet:
    if query and spec.search and not callable(spec.search):
        matches = Q()
        for path in spec.search:
            matches |= Q(**{f"{path}__icontains": query})
        rows = rows.filter(matches)
    order = F(column.sort).desc(nulls_last=True) if descending else F(column.sort).asc(nulls_last=True)
    return rows.order_by(order, "-pk" if descending else "pk")


def _list_rows(rows: list, spec: ListSpec, column: Column, descending: bool, query: str) -> list:
    if query and callable(spec.search):
        needle = query.casefold()
        rows = [row for row in rows if needle in spec.search(row).casefold()]
    key = column.sort
    nones = [row for row in rows if key(row) is None]
    present = sorted((row for row in rows if key(row) is not None),
                     key=lambda row: (_sort_key(key(row)), row_id(row)), reverse=descending)
    return present + nones


def _sort_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


# ------------------------------------------------------------------------------------------------
# A selection kept across pages (in the session, per list and scope)


class Selection:
    """The rows ticked in a list, kept in the session while the person moves between pages.

    A page's form posts the ids it showed (`shown`) and those ticked (`picked`): ticks on other pages
    stay as they were. "Select all" takes every row matching the search; "clear" empties it.
    """

    LIMIT = 20000

    def __init__(self, request: HttpRequest, key: str):
        self.session = request.session
        self.key = f"selection:{key}"

    @property
    def ids(self) -> set[int]:
        return set(self.session.get(self.key, []))

    def _save(self, ids: set[int]) -> None:
        self.session[self.key] = sorted(ids)[: self.LIMIT]

    def update_from(self, post) -> set[int]:
        shown = {int(v) for v in post.getlist("shown") if v.isdecimal()}
        picked = {int(v) for v in post.getlist("picked") if v.isdecimal()} & shown
        ids = (self.ids - shown) | picked
        self._save(ids)
        return ids

    def replace(self, ids: Iterable[int]) -> None:
        self._save(set(ids))

    def clear(self) -> None:
        self.session.pop(self.key, None)

    def __len__(self) -> int:
        return len(self.session.get(self.key, []))

    def __contains__(self, item: int) -> bool:
        return item in self.ids


def selection_keep(request: HttpRequest, selection: Selection, listing: Listing) -> HttpResponse | None:
    """Handle the selection part of a list form's POST: record the ticks of the page shown, then move to
    another page (`goto`, a query string of this list), select every matching row, or clear. Returns the
    redirect to answer with, or None when the page's own action (`action`) is still to be done."""
    action = request.POST.get("action", "")
    if action == "clear":
        selection.clear()
        return redirect(request.get_full_path())
    if action == "select_all":
        selection.replace(row_id(row) for row in listing.all_rows())
        return redirect(request.get_full_path())
    selection.update_from(request.POST)
    goto = request.POST.get("goto", "")
    if goto:
        return redirect(request.path + (goto if goto.startswith("?") else ""))
    return None
