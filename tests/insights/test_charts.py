import pytest
from django.core.cache import cache
from django.urls import reverse

from mentora.insights import charts
from mentora.insights.panels import Chart

pytestmark = pytest.mark.django_db


def sample(kind="bar", values=(3, 5)):
    return Chart("people.matched", "Mentees", kind, ["With", "Without"], {"Mentees": list(values)}, "people.counts")


@pytest.mark.parametrize("kind", ["bar", "barh", "stacked", "line"])
def test_each_kind_renders_an_svg(kind):
    svg = charts.render_svg(sample(kind))
    assert svg.startswith(b"<?xml") and b"<svg" in svg


def test_render_uses_no_pyplot():
    import sys

    charts.render_svg(sample())
    assert "matplotlib.pyplot" not in sys.modules


def test_cached_until_the_data_changes(monkeypatch):
    cache.clear()
    calls = []
    real = charts.render_svg
    monkeypatch.setattr(charts, "render_svg", lambda chart: calls.append(chart) or real(chart))
    first = charts.chart_svg(sample())
    assert charts.chart_svg(sample()) == first and len(calls) == 1
    charts.chart_svg(sample(values=(4, 5)))
    assert len(calls) == 2
    assert sample().fingerprint() != sample(values=(4, 5)).fingerprint()


def test_chart_url_serves_svg_with_etag_and_not_modified(client, cast):
    client.force_login(cast["coordinator"])
    url = reverse("insights:insights_chart", args=["people.matched"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    from tests.factories import MembershipFactory

    MembershipFactory(program=cast["program"], role="mentee")
    changed = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]
    assert client.get(reverse("insights:insights_chart", args=["people.nothing"])).status_code == 404


def test_dashboard_shows_charts_as_images_each_followed_by_its_table(client, cast):
    client.force_login(cast["coordinator"])
    html = client.get("/insights/").content.decode()
    assert '<img src="/insights/charts/people.matched.svg?' in html
    after = html.split('/insights/charts/people.matched.svg', 1)[1]
    assert "<table" in after.split("</section>", 1)[0]
