import pytest
from django.test import TestCase

from mentora.relationships.models import Relationship
from tests.factories import MembershipFactory, ProgramFactory

from .test_services import setting  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def test_run_edit_publish_over_the_api(client, setting):  # noqa: F811
    client.force_login(setting["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/api/match-runs", {"program_id": setting["program"].pk, "algorithm": "stable"},
                               content_type="application/json")
    assert response.status_code == 202
    run_id = response.json()["id"]
    run = client.get(f"/api/match-runs/{run_id}").json()
    assert run["status"] == "ready" and len(run["pairs"]) == 4
    mentee_id = run["pairs"][0]["mentee_id"]
    edited = client.post(f"/api/match-runs/{run_id}/edit", {"action": "remove", "mentee_id": mentee_id},
                         content_type="application/json").json()
    assert len(edited["pairs"]) == 3
    bad = client.post(f"/api/match-runs/{run_id}/edit", {"action": "explode", "mentee_id": mentee_id},
                      content_type="application/json")
    assert bad.status_code == 400
    assert not Relationship.objects.exists()
    published = client.post(f"/api/match-runs/{run_id}/publish").json()
    assert published["status"] == "published"
    assert Relationship.objects.filter(source="batch_match").count() == 3


def test_a_coordinator_sees_only_their_programs_runs(client, setting):  # noqa: F811
    client.force_login(setting["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_id = client.post("/api/match-runs", {"program_id": setting["program"].pk},
                             content_type="application/json").json()["id"]
    other_program = ProgramFactory()
    outsider = MembershipFactory(program=other_program, role="coordinator", training_level="").user
    client.force_login(outsider)
    assert client.get("/api/match-runs").json()["count"] == 0
    assert client.get(f"/api/match-runs/{run_id}").status_code == 404
    assert client.post(f"/api/match-runs/{run_id}/publish").status_code == 404
    assert client.post("/api/match-runs", {"program_id": setting["program"].pk},
                       content_type="application/json").status_code == 403
    client.force_login(setting["mentees"][0])
    assert client.get(f"/api/match-runs/{run_id}").status_code == 404


def test_the_api_lists_the_conflict_pairs_kept_apart(client, setting):  # noqa: F811
    from mentora.conflicts.services import evaluating_role_declare

    mentee, mentor = setting["mentees"][0], setting["mentors"][0]
    evaluating_role_declare(mentor=mentor, role="ccc_member", mentee=mentee)
    client.force_login(setting["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_id = client.post("/api/match-runs", {"program_id": setting["program"].pk},
                             content_type="application/json").json()["id"]
    run = client.get(f"/api/match-runs/{run_id}").json()
    assert run["conflicts"] == [{"mentee_id": mentee.pk, "mentor_id": mentor.pk,
                                 "reasons": ["Clinical competency committee member for this mentee"]}]
    assert (mentee.pk, mentor.pk) not in {(p["mentee_id"], p["mentor_id"]) for p in run["pairs"]}
