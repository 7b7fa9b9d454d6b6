"""Program insights: program coordinators (their own programs), network coordinators (their networks'
programs, figures only, never the people behind them) and the admin (every program)."""

from django.urls import reverse

from tests.factories import NetworkFactory, ProgramFactory
from tests.trust.matrix import Row


def _other_network(c) -> int:
    network = NetworkFactory()
    ProgramFactory(network=network, name="Probe program of another network")
    return network.pk


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("insights:insights_dashboard", lambda c: reverse("insights:insights_dashboard"), probe=lambda c: c.program.name,
        note="each coordinator's scope lists their own programs only; the network's coordinator sees its programs",
        expect="login 403   403   403   403   200+  200-  200+  200+"),
    Row("insights:insights_export_all", lambda c: reverse("insights:insights_export_all"),
        "login 403   403   403   403   200   200   200   200"),
    Row("insights:insights_report", lambda c: reverse("insights:insights_report"),
        "login 403   403   403   403   200   200   200   200"),
    Row("insights:insights_report", lambda c: reverse("insights:insights_report"), method="POST", note="queue the PDF",
        expect="login 403   403   403   403   302   302   302   302"),
    Row("insights:insights_export", lambda c: "/insights/export/no_such.table.csv", note="unknown table",
        expect="login 403   403   403   403   404   404   404   404"),
    Row("insights:insights_chart", lambda c: "/insights/charts/no_such.chart.svg", note="unknown chart",
        expect="login 403   403   403   403   404   404   404   404"),
    Row("insights:insights_people", lambda c: "/insights/people/no_such/figure/", note="unknown panel",
        expect="login 403   403   403   403   404   404   403   404"),
    Row("insights:insights_people", lambda c: f"/insights/people/people/mentees/?program={c.program.pk}",
        note="A's program's mentees: names for its coordinators, never for the network's",
        probe=lambda c: c.mentee_a.display_name,
        expect="login 403   403   403   403   200+  200-  403   200+"),
    Row("insights:network_dashboard", lambda c: reverse("insights:network_dashboard") + f"?network={c.network.pk}",
        probe=lambda c: c.program.name,
        expect="login 403   403   403   403   403   403   200+  200+"),
    Row("insights:network_dashboard", lambda c: reverse("insights:network_dashboard") + f"?network={_other_network(c)}",
        note="a network one does not coordinate",
        expect="login 403   403   403   403   403   403   404   200"),
]
