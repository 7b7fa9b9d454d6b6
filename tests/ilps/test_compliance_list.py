"""The ILP compliance list at a program's size: pages, sort, search, export, a mentor column and nudges."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.notifications.models import Notification
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory


def _mentees(program, mentor, count, *, prefix="Resident"):
    people = []
    for i in range(count):
        person = MembershipFactory(program=program, role="mentee",
                                   user=UserFactory(full_name=f"{prefix} {i:03d}")).user
        RelationshipFactory(mentee=person, mentor=mentor, program=program)
        people.append(person)
    return people


def _rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-mentee="(\d+)"', html)]


@pytest.fixture
def crowd(cast):
    return _mentees(cast["program"], cast["mentor_a"], 55)


def test_compliance_comes_in_pages_with_the_mentor_of_each_mentee(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("ilps:ilp_compliance")
    first = client.get(url, {"program": cast["program"].pk}).content.decode()
    second = client.get(url, {"program": cast["program"].pk, "page": 2}).content.decode()
    # 57 mentees lack an approved plan (the crowd and the cast's two): 50 on the first page, 7 on the second
    assert len(_rows(first)) == 50 and len(_rows(second)) == 7
    assert set(_rows(first)).isdisjoint(_rows(second))
    assert 'data-column="mentor"' in first and cast["mentor_a"].display_name in first


def test_compliance_sorts_and_searches(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("ilps:ilp_compliance")
    html = client.get(url, {"program": cast["program"].pk, "sort": "-mentee", "q": "Resident"}).content.decode()
    assert _rows(html)[0] == crowd[-1].pk  # "Resident 054" first, names descending
    html = client.get(url, {"program": cast["program"].pk, "q": "resident 007"}).content.decode()
    assert _rows(html) == [crowd[7].pk]
    assert 'value="resident 007"' in html


def test_compliance_exports_every_matching_row_with_the_mentor(client, cast, crowd):
    client.force_login(cast["coordinator"])
    response = client.get(reverse("ilps:ilp_compliance"), {"program": cast["program"].pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["Mentee", "Mentor"]
    assert len(table) == 1 + 57
    by_name = {row[0]: row for row in table[1:]}
    assert by_name[crowd[3].full_name][1] == cast["mentor_a"].display_name
    assert [row[0] for row in table[1:]] == sorted((row[0] for row in table[1:]), key=str.casefold)
    # another coordinator cannot export this program
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("ilps:ilp_compliance"), {"program": cast["program"].pk, "export": "csv"}).status_code == 403


def test_compliance_nudges_the_ticked_mentees_and_their_mentors_across_pages(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("ilps:ilp_compliance") + f"?program={cast['program'].pk}"
    first = _rows(client.get(url).content.decode())
    # tick two on the first page, go to the second page: the ticks are kept
    response = client.post(url, {"shown": first, "picked": first[:2], "goto": f"?program={cast['program'].pk}&page=2"})
    assert response.status_code == 302 and response["Location"].endswith("page=2")
    second_html = client.get(response["Location"]).content.decode()
    second = _rows(second_html)
    assert "2 selected" in second_html
    response = client.post(url + "&page=2", {"shown": second, "picked": second[:1], "action": "nudge",
                                             "recipients": "mentee"})
    assert response.status_code == 302
    nudged = set(Notification.objects.filter(key__startswith="ilp-nudge").values_list("user_id", flat=True))
    assert nudged == set(first[:2]) | {second[0]}
    # the mentor too, when asked: one notice to mentor_a naming the mentees
    client.post(url, {"shown": first, "picked": first[2:4], "action": "nudge", "recipients": "both"})
    mentor_notice = Notification.objects.get(user=cast["mentor_a"], key__startswith="ilp-nudge")
    assert "2 of your mentees" in mentor_notice.title


def test_compliance_nudge_needs_a_selection_and_recipients(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("ilps:ilp_compliance") + f"?program={cast['program'].pk}"
    response = client.post(url, {"shown": [], "action": "nudge", "recipients": "mentee"}, follow=True)
    assert "Tick at least one mentee" in response.content.decode()
    assert not Notification.objects.filter(key__startswith="ilp-nudge").exists()


def test_compliance_select_all_takes_every_matching_row(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("ilps:ilp_compliance") + f"?program={cast['program'].pk}&q=resident"
    client.post(url, {"action": "select_all"})
    client.post(url, {"action": "nudge", "recipients": "mentee"})
    assert Notification.objects.filter(key__startswith="ilp-nudge").count() == 55


def test_compliance_list_and_export_query_counts_do_not_grow(client, cast):
    client.force_login(cast["coordinator"])
    url = reverse("ilps:ilp_compliance")
    params = {"program": cast["program"].pk}
    _mentees(cast["program"], cast["mentor_a"], 3)
    client.get(url, params)
    with CaptureQueriesContext(connection) as small:
        client.get(url, params)
    with CaptureQueriesContext(connection) as small_export:
        client.get(url, {**params, "export": "csv"})
    _mentees(cast["program"], UserFactory(), 60, prefix="Later")
    with CaptureQueriesContext(connection) as large:
        client.get(url, {**params, "page": 2})
    with CaptureQueriesContext(connection) as large_export:
        client.get(url, {**params, "export": "csv"})
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large_export.captured_queries) == len(small_export.captured_queries)
