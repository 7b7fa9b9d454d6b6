import pytest
from django.test import TestCase

from mentora.relationships.models import Relationship
from tests.background.queue import run_queued, use_db_queue
from tests.factories import MembershipFactory, ProgramFactory

from .test_services import setting  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def test_run_edit_publish_over_the_api(client, setting, settings):  # noqa: F811
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
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert not Relationship.objects.exists()
    use_db_queue(settings)  # the worker publishes, as in production
    with TestCase.captureOnCommitCallbacks(execute=True):  # queued when the request's transaction commits
        accepted = client.post(f"/api/match-runs/{run_id}/publish")
    assert accepted.status_code == 202, accepted.content
    job = accepted.json()
    assert job["status"] == "queued" and job["kind"] == "match_publish"
    assert job["status_url"] == f"/api/jobs/{job['id']}" and accepted["Location"] == job["status_url"]
    assert not Relationship.objects.exists()  # nothing published inside the request
    assert client.get(job["status_url"]).json()["status"] == "queued"
    again = client.post(f"/api/match-runs/{run_id}/publish")
    assert again.status_code == 202 and again.json()["id"] == job["id"]  # asking twice queues it once

    assert run_queued() >= 1
    done = client.get(job["status_url"]).json()
    assert done["status"] == "done" and done["progress"] == 100, done
    assert "3 relationships created" in " ".join(done["result"]["lines"])
    assert client.get(f"/api/match-runs/{run_id}").json()["status"] == "published"
    created = Relationship.objects.filter(source="batch_match")
    assert created.count() == 3
    assert {(r.mentee_id, r.mentor_id) for r in created} == {
        (p["mentee_id"], p["mentor_id"]) for p in edited["pairs"]}
    refused = client.post(f"/api/match-runs/{run_id}/publish")  # published: nothing more to publish
    assert refused.status_code == 409 and Relationship.objects.filter(source="batch_match").count() == 3


def test_the_publish_job_is_documented_in_the_openapi_schema(client, setting):  # noqa: F811
    client.force_login(setting["coordinator"])
    schema = client.get("/api/openapi.json").json()
    publish = schema["paths"]["/api/match-runs/{run_id}/publish"]["post"]
    assert set(publish["responses"]) >= {"202"} and "200" not in publish["responses"]
    job = publish["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"id", "status", "progress", "result", "status_url"} <= set(schema["components"]["schemas"][job]["properties"])
    assert "get" in schema["paths"]["/api/jobs/{job_id}"]


def test_a_job_is_seen_only_by_who_may_see_it(client, setting):  # noqa: F811
    from mentora.background.models import Job

    job = Job.objects.create(kind=Job.Kind.MATCH_PUBLISH, title="Publish", requested_by=setting["coordinator"],
                             program=setting["program"], task_path="mentora.batchmatch.tasks.match_publish_task")
    client.force_login(setting["coordinator"])
    assert client.get(f"/api/jobs/{job.pk}").json()["id"] == job.pk
    client.force_login(setting["mentees"][0])
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404
    assert client.get("/api/jobs/999999").status_code == 404


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
    evaluating_role_declare(by=mentor, role="ccc_member", mentee=mentee)
    client.force_login(setting["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_id = client.post("/api/match-runs", {"program_id": setting["program"].pk},
                             content_type="application/json").json()["id"]
    run = client.get(f"/api/match-runs/{run_id}").json()
    assert run["conflicts"] == [{"mentee_id": mentee.pk, "mentor_id": mentor.pk,
                                 "reasons": ["Clinical competency committee member for this mentee"],
                                 "kept_reason": None}]
    assert (mentee.pk, mentor.pk) not in {(p["mentee_id"], p["mentor_id"]) for p in run["pairs"]}


def test_the_api_lists_the_conflict_pairs_page_by_page(client, setting):  # noqa: F811
    """The run lists its first page of conflict pairs and their count; every pair, page by page, in the same
    order, at the run's conflicts endpoint (the pagination of every list)."""
    from mentora.batchmatch.selectors import CONFLICTS_PAGE_SIZE
    from mentora.conflicts.services import evaluating_role_declare
    from tests.directory.helpers import make_person

    mentees = list(setting["mentees"])
    for i in range(15):  # more than one page of pairs
        mentees.append(make_person(name=f"Other mentee {i:02d}"))
        MembershipFactory(user=mentees[-1], program=setting["program"], role="mentee")
    for mentor in setting["mentors"]:
        evaluating_role_declare(by=mentor, role="ccc_member", program=setting["program"])
    expected = sorted((mentee.pk, mentor.pk) for mentee in mentees for mentor in setting["mentors"])
    assert len(expected) > CONFLICTS_PAGE_SIZE
    client.force_login(setting["coordinator"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_id = client.post("/api/match-runs", {"program_id": setting["program"].pk},
                             content_type="application/json").json()["id"]
    run = client.get(f"/api/match-runs/{run_id}").json()
    assert run["conflicts_count"] == len(expected)
    first = [(c["mentee_id"], c["mentor_id"]) for c in run["conflicts"]]
    assert first == expected[:CONFLICTS_PAGE_SIZE]
    listed = []
    for offset in range(0, len(expected), 7):
        body = client.get(f"/api/match-runs/{run_id}/conflicts?limit=7&offset={offset}").json()
        assert body["count"] == len(expected)
        listed += [(c["mentee_id"], c["mentor_id"]) for c in body["items"]]
        assert all(c["reasons"] and c["kept_reason"] is None for c in body["items"])
    assert listed == expected
    assert client.get(f"/api/match-runs/{run_id}/conflicts?limit=500").status_code == 422
    client.force_login(setting["mentees"][0])
    assert client.get(f"/api/match-runs/{run_id}/conflicts").status_code == 404
