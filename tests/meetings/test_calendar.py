import datetime

import icalendar
import pytest
from django.urls import reverse

from mentora.meetings import services


def _events(calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_meeting_ics_parses_with_uid_dtstamp_and_time_zone(client, meeting, cast):
    client.force_login(cast["mentee_a"])
    response = client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = _events(calendar)
    assert str(event["UID"]) == f"{meeting.uid}@mentora"
    assert event["DTSTAMP"].dt.tzinfo is not None
    start = event["DTSTART"]
    assert start.params["TZID"] == "America/Chicago"
    assert start.dt == meeting.starts_at and event["DTEND"].dt - start.dt == datetime.timedelta(minutes=30)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert cast["mentor_a"].display_name in str(event["SUMMARY"])
    assert "meet.example.org" in str(event["LOCATION"])


def test_moved_meeting_is_cancelled_in_the_calendar_with_a_higher_sequence(client, meeting, cast):
    from .conftest import future

    new = services.meeting_reschedule(meeting=meeting, by=cast["mentor_a"], starts_at=future(9),
                                      time_zone="Asia/Kolkata")
    client.force_login(cast["mentor_a"])
    old_event = _events(icalendar.Calendar.from_ical(client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).content))[0]
    assert str(old_event["STATUS"]) == "CANCELLED" and int(old_event["SEQUENCE"]) == 1
    new_event = _events(icalendar.Calendar.from_ical(client.get(reverse("meetings:meeting_ics", args=[new.pk])).content))[0]
    assert new_event["DTSTART"].params["TZID"] == "Asia/Kolkata"


def test_personal_feed_behind_a_secret_revocable_url(client, meeting, cast, rel):
    from .conftest import future

    services.meeting_schedule(relationship=rel, by=cast["mentee_a"], starts_at=future(20), time_zone="Europe/Paris")
    client.force_login(cast["mentee_a"])
    client.post(reverse("meetings:calendar_settings"), {"action": "enable"})
    feed = cast["mentee_a"].calendar_feed
    assert len(feed.token) >= 40
    client.logout()
    url = reverse("meetings:calendar_feed", args=[feed.token])
    calendar = icalendar.Calendar.from_ical(client.get(url).content)
    assert len(_events(calendar)) == 2
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["America/Chicago", "Europe/Paris"]
    assert len({str(e["UID"]) for e in _events(calendar)}) == 2
    assert client.get(reverse("meetings:calendar_feed", args=["guess" + feed.token[5:]])).status_code == 404
    client.force_login(cast["mentee_a"])
    client.post(reverse("meetings:calendar_settings"), {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404
    new_token = type(feed).objects.get(user=cast["mentee_a"]).token
    assert new_token != feed.token and client.get(reverse("meetings:calendar_feed", args=[new_token])).status_code == 200
    # the other side's feed has the shared meeting, an outsider's feed has none
    other = services.calendar_feed_enable(by=cast["mentee_b"])
    assert _events(icalendar.Calendar.from_ical(client.get(reverse("meetings:calendar_feed", args=[other.token])).content)) \
        == []


@pytest.mark.parametrize("user", ["mentee_b", "coordinator"])
def test_ics_is_refused_to_others(client, meeting, cast, user):
    client.force_login(cast[user])
    assert client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).status_code == 403
