"""Program insights: program coordinators (their own programs) and the admin (every program)."""

from django.urls import reverse

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("insights:insights_dashboard", lambda c: reverse("insights:insights_dashboard"), probe=lambda c: c.program.name,
        note="each coordinator's scope lists their own programs only",
        expect="login 403   403   403   403   200+  200-  403   200+"),
    Row("insights:insights_export_all", lambda c: reverse("insights:insights_export_all"),
        "login 403   403   403   403   200   200   403   200"),
    Row("insights:insights_report", lambda c: reverse("insights:insights_report"),
        "login 403   403   403   403   200   200   403   200"),
    Row("insights:insights_report", lambda c: reverse("insights:insights_report"), method="POST", note="queue the PDF",
        expect="login 403   403   403   403   302   302   403   302"),
    Row("insights:insights_export", lambda c: "/insights/export/no_such.table.csv", note="unknown table",
        expect="login 403   403   403   403   404   404   403   404"),
    Row("insights:insights_chart", lambda c: "/insights/charts/no_such.chart.svg", note="unknown chart",
        expect="login 403   403   403   403   404   404   403   404"),
    Row("insights:insights_people", lambda c: "/insights/people/no_such/figure/", note="unknown panel",
        expect="login 403   403   403   403   404   404   403   404"),
]
