"""The pages that once grew with the network's size read the same number of queries at two sizes, with
every cache empty (cold) and again (warm): the batch-match run detail, "Recommended for you", the program
dashboard (a coordinator's and a site admin's), the coordinator's home and a later directory page (a
keyset page, reached by following "Next" from the first one)."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.core.demo import DEMO_LOGINS
from mentora.directory import matching
from tests.directory.helpers import make_mentor

pytestmark = pytest.mark.django_db


def _grow(program, n: int, tag: str) -> None:
    """n more mentors in the directory, and n more mentees in the program with a relationship, a held meeting,
    a plan with a goal."""
    from mentora.ilps.models import Goal, LearningPlan
    from mentora.meetings.models import Meeting
    from tests.factories import MembershipFactory, RelationshipFactory

    for i in range(n):
        mentor = make_mentor(name=f"Mentor {tag} {i:03d}", research=f"topic{i % 5} outcomes")
        MembershipFactory(program=program, user=mentor, role="mentor", training_level="faculty")
        mentee = MembershipFactory(program=program, role="mentee").user
        relationship = RelationshipFactory(mentee=mentee, mentor=mentor, program=program)
        Meeting.objects.create(relationship=relationship, status=Meeting.Status.HELD,
                               starts_at=timezone.now() - datetime.timedelta(days=3 + i))
        plan = LearningPlan.objects.create(mentee=mentee, program=program, academic_year=current_academic_year())
        Goal.objects.create(plan=plan, statement=f"Goal {i}", target_date=timezone.localdate(),
                            domain="patient_care", percent_done=i % 100)


def _second_directory_page(client) -> str:
    html = client.get("/find/").content.decode()
    found = re.search(r'href="\?([^"]*cursor=[^"]+)">Next', html)
    assert found, "the directory's first page links to the next one"
    return "/find/?" + found.group(1).replace("&amp;", "&")


def _counts(clients, pages) -> dict[str, tuple[int, int]]:
    counts = {}
    for name, role, url in pages:
        client = clients[role]
        cache.clear()
        matching._local.update(key=None, entries=None, at=0.0)
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200, name
        counts[name] = (len(cold), len(warm))
    return counts


def test_pages_read_the_same_queries_at_two_sizes(client, demo_network):
    from django.test import Client

    from mentora.batchmatch.models import MatchRun
    from mentora.programs.models import Program

    users = get_user_model().objects
    clients = {}
    for role in ("mentee", "coordinator", "admin"):
        clients[role] = Client()
        clients[role].force_login(users.get(email=DEMO_LOGINS[role]))
    coordinator = users.get(email=DEMO_LOGINS["coordinator"])
    program = Program.objects.filter(memberships__user=coordinator, memberships__role="coordinator").first()
    run = MatchRun.objects.filter(created_by=coordinator).order_by("pk").first()
    assert run is not None  # the demo's batch-match run
    _grow(program, 10, "a")  # a second directory page at both sizes

    def pages():
        return [
            ("batch-match run detail", "coordinator", f"/match/{run.pk}/"),
            ("recommended", "mentee", "/find/recommended/"),
            ("coordinator dashboard", "coordinator", "/insights/"),
            ("admin dashboard", "admin", "/insights/"),
            ("coordinator home", "coordinator", "/"),
            ("directory page 2", "mentee", _second_directory_page(clients["mentee"])),
        ]

    for _name, role, url in pages():  # each page once, so what a process does once is not counted
        clients[role].get(url)
    small = _counts(clients, pages())
    _grow(program, 40, "b")
    large = _counts(clients, pages())
    assert large == small
    assert all(warm <= cold for cold, warm in small.values()), small
