"""A program's people at its size: sorted, searched, paged and exported, in a fixed number of queries."""

import csv
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory


def _names(html: str) -> list[str]:
    return re.findall(r'<td class="person-name"><a [^>]*>([^<]+)</a>', html)


def _crowd(program, count, prefix="Member"):
    return [MembershipFactory(program=program, role="mentee", user=UserFactory(
        full_name=f"{prefix} {i:03d}", email=f"{prefix.lower()}{i:03d}@example.org")) for i in range(count)]


def test_people_sort_search_and_page(client, cast):
    _crowd(cast["program"], 120)
    client.force_login(cast["coordinator"])
    url = reverse("programs:program_people", args=[cast["program"].pk])
    names = _names(client.get(url, {"sort": "-name", "q": "member"}).content.decode())
    assert len(names) == 50 and names[0] == "Member 119" and names == sorted(names, reverse=True)
    html = client.get(url, {"q": "member017@example"}).content.decode()
    assert _names(html) == ["Member 017"]
    assert len(_names(client.get(url, {"q": "Member 1"}).content.decode())) == 20


def test_people_export_every_member(client, cast):
    _crowd(cast["program"], 70)
    client.force_login(cast["coordinator"])
    response = client.get(reverse("programs:program_people", args=[cast["program"].pk]), {"export": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["Name", "Email", "Role", "Training level"]
    assert len(table) == 1 + 70 + 4  # the cast's mentee A, mentee B, mentor A and coordinator
    assert ["Member 005", "member005@example.org", "Mentee (resident or fellow)", "PGY-1"] in table
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("programs:program_people", args=[cast["program"].pk]), {"export": "csv"}).status_code == 403


def test_people_page_query_count_does_not_grow(client, cast):
    client.force_login(cast["coordinator"])
    url = reverse("programs:program_people", args=[cast["program"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"sort": "level"})
    _crowd(cast["program"], 80, prefix="Later")
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"sort": "level", "page": 2})
    assert len(large.captured_queries) == len(small.captured_queries)
