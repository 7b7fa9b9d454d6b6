import pytest
from django.urls import reverse

from mentora.core.demo import DEMO_LOGINS


@pytest.mark.django_db
def test_landing_page_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Log in" in response.content


@pytest.mark.django_db
def test_help_page_has_the_glossary(client):
    response = client.get(reverse("home:help"))
    assert b"Sponsor" in response.content and b"Academic medicine" in response.content


@pytest.mark.parametrize(
    ("role", "section", "expected_text"),
    [
        ("mentee", 'data-role="mentee"', "My mentoring team"),
        ("mentor", 'data-role="mentor"', "My mentees"),
        ("coordinator", 'data-role="coordinator"', "My programs"),
        ("network", 'data-role="network"', "My networks"),
        ("admin", 'data-role="admin"', "active mentoring relationships"),
    ],
)
def test_each_role_sees_its_dashboard(client, demo_network, role, section, expected_text):
    client.login(email=DEMO_LOGINS[role], password="mentora-demo")
    response = client.get("/")
    html = response.content.decode()
    assert section in html and expected_text in html
    other_sections = {'data-role="coordinator"', 'data-role="admin"'} - {section}
    for other in other_sections:
        assert other not in html


def test_mentee_dashboard_shows_their_mentor(client, demo_network):
    client.login(email=DEMO_LOGINS["mentee"], password="mentora-demo")
    html = client.get("/").content.decode()
    assert "Dr. Elena García" in html


@pytest.mark.django_db
def test_new_member_gets_an_empty_state_that_says_what_to_do(client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "You have no mentor yet" in html
    assert "Complete my profile" in html


def test_coordinator_dashboard_query_count_does_not_grow_with_data(client, demo_network):
    """The same queries cold (caches empty) and warm at two sizes; warm, the home page reads no
    relationship row at all (its health figures are kept under the dashboard's data version)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentora.programs.models import Program
    from tests.factories import MembershipFactory, RelationshipFactory

    client.login(email=DEMO_LOGINS["coordinator"], password="mentora-demo")
    client.get("/")

    def measure():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get("/").status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get("/").status_code == 200
        return cold.captured_queries, warm.captured_queries

    small_cold, small_warm = measure()
    program = Program.objects.get(memberships__user__email=DEMO_LOGINS["coordinator"])
    for _ in range(30):
        mentee = MembershipFactory(program=program, role="mentee").user
        RelationshipFactory(mentee=mentee, program=program)
    large_cold, large_warm = measure()
    assert len(large_cold) == len(small_cold)
    assert len(large_warm) == len(small_warm)
    assert not [q["sql"] for q in large_warm if 'FROM "relationships_relationship"' in q["sql"]]


@pytest.mark.django_db
def test_health(client):
    assert client.get("/health/").content == b"ok"


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_network_dashboard_counts_each_mentor_and_program_once(cast):
    """Mentors, programs and accepting mentors of a network, counted independently (no join fan-out)."""
    from mentora.home.selectors import network_dashboard
    from mentora.programs.selectors import user_roles
    from tests.factories import MembershipFactory, MentorOfferFactory, ProgramFactory

    network = cast["network"]
    for accepting in (True, True, False):
        mentor = MembershipFactory(program=cast["program"], role="mentor", training_level="faculty").user
        MentorOfferFactory(user=mentor, accepting_new_mentees=accepting)
        network.mentors.add(mentor)
    for _ in range(2):
        extra = ProgramFactory()
        extra.network = network
        extra.save(update_fields=["network"])
    [row] = network_dashboard(roles=user_roles(user=cast["network_coordinator"]))
    assert row["network"] == network
    assert (row["mentors"], row["programs"], row["accepting"]) == (3, 3, 2)


# Midday, and an hour when the coordinator's day (New York) is not the worker's (UTC): the worker computes
# the rows in the zone of the person who looked.
@pytest.mark.parametrize("at", ["2026-12-07T15:00:00Z", "2026-12-07T02:00:00Z"])
def test_after_a_change_the_worker_computes_the_coordinator_home(client, demo_network, settings, time_machine, at):
    """The first look at the coordinator's home after a change costs what a warm one does: the worker
    computed the rows of the programs looked at lately under the new data version; the change shows."""
    from django.db import connection
    from django.test import TestCase
    from django.test.utils import CaptureQueriesContext

    from mentora.profiles.models import Profile
    from mentora.programs.models import Program
    from tests.factories import MembershipFactory

    settings.MENTORA_WARM_AHEAD = True
    Profile.objects.filter(user__email=DEMO_LOGINS["coordinator"]).update(time_zone="America/New_York")
    time_machine.move_to(at, tick=True)
    client.login(email=DEMO_LOGINS["coordinator"], password="mentora-demo")
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    program = Program.objects.get(memberships__user__email=DEMO_LOGINS["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the immediate task backend runs the worker's tasks
        MembershipFactory(program=program, role="mentee")
    with CaptureQueriesContext(connection) as first_look:
        assert client.get("/").status_code == 200
    assert len(first_look) == len(warm), [q["sql"][:200] for q in first_look.captured_queries][len(warm) - 4:]
    assert not [q["sql"] for q in first_look.captured_queries if 'FROM "programs_membership"' in q["sql"]
                and "COUNT(" in q["sql"].upper()]
