"""A mentor's "My mentees": each mentee's plan status, goals by state, overdue action items, last and next
meeting, the one who needs attention first; in a number of queries that does not grow with the mentees."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.ilps import services as ilp_services
from mentora.meetings import services
from mentora.meetings.models import ActionItem, Meeting
from mentora.profiles.models import Profile
from tests.factories import MembershipFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def _mentee_of(mentor, program, name, *, goals=1, submit=False):
    mentee = MembershipFactory(program=program, role="mentee", user__full_name=name).user
    relationship = RelationshipFactory(mentee=mentee, mentor=mentor, program=program)
    plan = ilp_services.plan_create(mentee=mentee, career_vision="Academic internal medicine.")
    for index in range(goals):
        ilp_services.goal_create(plan=plan, by=mentee, data={
            "statement": f"Submit case report {index + 1} on heart failure to a journal by 31 May",
            "measure": "Manuscript submitted", "domain": "research",
            "target_date": timezone.localdate() + datetime.timedelta(days=90)})
    if submit:
        ilp_services.plan_submit(plan=plan, by=mentee)
    return relationship


def _page(client, mentor):
    client.force_login(mentor)
    return client.get(reverse("meetings:my_mentees"))


def test_my_mentees_shows_each_mentees_state_and_puts_who_needs_attention_first(client, cast):
    mentor, program = cast["mentor_a"], cast["program"]
    calm = _mentee_of(mentor, program, "Zoe Calm", goals=2)
    worried = _mentee_of(mentor, program, "Amara Needs", goals=1, submit=True)
    services.meeting_schedule(relationship=calm, by=mentor, time_zone="UTC", notify_other=False,
                              starts_at=timezone.now() + datetime.timedelta(days=5))
    item = services.action_item_add(relationship=worried, by=mentor, text="Send the abstract",
                                    owner_id=worried.mentee_id, due_on=timezone.localdate())
    ActionItem.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    past = Meeting.objects.create(relationship=calm, starts_at=timezone.now() - datetime.timedelta(days=10),
                                  time_zone="UTC", status=Meeting.Status.HELD)

    response = _page(client, mentor)
    assert response.status_code == 200
    page = response.content.decode()
    rows = page[page.index('id="my-mentees"'):]
    assert rows.index("Amara Needs") < rows.index("Zoe Calm")
    amara = rows[rows.index("Amara Needs"):rows.index("Zoe Calm")]
    assert "Submitted for sign-off" in amara and "1 overdue" in amara and "1 not started" in amara
    zoe = rows[rows.index("Zoe Calm"):]
    assert "2 not started" in zoe and "Draft" in zoe
    zone = ZoneInfo(Profile.objects.get(user=mentor).time_zone)
    assert past.starts_at.astimezone(zone).strftime("%-d %b %Y") in zoe
    assert f'href="{reverse("meetings:relationship_detail", args=[calm.pk])}">Zoe Calm' in rows


def test_my_mentees_query_count_does_not_grow_with_mentees(client, cast):
    mentor, program = cast["mentor_a"], cast["program"]
    _mentee_of(mentor, program, "First One")
    client.force_login(mentor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("meetings:my_mentees")).status_code == 200
    for index in range(4):
        relationship = _mentee_of(mentor, program, f"More Mentee {index}", goals=2)
        services.meeting_schedule(relationship=relationship, by=mentor, time_zone="UTC", notify_other=False,
                                  starts_at=timezone.now() + datetime.timedelta(days=index + 2))
        services.action_item_add(relationship=relationship, by=mentor, text="Read", owner_id=relationship.mentee_id,
                                 due_on=timezone.localdate() + datetime.timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("meetings:my_mentees")).content.decode()
    assert "More Mentee 3" in page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_my_mentees_is_in_the_mentors_navigation_and_refused_to_others(client, cast):
    client.force_login(cast["mentor_a"])
    assert reverse("meetings:my_mentees") in client.get(reverse("home:home")).content.decode()
    client.force_login(cast["mentee_b"])
    assert reverse("meetings:my_mentees") not in client.get(reverse("home:home")).content.decode()
    assert client.get(reverse("meetings:my_mentees")).status_code == 403
