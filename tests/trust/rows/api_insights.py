"""The API's program insights: the dashboard's figures, one table, the people behind a figure and the report
job, for program coordinators (their own programs) and the admin. The same rules as the pages (insights.py)."""

from tests.trust.matrix import Row


def _figure(c):
    """A figure of A's program that drills down to people, with A among them."""
    from mentora.insights import selectors
    from mentora.insights.scope import scope_for

    scope, _form = scope_for(user=c.coordinator, data={"program": c.program.pk})
    for panel in selectors.dashboard_panels(scope=scope, use_cache=False):
        for table in panel.tables:
            if table.sensitive:
                continue
            for row in table.rows:
                for cell in row:
                    people = cell.drill and selectors.people_behind(scope=scope, panel_key=panel.key, figure=cell.drill)
                    if people is not None and people and people.filter(pk=c.mentee_a.pk).exists():
                        return f"/api/insights/people/{panel.key}/{cell.drill}"
    raise AssertionError("no figure of the program drills down to mentee A")


def _a_table(c):
    from mentora.insights import selectors
    from mentora.insights.scope import scope_for

    scope, _form = scope_for(user=c.coordinator, data={"program": c.program.pk})
    table = next(t for p in selectors.dashboard_panels(scope=scope, use_cache=False) for t in p.tables)
    return f"/api/insights/tables/{table.key}"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/insights/dashboard", lambda c: "/api/insights/dashboard", probe=lambda c: f"[{c.program.pk}]",
        note="each coordinator's scope counts their own programs only",
        expect="401   403   403   403   403   200+  200-  200+  200-"),
    Row("GET /api/insights/dashboard", lambda c: f"/api/insights/dashboard?program={c.program.pk}",
        note="another's program is not a choice", expect="401   403   403   403   403   200   422   200   200"),
    Row("GET /api/insights/tables/{table_key}", _a_table,
        expect="401   403   403   403   403   200   200   200   200"),
    Row("GET /api/insights/tables/{table_key}", lambda c: "/api/insights/tables/no_such.table", note="unknown table",
        expect="401   403   403   403   403   404   404   404   404"),
    # The network's coordinator sees the figures of A's program, never the people behind them.
    Row("GET /api/insights/people/{panel_key}/{figure}", _figure, probe=lambda c: c.mentee_a.email,
        expect="401   403   403   403   403   200+  200-  403   200+"),
    Row("POST /api/insights/reports", lambda c: "/api/insights/reports",
        expect="401   403   403   403   403   202   202   202   202"),
]
