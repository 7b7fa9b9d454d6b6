"""The mentorship lifecycle in a browser: agreement, scheduling together, agenda, homework, held, notes, .ics."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, log_out, screenshot, visit


def open_relationship(checked_page, base_url: str, other_name: str):
    page, checker = checked_page
    visit(checked_page, f"{base_url}/mentoring/")
    page.get_by_role("link", name=other_name).click()
    checker.check()
    return page


def submit(checked_page, name):
    page, checker = checked_page
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")
    checker.check()


@pytest.mark.django_db(transaction=True)
def test_mentor_and_mentee_run_a_meeting_from_agreement_to_action_items(checked_page, live_server, demo_network,
                                                                       tmp_path):
    from mentora.meetings.models import ActionItem, Agreement, Meeting, PrivateNote

    page, checker = checked_page
    base = live_server.url
    mentee_name, mentor_name = demo_network.logins["mentee"].full_name, demo_network.logins["mentor"].full_name
    relationship_id = demo_network.logins["mentee"].relationships_as_mentee.get(
        mentor=demo_network.logins["mentor"]).pk

    # 1. The mentor writes the agreement (and so confirms it)
    log_in(checked_page, base, DEMO_LOGINS["mentor"])
    open_relationship(checked_page, base, mentee_name)
    page.get_by_role("link", name=re.compile("agreement")).click()
    checker.check()
    page.get_by_label("Goals this mentorship serves").fill(
        "Match into a cardiology fellowship; publish a first case report by June")
    page.get_by_label("How often we meet").select_option("30")
    page.get_by_label("Video call").check()
    page.get_by_label("What we expect of each other").fill("Come prepared; reply within a week")
    screenshot(page, "lifecycle-agreement-form")
    submit(checked_page, re.compile("^Save"))
    assert page.get_by_text("the other side is asked to confirm it").is_visible()
    log_out(checked_page)

    # 2. The mentee confirms it, then proposes two times
    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    open_relationship(checked_page, base, mentor_name)
    page.get_by_role("link", name="Review and confirm the agreement").click()
    checker.check()
    submit(checked_page, "I confirm this agreement")
    agreement = Agreement.objects.get(relationship_id=relationship_id)
    assert agreement.is_confirmed and agreement.cadence_days == 30
    assert page.get_by_role("heading", name="Preparing for the first meeting").is_visible()
    screenshot(page, "lifecycle-hub-confirmed")
    details = page.locator("details", has_text="Propose two or three times")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    days = [(timezone.localdate() + datetime.timedelta(days=d)).isoformat() for d in (2, 3)]
    page.get_by_label("First option: date").fill(days[0])
    page.get_by_label("First option: time").fill("08:30")
    page.get_by_label("Second option: date").fill(days[1])
    page.get_by_label("Second option: time").fill("18:00")
    details.get_by_label("Time zone").select_option("America/New_York")
    submit(checked_page, "Send these times")
    log_out(checked_page)

    # 3. The mentor picks one; the meeting exists; homework and an agenda item
    log_in(checked_page, base, DEMO_LOGINS["mentor"])
    open_relationship(checked_page, base, mentee_name)
    screenshot(page, "lifecycle-hub-proposal")
    page.get_by_label(re.compile("18:00")).check()
    submit(checked_page, "Accept this time")
    assert page.get_by_role("heading", name=re.compile("^Meeting on")).is_visible()
    meeting = Meeting.objects.filter(relationship_id=relationship_id, status="scheduled").order_by("-pk").first()
    assert meeting.local_start.hour == 18 and meeting.time_zone == "America/New_York"
    page.get_by_label("Homework for the mentee").fill("Bring two case report ideas with one reference each")
    submit(checked_page, "Add homework")
    page.get_by_label("Agenda item").fill("Which journal fits a first case report?")
    submit(checked_page, "Add to the agenda")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"\.ics")).click()
    path = tmp_path / "meeting.ics"
    download_info.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@mentora" and "DTSTAMP" in event
    assert event["DTSTART"].params["TZID"] == "America/New_York" and event["DTSTART"].dt == meeting.starts_at
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    log_out(checked_page)

    # 4. The mentee sees the homework, adds to the agenda, answers the RSVP
    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    visit(checked_page, f"{base}/mentoring/meetings/{meeting.pk}/")
    assert page.get_by_text("Bring two case report ideas").is_visible()
    page.get_by_label("Agenda item").fill("My timeline for Step 3")
    submit(checked_page, "Add to the agenda")
    page.get_by_label("Will you attend?").select_option("yes")
    submit(checked_page, "Answer")
    page.get_by_role("button", name=re.compile("Mark done.*Bring two")).click()
    page.wait_for_load_state("load")
    checker.check()
    screenshot(page, "lifecycle-meeting-before")

    # 5. The meeting takes place (time passes), the mentee marks it held and records notes and an action item
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=50))
    visit(checked_page, f"{base}/mentoring/meetings/{meeting.pk}/")
    submit(checked_page, "Mark as held")
    page.locator("#id_shared-body").fill("We chose the heart failure case; target journal: JACC Case Reports.")
    submit(checked_page, "Add a shared note")
    page.locator("#id_private-body").fill("I felt nervous about asking for a letter; ask next time.")
    submit(checked_page, "Add a private note")
    page.get_by_role("textbox", name="Action item:").fill("Send the first draft of the case report")
    page.get_by_label("Owner").select_option(label=f"{mentee_name} (mentee)")
    page.get_by_label("Due date").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    submit(checked_page, "Add an action item")
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert ActionItem.objects.filter(meeting=meeting, owner=demo_network.logins["mentee"]).count() == 1
    assert PrivateNote.objects.filter(meeting=meeting, author=demo_network.logins["mentee"]).count() == 1
    screenshot(page, "lifecycle-meeting-held")
    log_out(checked_page)

    # 6. The mentor sees the shared note and the action item, never the mentee's private note
    log_in(checked_page, base, DEMO_LOGINS["mentor"])
    visit(checked_page, f"{base}/mentoring/meetings/{meeting.pk}/")
    assert page.get_by_text("JACC Case Reports").is_visible()
    assert page.get_by_text("Send the first draft of the case report").is_visible()
    assert "nervous" not in page.content()
    open_relationship(checked_page, base, mentee_name)
    assert page.get_by_text("On track").first.is_visible()
    screenshot(page, "lifecycle-hub-mentor")
    visit(checked_page, f"{base}/mentoring/calendar/")
    submit(checked_page, "Turn on my calendar feed")
    assert page.get_by_label("Your feed address").input_value().endswith(".ics")
