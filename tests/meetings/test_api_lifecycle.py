"""The mentoring lifecycle through the API, with the services and rules of the pages."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from mentora.meetings.models import ActionItem, Agreement, Meeting, Message, SurveyResponse
from mentora.relationships.models import Relationship


def _rel(cast) -> Relationship:
    return Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])


def _post(client, path, data=None, method="post"):
    return getattr(client, method)(f"/api{path}", data=data or {}, content_type="application/json")


@pytest.mark.django_db
def test_agreement_meetings_messages_feedback_and_close(cast, client):
    relationship = _rel(cast)
    base = f"/mentoring/relationships/{relationship.pk}"
    client.force_login(cast["mentor_a"])
    assert client.get(f"/api{base}/agreement").status_code == 404  # none yet
    written = _post(client, f"{base}/agreement", {"kind": "career", "goals": "Fellowship application",
                                                 "cadence_days": 30, "modes": ["video"]}, method="put")
    assert written.status_code == 200, written.content
    assert written.json()["mentor_confirmed"] and not written.json()["mentee_confirmed"]

    client.force_login(cast["mentee_a"])
    assert _post(client, f"{base}/agreement/confirm").json()["mentee_confirmed"] is True
    assert Agreement.objects.get(relationship=relationship).mentee_confirmed_at is not None
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=4)
    proposal = _post(client, f"{base}/proposals", {"times": [soon.isoformat(), (soon + datetime.timedelta(days=1)).isoformat()],
                                                   "time_zone": "Europe/London"})
    assert proposal.status_code == 201, proposal.content
    times = proposal.json()["times"]

    client.force_login(cast["mentor_a"])
    meeting = _post(client, f"/mentoring/proposals/{proposal.json()['id']}/accept", {"time_id": times[1]["id"]})
    assert meeting.status_code == 201, meeting.content
    meeting_id = meeting.json()["id"]
    assert _post(client, f"/mentoring/meetings/{meeting_id}/agenda", {"text": "Personal statement"}).status_code == 201
    assert _post(client, f"/mentoring/meetings/{meeting_id}/notes", {"body": "Outline agreed"}).status_code == 201
    assert _post(client, f"/mentoring/meetings/{meeting_id}/rsvp", {"response": "yes"}).json()["response"] == "yes"
    item = _post(client, f"{base}/action-items", {"text": "Draft the statement", "owner_id": cast["mentee_a"].pk,
                                                 "due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
                                                 "meeting_id": meeting_id})
    assert item.status_code == 201, item.content
    detail = client.get(f"/api/mentoring/meetings/{meeting_id}").json()
    assert [a["text"] for a in detail["agenda"]][-1] == "Personal statement"
    assert detail["action_items"][0]["text"] == "Draft the statement"
    # A meeting cannot be marked held before it starts: the service's message as a problem.
    early = _post(client, f"/mentoring/meetings/{meeting_id}/status", {"status": "held"})
    assert early.status_code == 422
    assert early["Content-Type"] == "application/problem+json"
    assert "once it has started" in early.json()["detail"]
    Meeting.objects.filter(pk=meeting_id).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
    assert _post(client, f"/mentoring/meetings/{meeting_id}/status", {"status": "held"}).json()["status"] == "held"

    client.force_login(cast["mentee_a"])
    assert _post(client, f"/mentoring/action-items/{item.json()['id']}/done", {"done": True}).json()["done"] is True
    assert ActionItem.objects.get().done_at is not None
    assert _post(client, f"{base}/messages", {"body": "Thank you!"}).status_code == 201
    listed = client.get(f"/api{base}/messages").json()
    assert listed["count"] == 1 and listed["items"][0]["body"] == "Thank you!"
    assert _post(client, f"{base}/close", {"reason": " "}).status_code == 422
    closed = _post(client, f"{base}/close", {"reason": "Application sent"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert _post(client, f"{base}/messages", {"body": "One more"}).status_code == 403  # closed: as on the page
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_feedback_survey_answers_the_programs_questions(cast, client):
    from mentora.meetings.selectors import survey_questions

    relationship = _rel(cast)
    key = survey_questions(program_id=relationship.program_id)[0]["key"]
    client.force_login(cast["mentee_a"])
    answered = _post(client, f"/mentoring/relationships/{relationship.pk}/feedback", {"ratings": {key: 6}})
    assert answered.status_code == 201, answered.content
    assert SurveyResponse.objects.get().ratings == {key: 6}
    again = _post(client, f"/mentoring/relationships/{relationship.pk}/feedback", {"ratings": {key: 5}})
    assert again.status_code == 422
    assert "already answered" in again.content.decode()


@pytest.mark.django_db
def test_a_persons_relationships_are_listed_with_filters(cast, client):
    client.force_login(cast["coordinator"])
    mine = client.get("/api/mentoring/relationships").json()
    assert mine["count"] == 0
    theirs = client.get(f"/api/mentoring/relationships?person_id={cast['mentor_a'].pk}&role=mentor&status=active").json()
    assert [r["id"] for r in theirs["items"]] == [_rel(cast).pk]
    assert client.get(f"/api/mentoring/relationships?person_id={cast['mentor_a'].pk}&role=mentee").json()["count"] == 0
    client.force_login(cast["other_coordinator"])
    assert client.get(f"/api/mentoring/relationships?person_id={cast['mentor_a'].pk}").json()["count"] == 0


@pytest.mark.django_db
def test_pause_and_rematch(cast, client):
    relationship = _rel(cast)
    client.force_login(cast["mentee_a"])
    assert _post(client, f"/mentoring/relationships/{relationship.pk}/rematch", {"reason": "Other field"}).status_code == 201
    assert _post(client, f"/mentoring/relationships/{relationship.pk}/pause").json()["status"] == "paused"
    client.force_login(cast["coordinator"])  # staff oversee, they do not act
    assert _post(client, f"/mentoring/relationships/{relationship.pk}/close", {"reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_notifications_and_preferences(cast, client):
    from mentora.notifications.services import notify

    first = notify(user=cast["mentee_a"], kind="request_answered", key="a", title="First")
    notify(user=cast["mentee_a"], kind="request_answered", key="b", title="Second")
    client.force_login(cast["mentee_a"])
    assert client.get("/api/notifications?unread=true").json()["count"] == 2
    assert _post(client, f"/notifications/{first.pk}/read").json() == {"marked_read": 1}
    assert [n["title"] for n in client.get("/api/notifications?unread=true").json()["items"]] == ["Second"]
    assert _post(client, "/notifications/read-all").json() == {"marked_read": 1}
    saved = _post(client, "/notifications/preferences", {"deliveries": {"request_answered": "digest"}}, method="put")
    assert {p["kind"]: p["delivery"] for p in saved.json()}["request_answered"] == "digest"
    refused = _post(client, "/notifications/preferences", {"deliveries": {"no_such": "email"}}, method="put")
    assert refused.status_code == 422


@pytest.mark.django_db
def test_calendar_feed_on_new_address_and_off(cast, client):
    client.force_login(cast["mentee_a"])
    assert client.get("/api/mentoring/calendar-feed").json() == {"enabled": False, "url": None}
    first = _post(client, "/mentoring/calendar-feed").json()["url"]
    assert _post(client, "/mentoring/calendar-feed").json()["url"] == first
    second = _post(client, "/mentoring/calendar-feed?replace=true").json()["url"]
    assert second != first
    assert client.get(urlsplit(first).path).status_code == 404  # the old address stopped working
    assert client.get(urlsplit(second).path).status_code == 200
    assert _post(client, "/mentoring/calendar-feed", method="delete").json() == {"enabled": False, "url": None}
