"""iCalendar (RFC 5545) output: one .ics per meeting and a person's feed, built with `icalendar`.

Each event has a stable UID (the meeting's uuid), DTSTAMP, SEQUENCE, and DTSTART/DTEND in the
meeting's own time zone with a matching VTIMEZONE, so calendar programs show the right local time.
"""

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from mentora.core.links import absolute_url

from .models import Meeting

PRODID = "-//Mentora//Mentorship meetings//EN"
STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.MISSED: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.RESCHEDULED: "CANCELLED",
}


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(meeting: Meeting, viewer, stamp: datetime.datetime) -> icalendar.Event:
    relationship = meeting.relationship
    other = relationship.mentor if viewer.pk == relationship.mentee_id else relationship.mentee
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@mentora")  # stable: never changes with the site's address
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    start = meeting.local_start
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", f"Mentoring meeting with {other.display_name}")
    url = absolute_url(reverse("meetings:meeting_detail", args=[meeting.pk]))
    description = [f"{meeting.get_mode_display()} meeting.", f"Agenda and notes: {url}"]
    if meeting.video_url:
        description.insert(1, f"Video link: {meeting.video_url}")
    event.add("description", "\n".join(description))
    event.add("url", url)
    if meeting.place or meeting.video_url:
        event.add("location", meeting.place or meeting.video_url)
    event.add("status", STATUS[meeting.status])
    return event


def _add_time_zones(calendar: icalendar.Calendar, meetings: list[Meeting]) -> None:
    if not meetings:
        return
    first = min(m.starts_at for m in meetings).date() - datetime.timedelta(days=366)
    last = max(m.starts_at for m in meetings).date() + datetime.timedelta(days=366)
    calendar.add_missing_timezones(first_date=first, last_date=last)


def meeting_ics(meeting: Meeting, viewer) -> bytes:
    calendar = _calendar("Mentora meeting")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(meeting, viewer, timezone.now()))
    _add_time_zones(calendar, [meeting])
    return calendar.to_ical()


def feed_ics(meetings, viewer) -> bytes:
    calendar = _calendar("Mentora meetings")
    stamp = timezone.now()
    meetings = list(meetings)
    for meeting in meetings:
        calendar.add_component(_event(meeting, viewer, stamp))
    _add_time_zones(calendar, meetings)
    return calendar.to_ical()
