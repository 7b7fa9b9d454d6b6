from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.text import slugify

from mentora.core.academic_year import academic_year_label, current_academic_year

from . import selectors
from .charts import chart_svg
from .downloads import table_csv_response, tables_xlsx_response
from .permissions import can_see_people_behind_figures, can_view_insights, networks_visible_to
from .scope import scope_from_request
from .services import report_pdf_request


def _scope(request):
    if not can_view_insights(request.user):
        raise PermissionDenied
    return scope_from_request(request)


@login_required
def dashboard(request):
    scope, form = _scope(request)
    panels = selectors.dashboard_panels(scope=scope)
    drill = can_see_people_behind_figures(request.user, scope.program_ids)
    return render(request, "insights/dashboard.html", {
        "form": form, "scope": scope, "panels": panels, "query": scope.query_string(), "drill": drill,
        "scope_label": selectors.scope_label(scope=scope),
        "headline": [(panel, label, cell) for panel in panels for label, cell in panel.headline],
        "aggregate_only": not drill,
    })


@login_required
def chart(request, chart_key: str):
    scope, _form = _scope(request)
    found = selectors.chart_for(scope=scope, chart_key=chart_key)
    if found is None:
        raise Http404
    etag = f'"{found.fingerprint()}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(chart_svg(found), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"  # revalidate: the ETag changes when the data does
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def export_table(request, table_key: str, fmt: str):
    scope, _form = _scope(request)
    table = selectors.table_for(scope=scope, table_key=table_key)
    if table is None:
        raise Http404
    name = f"mentora-{slugify(table.caption)}-{scope.academic_year}"
    if fmt == "csv":
        return table_csv_response(table, filename=f"{name}.csv")
    return tables_xlsx_response([table], title=selectors.scope_label(scope=scope), filename=f"{name}.xlsx")


@login_required
def export_all(request):
    scope, _form = _scope(request)
    tables = [t for panel in selectors.dashboard_panels(scope=scope) for t in panel.tables]
    return tables_xlsx_response(tables, title=selectors.scope_label(scope=scope),
                                filename=f"mentora-dashboard-{scope.academic_year}.xlsx")


@login_required
def people(request, panel_key: str, figure: str):
    scope, _form = _scope(request)
    if not can_see_people_behind_figures(request.user, scope.program_ids):
        raise PermissionDenied  # a network coordinator sees the figures, never the people behind them
    panel = selectors.panel_for(scope=scope, key=panel_key)
    if panel is None or not selectors.figure_is_drillable(panel, figure):
        raise Http404  # unknown figures and every figure over sensitive attributes or survey answers
    found = selectors.people_behind(scope=scope, panel_key=panel_key, figure=figure)
    if found is None:
        raise Http404
    label = figure
    for table in panel.tables:
        for row in table.rows:
            for index, cell in enumerate(row):
                if cell.drill == figure and label == figure:
                    label = f"{table.caption}: {row[0].display} — {table.columns[index]}"
    total = found.count()
    return render(request, "insights/people.html", {
        "panel": panel, "figure_label": label, "rows": selectors.people_rows(scope=scope, people=found),
        "total": total, "query": scope.query_string(), "scope_label": selectors.scope_label(scope=scope),
    })


@login_required
def report(request):
    """The program report (PDF) of the dashboard's scope: prepared by the worker (it takes seconds), then
    downloaded from its job page. GET shows what will be prepared; POST asks for it."""
    scope, _form = _scope(request)
    if request.method == "POST":
        job = report_pdf_request(scope=scope, by=request.user)
        return redirect("background:job_detail", job_id=job.pk)
    return render(request, "insights/report_request.html", {
        "scope_label": selectors.scope_label(scope=scope), "query": scope.query_string()})


@login_required
def network_dashboard(request):
    """A network's programs side by side (aggregates only); each program's name opens its dashboard."""
    networks = list(networks_visible_to(request.user))
    if not networks:
        raise PermissionDenied
    chosen = networks[0]
    wanted = request.GET.get("network", "")
    if wanted:
        chosen = next((n for n in networks if str(n.pk) == wanted), None)
        if chosen is None:
            raise Http404  # not a network of theirs, or none at all
    years = [current_academic_year() - offset for offset in range(4)]
    year = years[0]
    if request.GET.get("year", "").isdecimal() and int(request.GET["year"]) in years:
        year = int(request.GET["year"])
    programs = list(chosen.programs.select_related("institution").order_by("name"))
    rows = selectors.network_rollup(programs=programs, academic_year=year)
    return render(request, "insights/network.html", {
        "networks": networks, "network": chosen, "columns": selectors.NETWORK_COLUMNS,
        "rows": [(program, [(key, figures[key]) for key, _label in selectors.NETWORK_COLUMNS])
                 for program, figures in rows],
        "year": year, "years": [(y, academic_year_label(y)) for y in years], "more": max(0, len(programs) - len(rows)),
    })
