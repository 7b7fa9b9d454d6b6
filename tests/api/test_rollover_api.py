"""The academic-year rollover over the API: the preview, exceptions, the confirmation (a job to poll) and the
renewal answers, through the pages' plan, services and rules."""

import pytest

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from mentora.rollover.models import RelationshipRenewal, RolloverOverride


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


@pytest.mark.django_db
def test_preview_exception_and_confirmation(cast, client):
    client.force_login(cast["coordinator"])
    base = f"/api/rollover/programs/{cast['program'].slug}"
    preview = client.get(base).json()
    assert preview["from_year"] == current_academic_year() and preview["to_year"] == preview["from_year"] + 1
    assert preview["already_committed"] is False and preview["running_job_id"] is None
    steps = client.get(f"{base}/steps", {"role": "mentee"}).json()
    assert sorted(s["user_id"] for s in steps["items"]) == sorted([cast["mentee_a"].pk, cast["mentee_b"].pk])
    membership = Membership.objects.get(user=cast["mentee_a"], program=cast["program"],
                                        academic_year=current_academic_year())
    assert _post(client, f"{base}/overrides", {"membership_ids": [membership.pk], "action": "leave"}).json() == {
        "changed": 1}
    assert RolloverOverride.objects.get(membership=membership).action == "leave"
    step = next(s for s in client.get(f"{base}/steps").json()["items"] if s["membership_id"] == membership.pk)
    assert (step["action"], step["override"]) == ("leave", "leave")

    assert _post(client, f"{base}/commit", {"confirm": False}).status_code == 422
    queued = _post(client, f"{base}/commit", {"confirm": True})
    assert queued.status_code == 202
    assert queued["Location"] == f"/api/jobs/{queued.json()['id']}" and queued.json()["kind"] == "rollover"


@pytest.mark.django_db
def test_each_side_answers_its_renewal(cast, client):
    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    renewal = RelationshipRenewal.objects.create(relationship=relationship, academic_year=current_academic_year() + 1)
    client.force_login(cast["mentee_a"])
    url = f"/api/rollover/renewals/{renewal.pk}"
    assert client.get(url).json()["outcome"] == "pending"
    assert _post(client, f"{url}/answer", {"answer": "maybe"}).status_code == 422
    assert _post(client, f"{url}/answer", {"answer": "continue"}).json()["mentee_answer"] == "continue"
    client.force_login(cast["mentor_a"])
    assert _post(client, f"{url}/answer", {"answer": "continue"}).json()["outcome"] == "continue"
    client.force_login(cast["coordinator"])
    renewals = client.get(f"/api/rollover/programs/{cast['program'].slug}/renewals", {"outcome": "continue"}).json()
    assert [r["id"] for r in renewals["items"]] == [renewal.pk]
