"""The mentor decides with the mentee's profile and goals in view and lands in the new relationship; full
mentors and the mentee's own mentors are not offered, and asking them is refused with a clear message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.directory import services
from mentora.directory.models import MentorshipRequest
from mentora.ilps import services as ilp_services
from mentora.relationships.models import Relationship
from tests.factories import RelationshipFactory

from .helpers import make_mentor, make_person

pytestmark = pytest.mark.django_db

GOAL = "Present two heart failure case reports at the regional ACP meeting by 30 April"


@pytest.fixture
def asked():
    mentor = make_mentor(name="Lucia Fernández", research="heart failure")
    mentee = make_person(name="Amara Okafor", research="heart failure", country="NG", level="pgy2",
                         tracks=("academic_medicine",), languages=("en", "yo"), headline="PGY-2 in internal medicine")
    plan = ilp_services.plan_create(mentee=mentee, career_vision="An academic cardiologist.")
    ilp_services.goal_create(plan=plan, by=mentee, data={
        "statement": GOAL, "target_date": timezone.localdate() + datetime.timedelta(days=120), "domain": "research"})
    request = services.request_create(by=mentee, mentor=mentor, kind="career", why="Heart failure research",
                                      hopes="A first paper")
    return mentor, mentee, request


def test_the_request_page_shows_the_mentee_their_goals_and_a_link(client, asked):
    mentor, mentee, request = asked
    client.force_login(mentor)
    page = client.get(reverse("directory:request_detail", args=[request.pk])).content.decode()
    summary = page[page.index('id="mentee-summary"'):]
    assert "PGY-2" in summary and "Academic medicine" in summary and "English, Yoruba" in summary
    assert "Nigeria" in summary
    assert GOAL in summary
    assert reverse("profiles:profile_detail", args=[mentee.pk]) in summary
    # ... and the link opens: the mentor asked may read the mentee's profile while the request waits.
    assert client.get(reverse("profiles:profile_detail", args=[mentee.pk])).status_code == 200


def test_another_mentor_still_cannot_open_the_mentees_profile(client, asked):
    _mentor, mentee, _request = asked
    client.force_login(make_mentor(name="Other Mentor"))
    assert client.get(reverse("profiles:profile_detail", args=[mentee.pk])).status_code == 403


def test_accepting_leads_straight_to_the_new_relationship(client, asked):
    mentor, mentee, request = asked
    client.force_login(mentor)
    response = client.post(reverse("directory:request_answer", args=[request.pk, "accept"]), {"note": "Welcome"})
    relationship = Relationship.objects.get(mentee=mentee, mentor=mentor)
    assert response["Location"] == reverse("meetings:relationship_detail", args=[relationship.pk])
    page = client.get(reverse("directory:request_detail", args=[request.pk])).content.decode()
    assert reverse("meetings:relationship_detail", args=[relationship.pk]) in page


def test_a_full_mentor_is_shown_full_and_cannot_be_asked(client):
    mentor = make_mentor(name="Full Mentor", capacity=1, research="sepsis")
    RelationshipFactory(mentor=mentor, mentee=make_person(name="Someone Else"))
    mentee = make_person(name="New Mentee")
    client.force_login(mentee)
    page = client.get(reverse("directory:directory"), {"q": "sepsis"}).content.decode()
    assert "Full Mentor" in page and "Full at the moment" in page
    assert reverse("directory:request_new", args=[mentor.pk]) not in page
    assert "Ask Full Mentor to mentor me" not in page
    with pytest.raises(ValidationError, match="no place free"):
        services.request_create(by=mentee, mentor=mentor, kind="career", why="w", hopes="h")
    response = client.post(reverse("directory:request_new", args=[mentor.pk]), {"kind": "career", "why": "w", "hopes": "h"})
    assert response.status_code == 200 and "no place free" in response.content.decode()
    assert not MentorshipRequest.objects.exists()


def test_a_current_mentor_is_not_offered_again(client):
    mentor = make_mentor(name="My Mentor", research="stroke", kinds=("career", "research"))
    mentee = make_person(name="Their Mentee")
    RelationshipFactory(mentor=mentor, mentee=mentee, kind="career")
    client.force_login(mentee)
    page = client.get(reverse("directory:directory"), {"q": "stroke"}).content.decode()
    assert "My Mentor" in page and "Your mentor" in page
    assert "Ask My Mentor to mentor me" not in page
    with pytest.raises(ValidationError, match="already mentors you"):
        services.request_create(by=mentee, mentor=mentor, kind="research", why="w", hopes="h")
    response = client.get(reverse("directory:request_new", args=[mentor.pk]))
    assert "already mentors you" in response.content.decode()
    assert 'name="why"' not in response.content.decode()
