"""Mentor cards: one partial for the directory, the recommendations and referrals, showing what people
choose by (photo, title, specialty, languages, availability with free places, meeting modes, time
difference, and the engine's reasons with their points)."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mentora.core.time_zones import hours_apart
from mentora.directory import services
from mentora.directory.matching import recommendations_for
from mentora.meetings.models import Agreement
from mentora.profiles.models import ProfilePhoto
from mentora.profiles.services import profile_photo_set
from tests.directory.helpers import make_mentor, make_person
from tests.factories import NetworkFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def give_photo(person):
    out = io.BytesIO()
    Image.new("RGB", (120, 120), "purple").save(out, "JPEG")
    profile_photo_set(person=person, upload=SimpleUploadedFile("p.jpg", out.getvalue()), by=person)
    return ProfilePhoto.objects.get(user=person)


def card_of(page: str, mentor) -> str:
    """The HTML of one mentor's card in a page."""
    match = re.search(rf'<article class="card mentor-card[^"]*"[^>]*data-mentor="{mentor.pk}".*?</article>', page, re.S)
    assert match, f"no card for {mentor.display_name}"
    return match.group(0)


def test_a_mentor_with_a_photo_and_one_without_in_the_directory(client):
    with_photo = make_mentor(name="Dr Photo Person", research="sepsis", headline="Intensivist, Riverside")
    without = make_mentor(name="Dr Initials Only", research="sepsis")
    photo = give_photo(with_photo)
    client.force_login(make_person(name="Looking Mentee"))
    page = client.get(reverse("directory:directory"), {"q": "sepsis"}).content.decode().replace("&amp;", "&")
    shown = card_of(page, with_photo)
    assert f'src="{photo.url}"' in shown and 'data-avatar="photo"' in shown
    assert "Intensivist, Riverside" in shown
    plain = card_of(page, without)
    assert 'data-avatar="initials"' in plain and ">IO</text>" in plain
    assert "<img" not in plain
    # the photo's address answers the viewer with the image
    assert client.get(photo.url).status_code == 200


def test_availability_free_places_and_full_with_the_next_free_place(client):
    open_mentor = make_mentor(name="Dr Has Room", capacity=3, research="asthma")
    RelationshipFactory(mentor=open_mentor, mentee=make_person(name="First Mentee"))
    full = make_mentor(name="Dr Is Full", capacity=1, research="asthma")
    taken = RelationshipFactory(mentor=full, mentee=make_person(name="Second Mentee"))
    ends = timezone.localdate() + datetime.timedelta(days=40)
    Agreement.objects.create(relationship=taken, goals="g", expected_end_on=ends)
    closed = make_mentor(name="Dr Not Taking", accepting=False, research="asthma")
    client.force_login(make_person(name="Asthma Mentee"))
    page = client.get(reverse("directory:directory"), {"q": "asthma"}).content.decode()
    room = card_of(page, open_mentor)
    assert 'data-availability="accepting"' in room and "2 of 3 places free" in room
    assert "Ask Dr Has Room to mentor me" in room
    no_room = card_of(page, full)
    assert 'data-availability="full"' in no_room and "Full at the moment" in no_room
    assert f"expected to free on {ends:%-d %b %Y}" in no_room
    assert "waitlist" in no_room.lower() and "Ask Dr Is Full" not in no_room
    assert 'data-availability="not_accepting"' in card_of(page, closed)


def test_a_full_mentor_without_a_known_end_says_only_full(client):
    full = make_mentor(name="Dr Full Unknown", capacity=1, research="gout")
    taken = RelationshipFactory(mentor=full, mentee=make_person(name="Someone"))
    Agreement.objects.create(relationship=taken, goals="g",
                             expected_end_on=timezone.localdate() - datetime.timedelta(days=3))  # overdue: unknown
    client.force_login(make_person(name="Gout Mentee"))
    card = card_of(client.get(reverse("directory:directory"), {"q": "gout"}).content.decode(), full)
    assert "Full at the moment" in card and "expected to free" not in card


def test_languages_meeting_modes_and_time_difference_from_the_viewer(client):
    mentor = make_mentor(name="Dr London", research="renal", languages=("en", "es"), modes=("video", "in_person"),
                         time_zone="Europe/London")
    viewer = make_person(name="Chicago Mentee", time_zone="America/Chicago")
    client.force_login(viewer)
    card = card_of(client.get(reverse("directory:directory"), {"q": "renal"}).content.decode(), mentor)
    assert "English" in card and "Spanish" in card
    assert "Video" in card and "In person" in card
    assert hours_apart("Europe/London", "America/Chicago") in card
    assert "ahead of you" in card


def test_hours_apart_counts_half_hours_and_daylight_saving():
    winter = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)
    assert hours_apart("Europe/London", "America/New_York", at=winter) == "5 h ahead of you"
    assert hours_apart("Asia/Kolkata", "Europe/London", at=winter) == "5 h 30 min ahead of you"
    assert hours_apart("America/New_York", "Europe/London", at=summer, whom="Priya") == "5 h behind Priya"
    assert hours_apart("Europe/Paris", "Europe/Berlin", at=summer) == "Same time as you"
    assert hours_apart("Mars/Olympus", "Europe/Berlin") == ""


def test_recommendation_cards_show_each_reason_with_its_points(client):
    mentee = make_person(name="Reasons Mentee", research="heart failure outcomes", languages=("en", "ta"),
                         tracks=["research"])
    mentor = make_mentor(name="Dr Reasons", research="heart failure outcomes in immigrants", languages=("en", "ta"),
                         tracks=["research"])
    give_photo(mentor)
    client.force_login(mentee)
    page = client.get(reverse("directory:recommended")).content.decode()
    card = card_of(page, mentor)
    ranked = {row["mentor"]: row for row in recommendations_for(mentee)}
    reasons = ranked[mentor.pk]["reasons"]
    assert reasons
    for reason in reasons:
        points = floatformat(reason["points"], -1)  # one decimal at most, as the card prints it
        assert re.search(rf"{re.escape(reason['text'][:30])}.*?\+{re.escape(points)}<", card, re.S), reason
    assert f"{ranked[mentor.pk]['score']:.0f} / 100" in card
    assert 'data-avatar="photo"' in card


def test_referral_cards_for_the_coordinator_and_the_mentee(client):
    network = NetworkFactory()
    coordinator = make_person(name="Network Coordinator")
    network.coordinators.add(coordinator)
    mentee = make_person(name="Referral Mentee", research="stroke rehabilitation", time_zone="Asia/Kolkata")
    mentor = make_mentor(name="Dr Stroke", research="stroke rehabilitation", time_zone="America/New_York")
    referral = services.referral_create(by=mentee, network=network, kind="career", looking_for="Stroke")
    client.force_login(coordinator)
    page = client.get(reverse("directory:referral_detail", args=[referral.pk])).content.decode()
    card = card_of(page, mentor)
    assert f'type="checkbox" name="mentors" value="{mentor.pk}"' in card
    assert "Why Dr Stroke is suggested" in card
    assert "behind Referral Mentee" in card  # the mentee's clock, not the coordinator's
    client.post(reverse("directory:referral_detail", args=[referral.pk]), {"mentors": [mentor.pk], "note": "Try"})
    client.force_login(mentee)
    page = client.get(reverse("directory:referral_detail", args=[referral.pk])).content.decode()
    card = card_of(page, mentor)
    assert f'type="radio" name="mentor" value="{mentor.pk}"' in card
    assert "behind you" in card and 'data-avatar="initials"' in card


def test_the_directory_page_costs_the_same_queries_for_two_or_eight_mentors(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = make_person(name="Counting Mentee")
    client.force_login(viewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("directory:directory"), {"q": "counting"}).status_code == 200
        return len(captured)

    for n in range(2):
        mentor = make_mentor(name=f"Dr Counting {n}", research="counting")
        give_photo(mentor)
        RelationshipFactory(mentor=mentor, mentee=make_person(name=f"Mentee {n}"))
    queries()  # warm the caches (time zones of the filter form)
    few = queries()
    for n in range(2, 8):
        mentor = make_mentor(name=f"Dr Counting {n}", research="counting")
        if n % 2:
            give_photo(mentor)
    assert queries() == few


def test_the_mentoring_team_shows_each_mentor_with_a_photo_or_initials(client):
    mentee = make_person(name="Team Mentee")
    pictured, plain = make_mentor(name="Dr Team Photo"), make_mentor(name="Dr Team Plain")
    photo = give_photo(pictured)
    RelationshipFactory(mentee=mentee, mentor=pictured, kind="career")
    RelationshipFactory(mentee=mentee, mentor=plain, kind="research")
    client.force_login(mentee)
    page = client.get(reverse("directory:mentoring_team")).content.decode().replace("&amp;", "&")
    assert f'src="{photo.url}"' in page
    assert ">TP</text>" in page  # Dr Team Plain's initials
