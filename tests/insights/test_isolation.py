"""A coordinator of one program sees nothing of another program's people: pages, charts, exports."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programs(cast, grow):
    ours = grow(cast["program"], 3)
    theirs = grow(cast["other_program"], 6, level="pgy2")
    return ours, theirs


def test_other_programs_people_never_appear(client, cast, two_programs):
    ours, theirs = two_programs
    client.force_login(cast["coordinator"])
    other = cast["other_program"].pk
    urls = [reverse("insights:insights_dashboard"), reverse("insights:insights_dashboard") + f"?program={other}"]
    for panel, figure in (("people", "mentees"), ("people", "mentors"), ("people", "matched"),
                          ("matches", "rel:all:all"), ("scholarly", "stage:all"), ("load", "load:all")):
        url = reverse("insights:insights_people", args=[panel, figure])
        urls += [url, url + f"?program={other}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for person in theirs:
            assert person.full_name not in html, url
    mentees_page = client.get(reverse("insights:insights_people", args=["people", "mentees"]) + f"?program={other}")
    assert ours[0].full_name in mentees_page.content.decode()  # the filter fell back to the own program
    assert "Select a valid choice" in client.get(reverse("insights:insights_dashboard") + f"?program={other}").content.decode()


def test_charts_and_exports_count_only_own_programs(client, cast, two_programs):
    import csv
    import io

    client.force_login(cast["other_coordinator"])
    theirs_counts = client.get(reverse("insights:insights_export", args=["people.counts", "csv"])).content.decode()
    client.force_login(cast["coordinator"])
    other = cast["other_program"].pk
    for suffix in ("", f"?program={other}"):
        rows = dict(list(csv.reader(io.StringIO(client.get(
            reverse("insights:insights_export", args=["people.counts", "csv"]) + suffix).content.decode())))[1:])
        assert rows["Mentees"] == "5"  # mentee_a, mentee_b and three grown: never the other program's six
    assert '"Mentees,6"' not in theirs_counts and "Mentees,6" in theirs_counts
    own_chart = client.get(reverse("insights:insights_chart", args=["people.matched"]))
    probing = client.get(reverse("insights:insights_chart", args=["people.matched"]) + f"?program={other}")
    assert own_chart.status_code == probing.status_code == 200
    assert own_chart["ETag"] == probing["ETag"]  # the same (own) data, whatever the URL asks for
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("insights:insights_chart", args=["people.matched"]))["ETag"] != own_chart["ETag"]
    client.force_login(cast["mentee_a"])
    assert client.get(reverse("insights:insights_chart", args=["people.matched"])).status_code == 403
    assert client.get(reverse("insights:insights_export", args=["people.counts", "csv"])).status_code == 403
