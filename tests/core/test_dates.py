"""Dates read one way on every page, in the person's own time zone."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from mentora.profiles.models import Profile


def test_day_and_moment_use_the_site_formats_and_the_given_zone():
    moment = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)
    rendered = Template('{{ m|day }} | {{ m|moment }} | {{ m|moment:"Asia/Kolkata" }} | {{ d|day }}').render(
        Context({"m": moment, "d": datetime.date(2027, 3, 1)}))
    assert rendered == "6 Dec 2026 | 6 Dec 2026, 23:30 | 7 Dec 2026, 05:00 | 1 Mar 2027"


@pytest.mark.django_db
def test_pages_show_times_in_the_persons_time_zone(client, cast):
    from mentora.meetings import services
    from mentora.meetings.models import SharedNote
    from mentora.relationships.models import Relationship

    mentee = cast["mentee_a"]
    relationship = Relationship.objects.get(mentee=mentee, mentor=cast["mentor_a"])
    meeting = services.meeting_schedule(relationship=relationship, by=mentee, time_zone="UTC", notify_other=False,
                                        starts_at=timezone.now() + datetime.timedelta(days=2))
    note = services.shared_note_add(meeting=meeting, by=mentee, body="A note at a known time")
    SharedNote.objects.filter(pk=note.pk).update(created_at=datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC))
    Profile.objects.filter(user=mentee).update(time_zone="Asia/Kolkata")
    client.force_login(mentee)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "7 Dec 2026, 05:00" in page
    assert timezone.get_current_timezone_name() == "UTC"  # the request's zone does not leak past it
