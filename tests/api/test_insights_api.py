"""Program insights over the API: the same figures, scope rules and suppression as the dashboard page."""

import pytest

from mentora.insights import selectors
from mentora.insights.scope import scope_for


@pytest.mark.django_db
def test_the_dashboard_tables_people_and_report(cast, client):
    client.force_login(cast["coordinator"])
    body = client.get("/api/insights/dashboard").json()
    assert body["program_ids"] == [cast["program"].pk]
    scope, _form = scope_for(user=cast["coordinator"], data={})
    page_panels = selectors.dashboard_panels(scope=scope)
    assert [p["key"] for p in body["panels"]] == [p.key for p in page_panels]  # the page's panels, in order
    tables = [t for p in body["panels"] for t in p["tables"]]
    first = tables[0]
    one = client.get(f"/api/insights/tables/{first['key']}").json()
    assert one == first
    for table in tables:  # suppressed and sensitive figures never drill down
        for row in table["rows"]:
            for cell in row:
                assert not (table["sensitive"] and cell["drill"])
    assert client.get("/api/insights/dashboard", {"year": 1990}).status_code == 422
    assert client.get("/api/insights/people/no_such/figure").status_code == 404
    queued = client.post("/api/insights/reports")
    assert queued.status_code == 202 and queued.json()["kind"] == "report_pdf"
    assert queued["Location"] == f"/api/jobs/{queued.json()['id']}"
    client.force_login(cast["mentor_a"])
    assert client.get("/api/insights/dashboard").status_code == 403
