"""A mentor asked by many: requests come in pages, sorted, searched and exported, in a fixed number of queries."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.directory.models import MentorshipRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _asked(mentor, count, prefix="Asker"):
    for i in range(count):
        MentorshipRequest.objects.create(mentee=UserFactory(full_name=f"{prefix} {i:03d}"), mentor=mentor,
                                         why="Your research", hopes="A first paper",
                                         expires_at=timezone.now() + datetime.timedelta(days=7))


def _names(html: str) -> list[str]:
    return re.findall(r'<td class="request-person"><a [^>]*>([^<]+)</a>', html)


def test_received_requests_page_sort_search_and_export(client, cast):
    mentor = cast["mentor_a"]
    _asked(mentor, 60)
    client.force_login(mentor)
    url = reverse("directory:request_list")
    first = _names(client.get(url, {"received-sort": "mentee"}).content.decode())
    second = _names(client.get(url, {"received-sort": "mentee", "received-page": 2}).content.decode())
    assert len(first) == 50 and len(second) == 10 and first[0] == "Asker 000" and second[-1] == "Asker 059"
    assert _names(client.get(url, {"received-q": "asker 042"}).content.decode()) == ["Asker 042"]
    response = client.get(url, {"received-export": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["Mentee", "Kind", "Status", "Sent"] and len(table) == 61


def test_request_list_query_count_does_not_grow(client, cast):
    mentor = cast["mentor_a"]
    _asked(mentor, 2)
    client.force_login(mentor)
    url = reverse("directory:request_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _asked(mentor, 70, prefix="Later")
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"received-page": 2})
    assert len(large.captured_queries) == len(small.captured_queries)
