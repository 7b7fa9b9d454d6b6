"""A program's relationships (with their health) and its survey follow-up, at a program's size: pages,
sorting, search, export, a health filter, and ticks kept across pages for nudges and reminders."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mentora.meetings.models import SurveyResponse
from mentora.meetings.selectors import survey_period
from mentora.notifications.models import Notification
from mentora.relationships.models import Relationship
from tests.factories import RelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-relationship="(\d+)"', html)]


@pytest.fixture
def crowd(cast):
    """55 more active relationships: 20 lapsed (started a year ago, never met), the rest just started."""
    today = timezone.localdate()
    made = []
    for i in range(55):
        started = today - datetime.timedelta(days=365) if i < 20 else today
        made.append(RelationshipFactory(mentee=UserFactory(full_name=f"Resident {i:03d}"), mentor=cast["mentor_a"],
                                        program=cast["program"], started_on=started))
    return made


def test_the_relationships_list_pages_sorts_filters_and_searches(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("meetings:program_health", args=[cast["program"].pk])
    total = Relationship.objects.filter(program=cast["program"], status="active").count()
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert len(_rows(first)) == 50 and len(_rows(first)) + len(_rows(second)) == total
    assert set(_rows(first)).isdisjoint(_rows(second))
    # Longest gap first by default: the lapsed ones lead.
    assert set(_rows(first)[:20]) == {r.pk for r in crowd[:20]}
    lapsed = client.get(url, {"health": "lapsed"}).content.decode()
    assert set(_rows(lapsed)) >= {r.pk for r in crowd[:20]} and "Lapsed" in lapsed
    assert crowd[30].pk not in _rows(lapsed)
    by_name = client.get(url, {"sort": "-mentee", "q": "Resident"}).content.decode()
    assert _rows(by_name)[0] == crowd[-1].pk
    assert _rows(client.get(url, {"q": "resident 007"}).content.decode()) == [crowd[7].pk]


def test_the_relationships_list_exports_every_matching_row(client, cast, crowd):
    client.force_login(cast["coordinator"])
    response = client.get(reverse("meetings:program_health", args=[cast["program"].pk]), {"health": "lapsed", "export": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["Mentee", "Mentor", "Kind", "Started", "Health", "Days since the last meeting"]
    names = {row[0] for row in table[1:]}
    assert {r.mentee.full_name for r in crowd[:20]} <= names and all(row[4] == "Lapsed" for row in table[1:])
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("meetings:program_health", args=[cast["program"].pk]), {"export": "csv"}).status_code == 403


def test_ticks_are_kept_across_pages_and_the_nudge_reaches_both_sides_of_each(client, cast, crowd):
    client.force_login(cast["coordinator"])
    url = reverse("meetings:program_health", args=[cast["program"].pk])
    first = _rows(client.get(url).content.decode())
    response = client.post(url, {"shown": first, "picked": first[:2], "goto": "?page=2"})
    assert response.status_code == 302 and response["Location"].endswith("page=2")
    second_html = client.get(response["Location"]).content.decode()
    assert "2 selected" in second_html
    second = _rows(second_html)
    client.post(url + "?page=2", {"shown": second, "picked": second[:1], "action": "nudge",
                                  "message": "Time for a meeting?"})
    nudged = Relationship.objects.filter(pk__in=first[:2] + second[:1]).select_related("mentee", "mentor")
    for relationship in nudged:
        for person in (relationship.mentee, relationship.mentor):
            assert Notification.objects.filter(user=person, title__contains="checks in",
                                               key__startswith=f"nudge:{relationship.pk}:").exists()
    assert Notification.objects.filter(title__contains="checks in").values("key").count() == 6
    # "Select all" takes every row of the filter.
    client.post(url + "?health=lapsed", {"action": "select_all"})
    assert f"{len(_rows(client.get(url, {'health': 'lapsed'}).content.decode()))} selected" in client.get(
        url, {"health": "lapsed"}).content.decode()


def test_only_the_programs_coordinators_see_the_list_or_nudge(client, cast, crowd):
    url = reverse("meetings:program_health", args=[cast["program"].pk])
    for person in ("mentee_a", "mentor_a", "other_coordinator"):
        client.force_login(cast[person])
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "nudge", "shown": [crowd[0].pk], "picked": [crowd[0].pk]}).status_code == 403
    assert not Notification.objects.filter(title__contains="checks in").exists()


def test_the_survey_follow_up_shows_who_answered_never_what_and_reminds_the_others(client, cast, crowd):
    program = cast["program"]
    period = survey_period(timezone.localdate())
    answered = crowd[0]
    SurveyResponse.objects.create(relationship=answered, respondent=answered.mentee, role="mentee", period=period,
                                  program=program, ratings={"overall": 5}, comment="A secret comment")
    client.force_login(cast["coordinator"])
    url = reverse("meetings:program_feedback", args=[program.pk])
    html = client.get(url).content.decode()
    assert "Who has answered this period" in html and "A secret comment" not in html
    assert len(_rows(html)) == 50
    waiting = _rows(client.get(url, {"answered": "waiting", "q": answered.mentee.full_name}).content.decode())
    assert waiting == [answered.pk]  # the mentor has not answered yet
    assert _rows(client.get(url, {"answered": "done"}).content.decode()) == []
    export = client.get(url, {"export": "csv", "q": answered.mentee.full_name})
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert table == [["Mentee", "Mentor", "Mentee answered", "Mentor answered"],
                     [answered.mentee.full_name, cast["mentor_a"].display_name, "yes", "not yet"]]
    # Ticks across pages, then a reminder to those who have not answered.
    first = _rows(html)
    client.post(url, {"shown": first, "picked": [answered.pk], "goto": "?page=2"})
    second = _rows(client.get(url, {"page": 2}).content.decode())
    client.post(url + "?page=2", {"shown": second, "picked": second[:1], "action": "remind"})
    reminded = set(Notification.objects.filter(key__startswith="survey-remind:").values_list("user_id", flat=True))
    other = Relationship.objects.get(pk=second[0])
    assert reminded == {answered.mentor_id, other.mentee_id, other.mentor_id}  # not the mentee who answered


def test_the_survey_follow_up_is_not_shown_for_fewer_than_five_relationships(client, cast):
    program = cast["program"]
    Relationship.objects.filter(program=program).exclude(
        pk__in=Relationship.objects.filter(program=program, status="active").values("pk")[:2]).delete()
    client.force_login(cast["coordinator"])
    html = client.get(reverse("meetings:program_feedback", args=[program.pk])).content.decode()
    assert "Who has answered" not in html and not _rows(html)
    assert client.post(reverse("meetings:program_feedback", args=[program.pk]), {"action": "remind"}).status_code == 403


def test_the_api_lists_relationships_with_their_health_and_the_survey_follow_up(client, cast, crowd):
    program = cast["program"]
    client.force_login(cast["coordinator"])
    lapsed = client.get(f"/api/mentoring/programs/{program.pk}/relationships", {"health": "lapsed", "limit": 100})
    ids = {row["relationship_id"] for row in lapsed.json()["items"]}
    assert {r.pk for r in crowd[:20]} <= ids and crowd[30].pk not in ids
    assert all(row["health"]["state"] == "lapsed" for row in lapsed.json()["items"])
    follow_up = client.get(f"/api/mentoring/programs/{program.pk}/survey-follow-up", {"limit": 100}).json()
    assert follow_up["count"] == Relationship.objects.filter(program=program, status="active").count()
    assert set(follow_up["items"][0]) >= {"mentee_answered", "mentor_answered"}
    assert "ratings" not in follow_up["items"][0]
    reminded = client.post(f"/api/mentoring/programs/{program.pk}/survey-reminders",
                           {"relationship_ids": [crowd[0].pk]}, content_type="application/json")
    assert reminded.status_code == 200 and reminded.json() == {"reminded": 2}
    client.force_login(cast["other_coordinator"])
    assert client.get(f"/api/mentoring/programs/{program.pk}/survey-follow-up").status_code == 403


def test_the_rematch_queue_leads_to_the_full_list_beyond_its_first_200(client, cast):
    from django.contrib.auth import get_user_model

    long_ago = timezone.localdate() - datetime.timedelta(days=365)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(email=f"lapsed{i}@example.org", full_name=f"Lapsed {i:03d}") for i in range(205)])
    Relationship.objects.bulk_create([Relationship(mentee=u, mentor=cast["mentor_a"], program=cast["program"],
                                                   status="active", started_on=long_ago) for u in users])
    client.force_login(cast["coordinator"])
    html = client.get(reverse("meetings:rematch_queue", args=[cast["program"].pk])).content.decode()
    assert "more: <a href=" in html
    full = reverse("meetings:program_health", args=[cast["program"].pk]) + "?health=lapsed"
    assert full in html and client.get(full).status_code == 200
