"""A program's people and account invitations, and the background-work queue, over the API: the pages'
services and rules, problem details for refusals."""

import pytest

from mentora.dataio.models import AccountInvitation
from mentora.programs.models import Membership, MembershipInvitation
from tests.trust.matrix import Cast
from tests.trust.rows.background import _failed_task, _invitation


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


@pytest.mark.django_db
def test_people_of_a_program_and_adding_one_by_hand(cast, client):
    from mentora.core.academic_year import current_academic_year

    program = cast["program"].pk
    client.force_login(cast["coordinator"])
    people = client.get(f"/api/programs/{program}/people?role=mentee").json()
    assert sorted(p["user_id"] for p in people["items"]) == sorted([cast["mentee_a"].pk, cast["mentee_b"].pk])
    found = client.get(f"/api/programs/{program}/people", {"q": cast["mentor_a"].email}).json()
    assert [p["user_id"] for p in found["items"]] == [cast["mentor_a"].pk]

    year = current_academic_year()
    added = _post(client, f"/api/programs/{program}/people", {
        "email": "new.resident@example.org", "full_name": "New Resident", "role": "mentee",
        "training_level": "pgy1", "academic_year": year})
    assert added.status_code == 201 and added.json()["action"] == "create"
    assert Membership.objects.filter(program_id=program, user__email="new.resident@example.org").exists()
    asked = _post(client, f"/api/programs/{program}/people", {
        "email": cast["other_mentor"].email, "role": "mentor", "training_level": "faculty", "academic_year": year})
    assert asked.json()["action"] == "invite"
    assert MembershipInvitation.objects.filter(program_id=program, user=cast["other_mentor"]).exists()
    assert not Membership.objects.filter(program_id=program, user=cast["other_mentor"]).exists()
    invited = client.get(f"/api/programs/{program}/people/invited").json()
    assert [i["email"] for i in invited["items"]] == [cast["other_mentor"].email]
    bad = _post(client, f"/api/programs/{program}/people", {
        "email": "not-an-email", "role": "mentee", "academic_year": year})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert _post(client, f"/api/programs/{program}/people", {
        "email": "x@example.org", "role": "mentee", "academic_year": year - 5}).status_code == 422


@pytest.mark.django_db
def test_account_invitations_are_listed_and_sent_again(cast, client):
    invitation = _invitation(Cast(cast))
    client.force_login(cast["coordinator"])
    url = f"/api/programs/{cast['program'].pk}/account-invitations"
    listed = client.get(url, {"status": "failed"}).json()
    assert [(i["id"], i["error"]) for i in listed["items"]] == [(invitation.pk, "No such mailbox")]
    assert client.get(url, {"status": "accepted"}).json()["count"] == 0
    assert _post(client, f"{url}/resend", {}).status_code == 422
    assert _post(client, f"{url}/{invitation.pk}/resend").json() == {"resent": 1}
    assert AccountInvitation.objects.get(pk=invitation.pk).round == 2
    client.force_login(cast["other_coordinator"])
    assert _post(client, f"{url}/{invitation.pk}/resend").status_code == 403


@pytest.mark.django_db
def test_the_queue_for_site_admins(cast, client):
    task_id = _failed_task(Cast(cast))
    client.force_login(cast["admin"])
    assert client.get("/api/background/counts").json()["failed"] == 1
    failed = client.get("/api/background/tasks").json()
    assert failed["items"][0]["id"] == task_id and failed["items"][0]["retryable"] is True
    retried = _post(client, f"/api/background/tasks/{task_id}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    again = _post(client, f"/api/background/tasks/{task_id}/retry")
    assert again.status_code == 422
    assert _post(client, "/api/background/tasks/not-a-task/retry").status_code == 404
    assert _post(client, "/api/background/tasks/retry-failed").json() == {"retried": 0}
    client.force_login(cast["coordinator"])
    assert client.get("/api/background/tasks").status_code == 403
