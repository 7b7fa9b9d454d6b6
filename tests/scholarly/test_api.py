"""Scholarly projects through the API: the boards' filters, create, edit, move, with the pages' rules."""

import pytest

from mentora.scholarly.models import ScholarlyProject


def _send(client, method, path, data):
    return getattr(client, method)(f"/api/scholarly/projects{path}", data=data, content_type="application/json")


@pytest.mark.django_db
def test_a_mentor_starts_edits_and_moves_a_project(cast, client):
    client.force_login(cast["mentor_a"])
    created = _send(client, "post", "", {"mentee_id": cast["mentee_a"].pk, "title": "Sepsis bundle audit",
                                         "kind": "quality_improvement", "mentor_ids": [cast["mentor_a"].pk]})
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["owner_ids"] == [cast["mentee_a"].pk] and project["stage"] == "idea"
    assert project["program_id"] == cast["program"].pk
    changed = _send(client, "put", f"/{project['id']}", {"title": "Sepsis bundle audit, two sites",
                                                        "kind": "quality_improvement",
                                                        "mentor_ids": [cast["mentor_a"].pk]})
    assert changed.json()["title"] == "Sepsis bundle audit, two sites"
    moved = _send(client, "post", f"/{project['id']}/move", {"stage": "proposal"})
    assert moved.status_code == 200, moved.content
    moved = moved.json()
    assert [(h["from_stage"], h["to_stage"]) for h in moved["history"]] == [("", "idea"), ("idea", "proposal")]
    client.force_login(cast["coordinator"])
    listed = client.get(f"/api/scholarly/projects?program_id={cast['program'].pk}&stage=proposal").json()
    assert [p["id"] for p in listed["items"]] == [project["id"]]
    assert client.get("/api/scholarly/projects?stage=idea").json()["count"] == 0


@pytest.mark.django_db
def test_refusals(cast, client):
    client.force_login(cast["mentor_a"])
    not_theirs = _send(client, "post", "", {"mentee_id": cast["mentee_a"].pk, "title": "X", "kind": "case_report",
                                            "mentor_ids": [cast["other_mentor"].pk]})
    assert not_theirs.status_code == 422  # not a mentor of this mentee
    empty = _send(client, "post", "", {"mentee_id": cast["mentee_a"].pk, "title": " ", "kind": "case_report"})
    assert empty.status_code == 422 and empty["Content-Type"] == "application/problem+json"
    client.force_login(cast["other_mentor"])
    assert _send(client, "post", "", {"mentee_id": cast["mentee_a"].pk, "title": "X",
                                      "kind": "case_report"}).status_code == 403
    assert not ScholarlyProject.objects.exists()
