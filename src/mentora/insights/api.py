"""Program insights over the API: the dashboard's figures (every panel, every table), one table, the people
behind a figure, and the program report (a job). The same scope rules as the pages: a coordinator sees their
own programs only; figures over sensitive attributes or survey answers are suppressed and never drill down."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema

from mentora.api.pagination import paginated
from mentora.background.api import JobOut, job_accepted
from mentora.core.academic_year import current_academic_year

from . import selectors
from .permissions import can_see_people_behind_figures, can_view_insights, networks_visible_to
from .scope import scope_for
from .services import report_pdf_request

router = Router(tags=["insights"])


class ScopeIn(Schema):
    program: int | None = Field(None, description="One of your programs (default: all of them)")
    level: str = Field("", description="A mentee training level (pgy1 …), default all")
    year: int | None = Field(None, description="The academic year (its first calendar year); default the current one")


class CellOut(Schema):
    value: Any = Field(description="The figure (null: none); the suppressed label when suppressed")
    display: str
    suppressed: bool = Field(description="Too few people to show without identifying them")
    drill: str | None = Field(description="The figure's key for GET /api/insights/people/{panel}/{figure}")


class TableOut(Schema):
    key: str
    caption: str
    columns: list[str]
    rows: list[list[CellOut]]
    sensitive: bool
    note: str


class HeadlineOut(Schema):
    label: str
    cell: CellOut


class PanelOut(Schema):
    key: str
    title: str
    description: str
    source: str
    empty: str = Field(description="What to do when there is no data yet (then there are no tables)")
    headline: list[HeadlineOut]
    tables: list[TableOut]


class DashboardOut(Schema):
    scope: str = Field(description="Programs, academic year and training level the figures are about")
    academic_year: int
    program_ids: list[int] | None = Field(description="The programs counted (null: every program, site admins)")
    panels: list[PanelOut]


class PersonOut(Schema):
    user_id: int
    name: str
    email: str
    memberships: list[dict[str, str]] = Field(description="program, role and training level in the scope")


def _scope(request, filters: ScopeIn):
    if not can_view_insights(request.auth):
        raise PermissionDenied("Program insights are for program and network coordinators and directors.")
    data = {key: value for key, value in (("program", filters.program), ("level", filters.level),
                                           ("year", filters.year)) if value not in (None, "")}
    scope, form = scope_for(user=request.auth, data=data)
    if form.is_bound and not form.is_valid():  # the page falls back to the defaults; the API says what is wrong
        raise ValidationError({field: errors for field, errors in form.errors.items()})
    return scope


def _cell(cell) -> dict:
    return {"value": cell.export_value, "display": cell.display, "suppressed": cell.suppressed, "drill": cell.drill}


def _table(table) -> dict:
    return {"key": table.key, "caption": table.caption, "columns": table.columns, "sensitive": table.sensitive,
            "note": table.note, "rows": [[_cell(cell) for cell in row] for row in table.rows]}


@router.get("/dashboard", response=DashboardOut,
            summary="The dashboard's figures: every panel with its headline figures and tables")
def dashboard(request, filters: Query[ScopeIn]):
    scope = _scope(request, filters)
    panels = selectors.dashboard_panels(scope=scope)
    return {"scope": selectors.scope_label(scope=scope), "academic_year": scope.academic_year,
            "program_ids": None if scope.program_ids is None else list(scope.program_ids),
            "panels": [{"key": p.key, "title": p.title, "description": p.description, "source": p.source,
                        "empty": p.empty, "headline": [{"label": label, "cell": _cell(cell)} for label, cell in p.headline],
                        "tables": [_table(t) for t in p.tables]} for p in panels]}


@router.get("/tables/{table_key}", response=TableOut, summary="One table of the dashboard (panel.table)")
def table(request, table_key: str, filters: Query[ScopeIn]):
    found = selectors.table_for(scope=_scope(request, filters), table_key=table_key)
    if found is None:
        raise Http404
    return _table(found)


@router.get("/people/{panel_key}/{figure}", response=list[PersonOut],
            summary="The people behind a figure (never for figures over sensitive attributes or survey answers)")
@paginated
def people(request, panel_key: str, figure: str, filters: Query[ScopeIn]):
    scope = _scope(request, filters)
    if not can_see_people_behind_figures(request.auth, scope.program_ids):
        raise PermissionDenied("A network's coordinators see its programs' figures, not the people behind them.")
    panel = selectors.panel_for(scope=scope, key=panel_key)
    if panel is None or not selectors.figure_is_drillable(panel, figure):
        raise Http404
    found = selectors.people_behind(scope=scope, panel_key=panel_key, figure=figure)
    if found is None:
        raise Http404
    return [{"user_id": row["user"].pk, "name": row["user"].display_name, "email": row["user"].email,
             "memberships": [{"program": program, "role": role, "training_level": level}
                             for program, role, level in row["memberships"]]}
            for row in selectors.people_rows(scope=scope, people=found)]


@router.post("/reports", response={202: JobOut},
             summary="Prepare the program report (PDF) of a scope in the background; download it from the job")
def report(request, filters: Query[ScopeIn], response: HttpResponse):
    job = report_pdf_request(scope=_scope(request, filters), by=request.auth)
    return job_accepted(job, response)


# --- a network's programs side by side (figures only) -----------------------------------------------------


class NetworkFigureOut(Schema):
    key: str = Field(description="One of the network dashboard's columns (mentees, mentors, unmatched, …)")
    label: str
    value: Any = Field(description="The figure (null: none); the suppressed label when suppressed")
    display: str
    suppressed: bool = Field(description="Too few people to show without identifying them")


class NetworkProgramOut(Schema):
    program_id: int
    program: str
    institution: str
    figures: list[NetworkFigureOut]


class NetworkDashboardOut(Schema):
    network_id: int
    network: str
    academic_year: int
    years: list[int] = Field(description="The academic years one may ask for (year=)")
    programs: list[NetworkProgramOut] = Field(description="Its programs by name, the first 60")
    more: int = Field(description="Programs of the network beyond those shown")


class NetworkRefOut(Schema):
    id: int
    name: str


def _networks(request):
    networks = list(networks_visible_to(request.auth))
    if not networks:
        raise PermissionDenied("A network's dashboard is for its coordinators and site admins.")
    return networks


@router.get("/networks", response=list[NetworkRefOut], summary="The networks whose dashboard one may see")
@paginated
def networks(request):
    return [{"id": network.pk, "name": network.name} for network in _networks(request)]


@router.get("/networks/{network_id}", response=NetworkDashboardOut,
            summary="A network's programs side by side (figures only, small groups suppressed)")
def network_dashboard(request, network_id: int, year: int | None = None):
    chosen = next((network for network in _networks(request) if network.pk == network_id), None)
    if chosen is None:
        raise Http404  # not a network of theirs, or none at all
    years = [current_academic_year() - offset for offset in range(4)]
    if year is not None and year not in years:
        raise ValidationError({"year": f"Choose one of {', '.join(str(y) for y in years)}."})
    year = year or years[0]
    programs = list(chosen.programs.select_related("institution").order_by("name"))
    rows = selectors.network_rollup(programs=programs, academic_year=year)
    return {"network_id": chosen.pk, "network": chosen.name, "academic_year": year, "years": years,
            "more": max(0, len(programs) - len(rows)),
            "programs": [{"program_id": program.pk, "program": program.name, "institution": program.institution.name,
                          "figures": [{"key": key, "label": label, "value": figures[key].export_value,
                                       "display": figures[key].display, "suppressed": figures[key].suppressed}
                                      for key, label in selectors.NETWORK_COLUMNS]}
                         for program, figures in rows]}
