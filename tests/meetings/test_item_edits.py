"""Agenda items, shared and private notes and action items can be corrected and removed by their author
alone; where the item is shared, both sides see who changed what and when."""

import datetime
import html
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.meetings import services
from mentora.meetings.models import ActionItem, AgendaItem, PrivateNote, SharedNote


def _edit_url(kind, pk):
    return reverse("meetings:meeting_item_edit", args=[kind, pk])


def _delete_url(kind, pk):
    return reverse("meetings:meeting_item_delete", args=[kind, pk])


def test_author_edits_agenda_item_and_both_sides_see_the_change(client, meeting, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    item = services.agenda_item_add(meeting=meeting, by=mentee, text="Boards timeline")
    client.force_login(mentee)
    form = client.get(_edit_url("agenda", item.pk))
    assert form.status_code == 200 and "Boards timeline" in form.content.decode()
    response = client.post(_edit_url("agenda", item.pk), {"text": "Step 3 timeline"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Step 3 timeline"
    for person in (mentee, mentor):
        client.force_login(person)
        page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
        assert "Step 3 timeline" in page
        history = page[page.index('id="changes-heading"'):]
        assert mentee.display_name in history and "Boards timeline" in history and "Step 3 timeline" in history


def test_only_the_author_may_edit_or_delete(client, meeting, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    agenda = services.agenda_item_add(meeting=meeting, by=mentee, text="Mine")
    note = services.shared_note_add(meeting=meeting, by=mentee, body="My note")
    private = services.private_note_add(meeting=meeting, by=mentee, body="Only mine")
    action = services.action_item_add(relationship=meeting.relationship, by=mentee, text="Draft CV",
                                      owner_id=mentor.pk, due_on=timezone.localdate() + datetime.timedelta(days=5),
                                      meeting=meeting)
    client.force_login(mentor)
    for kind, item in (("agenda", agenda), ("note", note), ("private-note", private), ("action-item", action)):
        assert client.get(_edit_url(kind, item.pk)).status_code in (403, 404), kind
        assert client.post(_edit_url(kind, item.pk), {"text": "x", "body": "x"}).status_code in (403, 404), kind
        assert client.post(_delete_url(kind, item.pk)).status_code in (403, 404), kind
    assert AgendaItem.objects.get(pk=agenda.pk).text == "Mine"
    assert SharedNote.objects.get(pk=note.pk).body == "My note"
    assert PrivateNote.objects.get(pk=private.pk).body == "Only mine"
    assert ActionItem.objects.get(pk=action.pk).text == "Draft CV"
    with pytest.raises(PermissionDenied):
        services.shared_note_edit(note=note, by=mentor, body="Taken over")
    with pytest.raises(PermissionDenied):
        services.agenda_item_delete(item=agenda, by=mentor)


def test_deleted_shared_note_stays_in_the_history_for_both(client, meeting, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    note = services.shared_note_add(meeting=meeting, by=mentor, body="Apply to three observerships")
    client.force_login(mentor)
    assert client.post(_delete_url("note", note.pk)).status_code == 302
    assert not SharedNote.objects.filter(pk=note.pk).exists()
    client.force_login(mentee)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    history = page[page.index('id="changes-heading"'):]
    assert "deleted" in history and "Apply to three observerships" in history and mentor.display_name in history


def test_private_note_edit_and_delete_leave_no_trace_for_the_other_side(client, meeting, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    note = services.private_note_add(meeting=meeting, by=mentee, body="worried about Step 2")
    client.force_login(mentee)
    client.post(_edit_url("private-note", note.pk), {"body": "worried about Step 3"})
    assert PrivateNote.objects.get(pk=note.pk).body == "worried about Step 3"
    client.force_login(mentor)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "worried about" not in page
    client.force_login(mentee)
    client.post(_delete_url("private-note", note.pk))
    assert not PrivateNote.objects.filter(pk=note.pk).exists()


def test_action_item_edit_refuses_a_past_due_date_and_an_empty_text(client, meeting, cast):
    mentee = cast["mentee_a"]
    item = services.action_item_add(relationship=meeting.relationship, by=mentee, text="Ask for letters",
                                    owner_id=mentee.pk, due_on=timezone.localdate() + datetime.timedelta(days=5))
    with pytest.raises(ValidationError) as error:
        services.action_item_edit(item=item, by=mentee, text="Ask", due_on=datetime.date(2019, 1, 1))
    assert "due_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.action_item_edit(item=item, by=mentee, text="  ", due_on=item.due_on)
    client.force_login(mentee)
    response = client.post(_edit_url("action-item", item.pk), {"text": "Ask", "due_on": "2019-01-01"})
    assert response.status_code == 200 and "in the past" in response.content.decode()
    new_due = timezone.localdate() + datetime.timedelta(days=9)
    client.post(_edit_url("action-item", item.pk), {"text": "Ask two letter writers", "due_on": new_due.isoformat()})
    item.refresh_from_db()
    assert (item.text, item.due_on) == ("Ask two letter writers", new_due)


def test_api_edits_and_deletes_own_items_only(client, meeting, cast):
    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    agenda = services.agenda_item_add(meeting=meeting, by=mentee, text="Research year")
    note = services.shared_note_add(meeting=meeting, by=mentee, body="First draft")
    action = services.action_item_add(relationship=meeting.relationship, by=mentee, text="CV",
                                      owner_id=mentee.pk, due_on=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(mentor)
    for path, body in ((f"/api/mentoring/agenda-items/{agenda.pk}", {"text": "x"}),
                       (f"/api/mentoring/shared-notes/{note.pk}", {"body": "x"}),
                       (f"/api/mentoring/action-items/{action.pk}", {"text": "x"})):
        assert client.patch(path, json.dumps(body), content_type="application/json").status_code == 403, path
        assert client.delete(path).status_code == 403, path
    client.force_login(mentee)
    response = client.patch(f"/api/mentoring/agenda-items/{agenda.pk}", json.dumps({"text": "Research year plan"}),
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["text"] == "Research year plan"
    response = client.patch(f"/api/mentoring/action-items/{action.pk}", json.dumps({"due_on": "2019-05-01"}),
                            content_type="application/json")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    response = client.patch(f"/api/mentoring/shared-notes/{note.pk}", json.dumps({"body": "Second draft"}),
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["body"] == "Second draft"
    assert client.delete(f"/api/mentoring/shared-notes/{note.pk}").status_code == 204
    assert not SharedNote.objects.filter(pk=note.pk).exists()
    history = client.get(f"/api/mentoring/meetings/{meeting.pk}/changes").json()
    assert {entry["kind"] for entry in history} >= {"changed", "deleted"}
    assert all(entry["by_id"] == mentee.pk for entry in history)


def test_the_first_meeting_preparation_speaks_to_each_side(client, rel, cast):
    client.force_login(cast["mentor_a"])
    page = html.unescape(client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode())
    assert "Preparing for the first meeting" in page
    assert "your mentor's profile" not in page and "your mentee's profile" in page
    client.force_login(cast["mentee_a"])
    page = html.unescape(client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode())
    assert "your mentor's profile" in page and "your mentee's profile" not in page
