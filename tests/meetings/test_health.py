import datetime

import pytest
from django.urls import reverse

from mentora.meetings import health, selectors, services
from mentora.meetings.models import Agreement, Meeting
from tests.factories import RelationshipFactory

D = datetime.date(2026, 3, 1)


@pytest.mark.parametrize("days,cadence,state", [
    (0, 30, "on_track"), (45, 30, "on_track"), (46, 30, "at_risk"), (90, 30, "at_risk"), (91, 30, "lapsed"),
    (21, 14, "on_track"), (22, 14, "at_risk"), (43, 14, "lapsed"), (90, 60, "on_track"), (91, 60, "at_risk"),
])
def test_health_from_cadence_adherence(days, cadence, state):
    assert health.health_of(cadence_days=cadence, since=D, today=D + datetime.timedelta(days=days)).state == state


def test_baseline_is_the_latest_of_held_start_and_recommitment():
    assert health.baseline(last_held=D, started_on=D - datetime.timedelta(days=9), recommitted_on=None,
                           created_on=D) == D
    later = D + datetime.timedelta(days=5)
    assert health.baseline(last_held=D, started_on=None, recommitted_on=later, created_on=D) == later
    assert health.baseline(last_held=None, started_on=None, recommitted_on=None, created_on=D) == D


def test_health_for_many_relationships_uses_held_meetings_and_agreements(cast, rel, django_assert_num_queries):
    today = datetime.date.today()
    rel.started_on = today - datetime.timedelta(days=100)
    rel.save()
    other = RelationshipFactory(mentee=cast["mentee_b"], mentor=cast["mentor_a"], program=cast["program"],
                                started_on=today - datetime.timedelta(days=100))
    Agreement.objects.create(relationship=other, goals="x", cadence_days=90)
    Meeting.objects.create(relationship=rel, starts_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=20),
                           time_zone="UTC", status="held")
    Meeting.objects.create(relationship=rel, starts_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=5),
                           time_zone="UTC", status="missed")
    with django_assert_num_queries(2):
        result = selectors.health_for(relationships=[rel, other])
    assert result[rel.pk].state == "on_track" and result[rel.pk].days_since == 20
    assert result[other.pk].state == "on_track" and result[other.pk].cadence_days == 90
    Meeting.objects.filter(relationship=rel, status="held").update(status="missed")
    assert selectors.health_for(relationships=[rel])[rel.pk].state == "lapsed"


def test_health_is_shown_to_both_sides_and_the_coordinator_only(client, cast, rel):
    rel.started_on = datetime.date.today() - datetime.timedelta(days=60)
    rel.save()
    for person in ("mentee_a", "mentor_a", "coordinator"):
        client.force_login(cast[person])
        assert "At risk" in client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode()
    client.force_login(cast["coordinator"])
    home = client.get(reverse("home:home")).content.decode()
    assert reverse("meetings:program_health", args=[cast["program"].pk]) in home
    page = client.get(reverse("meetings:program_health", args=[cast["program"].pk])).content.decode()
    assert cast["mentee_a"].display_name in page and "At risk" in page
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("meetings:program_health", args=[cast["program"].pk])).status_code == 403
    client.force_login(cast["mentee_a"])
    assert client.get(reverse("meetings:program_health", args=[cast["program"].pk])).status_code == 403


def test_recommit_puts_a_relationship_back_on_track(cast, rel):
    rel.started_on = datetime.date.today() - datetime.timedelta(days=200)
    rel.save()
    services.agreement_save(relationship=rel, by=cast["mentor_a"], kind="career", goals="g", cadence_days=30,
                            modes=["video"])
    assert selectors.health_for(relationships=[rel])[rel.pk].state == "lapsed"
    services.agreement_recommit(relationship=rel, by=cast["mentee_a"])
    assert selectors.health_for(relationships=[rel])[rel.pk].state == "on_track"


def test_coordinator_dashboard_queries_stay_constant(client, cast):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure() -> tuple[int, int]:
        """Queries of a cold home page (nothing cached) and of the warm one after it."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(reverse("home:home"))
        with CaptureQueriesContext(connection) as warm:
            client.get(reverse("home:home"))
        return len(cold.captured_queries), len(warm.captured_queries)

    client.force_login(cast["coordinator"])
    client.get(reverse("home:home"))
    few = measure()
    for _ in range(6):
        RelationshipFactory(mentor=cast["mentor_a"], program=cast["program"],
                            started_on=datetime.date.today() - datetime.timedelta(days=70))
    many = measure()
    assert many == few


def test_program_health_counts_agree_with_each_relationships_health(cast, django_assert_num_queries):
    """The program figures (computed in the database per program) against health_for, relationship by
    relationship; an active relationship of another program never counts."""
    from tests.factories import MembershipFactory

    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    relationships = []
    for days_ago, held_days_ago, cadence in ((10, None, 30), (60, None, 30), (200, None, 30), (200, 15, 30),
                                             (200, 80, 60), (400, 200, 14)):
        mentee = MembershipFactory(program=cast["program"], role="mentee").user
        relationship = RelationshipFactory(mentee=mentee, mentor=cast["mentor_a"], program=cast["program"],
                                           started_on=today - datetime.timedelta(days=days_ago))
        Agreement.objects.create(relationship=relationship, goals="g", cadence_days=cadence)
        if held_days_ago is not None:
            Meeting.objects.create(relationship=relationship, starts_at=now - datetime.timedelta(days=held_days_ago),
                                   time_zone="UTC", status="held")
        relationships.append(relationship)
    RelationshipFactory(mentee=MembershipFactory(program=cast["other_program"], role="mentee").user,
                        mentor=cast["other_mentor"], program=cast["other_program"],
                        started_on=today - datetime.timedelta(days=300))
    from mentora.relationships.models import Relationship

    active = list(Relationship.objects.filter(program=cast["program"], status="active"))
    expected = selectors.health_for(relationships=active)
    with django_assert_num_queries(3):
        counts = selectors.program_health(program_ids=[cast["program"].pk], with_attention=False)
    row = selectors.program_health(program_ids=[cast["program"].pk])[cast["program"].pk]
    for state in ("on_track", "at_risk", "lapsed"):
        assert counts[cast["program"].pk][state] == row[state] == sum(
            1 for h in expected.values() if h.state == state)
    assert row["at_risk"] >= 1 and row["lapsed"] >= 1
    assert counts[cast["program"].pk]["attention"] == []
    assert {r.pk for r, _h in row["attention"]} == {pk for pk, h in expected.items() if h.state != "on_track"}
    days = [h.days_since for _r, h in row["attention"]]
    assert days == sorted(days, reverse=True)
