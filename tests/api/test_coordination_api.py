"""The coordinator's relationship actions, rematch queue, program health, feedback and survey, and a
mentor's overview, over the API: the same services as the pages, problem details for refusals."""

import pytest

from mentora.meetings.models import RematchRequest, SurveyForm
from mentora.notifications.models import Notification
from mentora.relationships.models import Relationship, RelationshipEvent


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


@pytest.mark.django_db
def test_a_coordinator_pairs_pauses_resumes_and_reassigns(cast, client):
    client.force_login(cast["coordinator"])
    response = _post(client, "/api/relationships", {
        "program_id": cast["program"].pk, "mentee_id": cast["mentee_b"].pk, "mentor_id": cast["mentor_a"].pk,
        "kind": "research", "reason": "Both work on heart failure"})
    assert response.status_code == 201, response.content
    paired = Relationship.objects.get(pk=response.json()["id"])
    assert (paired.mentee, paired.mentor, paired.source) == (cast["mentee_b"], cast["mentor_a"], "manual")
    assert Notification.objects.filter(user=cast["mentee_b"]).exists()

    again = _post(client, "/api/relationships", {
        "program_id": cast["program"].pk, "mentee_id": cast["mentee_b"].pk, "mentor_id": cast["mentor_a"].pk,
        "kind": "research", "reason": "Twice"})
    assert again.status_code in (409, 422) and again["Content-Type"] == "application/problem+json"

    assert _post(client, f"/api/relationships/{paired.pk}/pause", {"reason": "Leave"}).json()["status"] == "paused"
    assert _post(client, f"/api/relationships/{paired.pk}/pause", {"reason": "Twice"}).status_code == 409
    assert _post(client, f"/api/relationships/{paired.pk}/resume", {}).json()["status"] == "active"
    actions = list(RelationshipEvent.objects.filter(relationship=paired).values_list("action", flat=True))
    assert actions[-2:] == ["paused", "resumed"]

    from tests.factories import MembershipFactory, MentorOfferFactory

    mentor = MembershipFactory(program=cast["program"], role="mentor", training_level="faculty").user
    MentorOfferFactory(user=mentor)
    moved = _post(client, f"/api/relationships/{paired.pk}/reassign", {"mentor_id": mentor.pk, "reason": "Closer fit"})
    assert moved.status_code == 201
    assert moved.json()["mentor_id"] == mentor.pk and moved.json()["mentee_id"] == cast["mentee_b"].pk
    paired.refresh_from_db()
    assert paired.status == "closed"
    outsider = _post(client, f"/api/relationships/{moved.json()['id']}/reassign",
                     {"mentor_id": cast["other_mentor"].pk, "reason": "x"})
    assert outsider.status_code == 422
    assert outsider.json()["errors"][0]["location"] == "body.mentor_id"


@pytest.mark.django_db
def test_the_rematch_queue_handles_requests_once_and_nudges(cast, client):
    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    item = RematchRequest.objects.create(relationship=relationship, requested_by=cast["mentee_a"], reason="No time")
    client.force_login(cast["coordinator"])
    queue = client.get(f"/api/mentoring/programs/{cast['program'].pk}/rematch-requests").json()
    assert [(i["id"], i["reason"]) for i in queue["items"]] == [(item.pk, "No time")] and queue["count"] == 1
    assert _post(client, f"/api/mentoring/rematch-requests/{item.pk}/handle").status_code == 200
    assert _post(client, f"/api/mentoring/rematch-requests/{item.pk}/handle").status_code == 409
    assert client.get(f"/api/mentoring/programs/{cast['program'].pk}/rematch-requests").json()["count"] == 0

    nudged = _post(client, f"/api/mentoring/programs/{cast['program'].pk}/nudges",
                   {"relationship_ids": [relationship.pk], "message": "Time to meet"})
    assert nudged.json() == {"nudged": 1}
    assert Notification.objects.filter(user=cast["mentor_a"], body__contains="Time to meet").exists()
    empty = _post(client, f"/api/mentoring/programs/{cast['program'].pk}/nudges", {"relationship_ids": []})
    assert empty.status_code == 422


@pytest.mark.django_db
def test_health_attention_feedback_and_survey(cast, client):
    import datetime

    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(days=400)
    Relationship.objects.filter(mentee=cast["mentee_a"]).update(started_on=long_ago.date(), created_at=long_ago)
    client.force_login(cast["coordinator"])
    program = cast["program"].pk
    health = client.get(f"/api/mentoring/programs/{program}/health").json()
    assert health["lapsed"] == 1 and health["attention"] == 1
    attention = client.get(f"/api/mentoring/programs/{program}/attention?state=lapsed").json()
    assert attention["items"][0]["mentee_id"] == cast["mentee_a"].pk
    assert client.get(f"/api/mentoring/programs/{program}/attention?state=at_risk").json()["count"] == 0
    feedback = client.get(f"/api/mentoring/programs/{program}/feedback").json()
    assert feedback["mentee"]["enough"] is False and feedback["rates"]["mentee"]["percent"] is None

    saved = client.put(f"/api/mentoring/programs/{program}/survey", data={
        "questions": ["Is your mentor available?", "Do you feel heard?"], "every_months": 3},
        content_type="application/json")
    assert saved.status_code == 200
    assert [q["label"] for q in saved.json()["questions"]] == ["Is your mentor available?", "Do you feel heard?"]
    assert SurveyForm.objects.get(program_id=program).every_months == 3
    twice = client.put(f"/api/mentoring/programs/{program}/survey", data={
        "questions": ["Same?", "same?"], "every_months": 3}, content_type="application/json")
    assert twice.status_code == 422 and twice["Content-Type"] == "application/problem+json"
    assert client.put(f"/api/mentoring/programs/{program}/survey", data={"questions": ["x"], "every_months": 5},
                      content_type="application/json").status_code == 422


@pytest.mark.django_db
def test_my_mentees_lists_who_needs_me_first(cast, client):
    client.force_login(cast["mentor_a"])
    body = client.get("/api/mentoring/my-mentees").json()
    assert [row["mentee_id"] for row in body["items"]] == [cast["mentee_a"].pk]
    assert "no learning plan this year" in body["items"][0]["reasons"]
    client.force_login(cast["mentee_a"])
    assert client.get("/api/mentoring/my-mentees").status_code == 403
