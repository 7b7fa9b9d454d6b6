import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from mentora.meetings import services
from mentora.meetings.models import ActionItem, AgendaItem, Homework, Meeting, PrivateNote, SharedNote

from .conftest import future

SECRET = "my-private-worry-about-the-boards"


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def noted(meeting, cast):
    services.private_note_add(meeting=meeting, by=cast["mentee_a"], body=SECRET)
    services.shared_note_add(meeting=meeting, by=cast["mentor_a"], body="We agreed on a case report")
    return meeting


def test_private_notes_reach_their_author_alone(client, noted, cast, rel):
    pages = [reverse("meetings:meeting_detail", args=[noted.pk]), reverse("meetings:relationship_detail", args=[rel.pk]),
             reverse("meetings:my_mentoring"), reverse("home:home"), reverse("meetings:meeting_ics", args=[noted.pk])]
    author = _login(client, cast["mentee_a"]).get(pages[0])
    assert SECRET in author.content.decode()
    for person in ("mentor_a", "coordinator", "admin", "mentee_b", "other_coordinator"):
        client.force_login(cast[person])
        for url in pages:
            response = client.get(url)
            assert SECRET not in response.content.decode(), (person, url)
        for url in (f"/api/mentoring/meetings/{noted.pk}", f"/api/mentoring/relationships/{rel.pk}",
                    f"/api/mentoring/relationships/{rel.pk}/meetings"):
            assert SECRET not in client.get(url).content.decode()
    # the API never returns private notes, even to their author
    client.force_login(cast["mentee_a"])
    body = client.get(f"/api/mentoring/meetings/{noted.pk}").json()
    assert body["shared_notes"][0]["body"] == "We agreed on a case report"
    assert SECRET not in str(body)
    schema = client.get("/api/openapi.json").content.decode()
    assert "PrivateNote" not in schema
    # "private" appears nowhere in the schema (no path, operation, component, field, description or value) except
    # as the value "private" of a person's optional attributes' visibility ("only me"), which is not a note
    mentions = _mentions_of_private(json.loads(schema))
    assert mentions and all(_is_attribute_visibility(path, value) for path, value in mentions), mentions


def _mentions_of_private(node, path=()):
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if "private" in str(key).lower():
                found.append((path + (key,), key))
            found += _mentions_of_private(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _mentions_of_private(value, path + (index,))
    elif "private" in str(node).lower():
        found.append((path, node))
    return found


def _is_attribute_visibility(path, value):
    if value != "private" or path[:4] != ("components", "schemas", "SensitiveAttributesIO", "properties"):
        return False
    rest = path[4:]
    return (len(rest) in (2, 3) and str(rest[0]).endswith("_visibility")
            and (rest[1:] == ("default",) or (rest[1] == "enum" and isinstance(rest[-1], int))))


def test_private_notes_are_not_in_the_admin_or_a_data_dump(noted, cast, client):
    from django.contrib import admin
    from django.core import serializers

    assert PrivateNote not in admin.site._registry
    shared = serializers.serialize("json", SharedNote.objects.all())
    assert SECRET not in shared


def test_coordinator_sees_the_summary_not_the_content(client, noted, cast, rel):
    services.message_send(relationship=rel, by=cast["mentee_a"], body="hello mentor, quick question")
    client.force_login(cast["coordinator"])
    page = client.get(reverse("meetings:relationship_detail", args=[rel.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Summary for the program" in html and "quick question" not in html and "case report" not in html
    assert client.get(reverse("meetings:meeting_detail", args=[noted.pk])).status_code == 403
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("meetings:relationship_detail", args=[rel.pk])).status_code == 403
    assert client.get(f"/api/mentoring/relationships/{rel.pk}").status_code == 404  # the API: like a missing one


def test_outsiders_are_refused_everywhere(client, meeting, cast, rel):
    client.force_login(cast["mentee_b"])
    for url in (reverse("meetings:relationship_detail", args=[rel.pk]), reverse("meetings:relationship_agreement", args=[rel.pk]),
                reverse("meetings:meeting_detail", args=[meeting.pk]), reverse("meetings:meeting_ics", args=[meeting.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("meetings:meeting_action", args=[meeting.pk, "agenda"]), {"agenda-text": "x"}).status_code == 403
    assert client.post(reverse("meetings:message_send", args=[rel.pk]), {"body": "x"}).status_code == 403
    assert not AgendaItem.objects.filter(text="x").exists()
    client.logout()
    assert client.get(reverse("meetings:relationship_detail", args=[rel.pk])).status_code == 302


def test_agreement_pages_confirm_on_both_sides(client, rel, cast):
    client.force_login(cast["mentor_a"])
    url = reverse("meetings:relationship_agreement", args=[rel.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "career", "goals": "", "cadence_days": "30", "modes": ["video"]})
    assert response.status_code == 200 and "Goals this mentorship serves" in response.content.decode()
    response = client.post(url, {"kind": "career", "goals": "Match into cardiology", "cadence_days": "30",
                                 "modes": ["video", "phone"], "confidentiality": "Between us"})
    assert response.status_code == 302
    client.force_login(cast["mentee_a"])
    assert "I confirm this agreement" in client.get(url).content.decode()
    client.post(url, {"confirm": "1"})
    rel.agreement.refresh_from_db()
    assert rel.agreement.is_confirmed


def test_meeting_page_forms_add_everything(client, meeting, cast, rel):
    client.force_login(cast["mentee_a"])
    act = lambda name, data: client.post(reverse("meetings:meeting_action", args=[meeting.pk, name]), data)  # noqa: E731
    act("agenda", {"agenda-text": "Ask about research electives"})
    act("homework", {"homework-text": "Update my CV"})
    act("note", {"shared-body": "Shared thought"})
    act("private-note", {"private-body": "Private thought"})
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    act("action-item", {"text": "Email the program director", "owner_id": cast["mentee_a"].pk, "due_on": due})
    act("rsvp", {"response": "maybe"})
    assert AgendaItem.objects.filter(meeting=meeting, text="Ask about research electives").exists()
    assert Homework.objects.filter(meeting=meeting, text="Update my CV").exists()
    assert SharedNote.objects.filter(meeting=meeting, body="Shared thought").exists()
    assert PrivateNote.objects.get(body="Private thought").author == cast["mentee_a"]
    assert ActionItem.objects.get(text="Email the program director").meeting == meeting
    # bad input: an error message and nothing written
    response = act("action-item", {"text": "No date", "owner_id": cast["mentee_a"].pk, "due_on": ""})
    assert not ActionItem.objects.filter(text="No date").exists()
    page = client.get(response.url).content.decode()
    assert "Not saved" in page
    # held only after it starts
    act("status", {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    act("status", {"status": "held"})
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_hub_proposes_and_picks(client, rel, cast):
    client.force_login(cast["mentee_a"])
    days = [(timezone.localdate() + datetime.timedelta(days=d)).isoformat() for d in (3, 4)]
    response = client.post(reverse("meetings:proposal_create", args=[rel.pk]), {
        "propose-day_1": days[0], "propose-at_1": "09:00", "propose-day_2": days[1], "propose-at_2": "17:30",
        "propose-time_zone": "America/New_York", "propose-duration_minutes": 30, "propose-mode": "video"})
    assert response.status_code == 302
    proposal = rel.time_proposals.get()
    client.force_login(cast["mentor_a"])
    hub = client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode()
    assert "Accept this time" in hub and "17:30" in hub and "09:00" in hub  # shown in the proposal's time zone
    chosen = proposal.times.last()
    response = client.post(reverse("meetings:proposal_answer", args=[proposal.pk]), {"time_id": chosen.pk})
    meeting = Meeting.objects.get(relationship=rel)
    assert response.url == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.local_start.hour == 17 and meeting.local_start.minute == 30


def test_dashboard_shows_upcoming_meetings_in_constant_queries(client, rel, cast, django_assert_max_num_queries):
    client.force_login(cast["mentee_a"])
    client.get(reverse("home:home"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home:home"))
    for days in range(2, 8):
        services.meeting_schedule(relationship=rel, by=cast["mentor_a"], starts_at=future(days), time_zone="UTC")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home:home")).content.decode()
    assert "Upcoming meetings" in page and page.count("/mentoring/meetings/") >= 5
    assert len(many.captured_queries) == len(one.captured_queries)


def test_private_notes_are_in_no_program_export(client, noted, cast):
    """The program exports (insights spreadsheet and every table's CSV) never carry private notes."""
    import io
    import re
    import zipfile

    for person in ("coordinator", "admin"):
        client.force_login(cast[person])
        response = client.get("/insights/export/all.xlsx")
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        text = "".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist())
        assert SECRET not in text and len(text) > 100
        dashboard = client.get("/insights/").content.decode()
        assert SECRET not in dashboard
        for key in set(re.findall(r"/insights/export/([a-z_]+\.[a-z_]+)\.csv", dashboard)):
            assert SECRET not in client.get(f"/insights/export/{key}.csv").content.decode()


def test_pause_recommit_rematch_and_close_pages(client, rel, cast):
    from mentora.meetings.models import RematchRequest
    from mentora.notifications.models import Notification

    services.agreement_save(relationship=rel, by=cast["mentor_a"], kind="career", goals="g", cadence_days=30,
                            modes=["video"])
    client.force_login(cast["mentee_a"])
    client.post(reverse("meetings:relationship_change", args=[rel.pk, "pause"]))
    rel.refresh_from_db()
    assert rel.status == "paused"
    client.post(reverse("meetings:relationship_change", args=[rel.pk, "recommit"]))
    rel.refresh_from_db()
    assert rel.status == "active"
    url = reverse("meetings:relationship_change", args=[rel.pk, "rematch"])
    assert client.post(url, {"reason": ""}).status_code == 200 and not RematchRequest.objects.exists()
    assert client.post(url, {"reason": "I need a research mentor"}).status_code == 302
    assert Notification.objects.filter(user=cast["coordinator"], title__contains="rematch").exists()
    url = reverse("meetings:relationship_change", args=[rel.pk, "close"])
    page = client.get(url).content.decode()
    assert "Maintaining effective communication" in page
    assert client.post(url, {"reason": "", "rating_communication": "6"}).status_code == 200
    rel.refresh_from_db()
    assert rel.status == "active"
    assert client.post(url, {"reason": "Goals met", "rating_communication": "6"}).status_code == 302
    rel.refresh_from_db()
    assert rel.status == "closed" and rel.survey_responses.get(period="closing").ratings == {"communication": 6}
    # a closed relationship takes no more changes
    assert client.post(reverse("meetings:relationship_change", args=[rel.pk, "pause"])).status_code == 403


def test_api_schedules_meetings_and_refuses_bad_ones(client, rel, cast):
    client.force_login(cast["mentor_a"])
    url = f"/api/mentoring/relationships/{rel.pk}/meetings"
    good = {"starts_at": future(4).isoformat(), "time_zone": "Europe/Berlin", "duration_minutes": 30}
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 201 and response.json()["time_zone"] == "Europe/Berlin"
    bad = {**good, "starts_at": "2001-01-01T10:00:00+00:00"}
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert Meeting.objects.filter(relationship=rel).count() == 1
    client.force_login(cast["mentee_b"])  # may not see the relationship: answered like a missing one
    assert client.post(url, good, content_type="application/json").status_code == 404
    assert client.get(url).status_code == 404
