import json

import pytest

from mentora.conflicts.models import ConflictPolicy, EvaluatingRole
from mentora.conflicts.services import evaluating_role_declare


@pytest.mark.django_db
def test_mentor_declares_and_removes_a_role_on_the_page(client, cast):
    client.force_login(cast["mentor_a"])
    page = client.get("/conflicts/roles/")
    assert page.status_code == 200 and b"No evaluating roles declared" in page.content
    response = client.post("/conflicts/roles/", {"role": "ccc_member", "program": cast["program"].pk})
    assert response.status_code == 302
    role = EvaluatingRole.objects.get(mentor=cast["mentor_a"])
    assert role.program == cast["program"]
    # Both a program and a mentee: a form error, nothing written.
    bad = client.post("/conflicts/roles/", {"role": "ccc_member", "program": cast["program"].pk,
                                            "mentee": cast["mentee_b"].pk})
    assert bad.status_code == 200 and b"either a program or one mentee" in bad.content
    assert EvaluatingRole.objects.count() == 1
    client.force_login(cast["other_mentor"])
    assert client.post(f"/conflicts/roles/{role.pk}/remove/").status_code == 403
    client.force_login(cast["mentor_a"])
    assert client.post(f"/conflicts/roles/{role.pk}/remove/").status_code == 302
    assert not EvaluatingRole.objects.exists()


@pytest.mark.django_db
def test_mentee_only_may_not_declare_roles(client, cast):
    client.force_login(cast["mentee_b"])
    assert client.get("/conflicts/roles/").status_code == 403


@pytest.mark.django_db
def test_policy_page_only_for_the_programs_coordinator(client, cast):
    url = f"/conflicts/programs/{cast['program'].slug}/policy/"
    evaluating_role_declare(by=cast["mentor_a"], role="ccc_member", program=cast["program"])
    client.force_login(cast["other_coordinator"])
    assert client.get(url).status_code == 403
    client.force_login(cast["coordinator"])
    page = client.get(url)
    # mentor_a mentors mentee_a in the cast: that relationship is flagged.
    assert page.status_code == 200 and cast["mentee_a"].display_name.encode() in page.content
    assert client.post(url, {"forbid_evaluator_pairs": "on"}).status_code == 302
    assert ConflictPolicy.objects.get(program=cast["program"]).forbid_evaluator_pairs


@pytest.mark.django_db
def test_api_check_and_roles(client, cast):
    client.force_login(cast["mentor_a"])
    created = client.post("/api/conflicts/roles", json.dumps({"role": "rotation_evaluator",
                          "mentee_id": cast["mentee_b"].pk}), content_type="application/json")
    assert created.status_code == 201, created.content
    bad = client.post("/api/conflicts/roles", json.dumps({"role": "rotation_evaluator"}),
                      content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    check_url = f"/api/conflicts/check?mentor_id={cast['mentor_a'].pk}&mentee_id={cast['mentee_b'].pk}"
    body = client.get(check_url).json()
    assert body["conflicts"][0]["role"] == "rotation_evaluator" and body["forbidden"] is False
    client.force_login(cast["mentee_b"])
    assert client.get(check_url).status_code == 200
    client.force_login(cast["other_mentor"])
    assert client.get(check_url).status_code == 403
    client.force_login(cast["coordinator"])
    assert client.get(check_url).status_code == 200
    put = client.put(f"/api/conflicts/programs/{cast['program'].slug}/policy",
                     json.dumps({"forbid_evaluator_pairs": True}), content_type="application/json")
    assert put.status_code == 200 and put.json()["forbid_evaluator_pairs"] is True
    assert client.get(check_url).json()["forbidden"] is True
    client.force_login(cast["other_coordinator"])
    assert client.put(f"/api/conflicts/programs/{cast['program'].slug}/policy",
                      json.dumps({"forbid_evaluator_pairs": False}),
                      content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_profile_page_warns_a_mentee_about_their_evaluator(client, cast):
    evaluating_role_declare(by=cast["other_mentor"], role="rotation_evaluator", mentee=cast["mentee_b"])
    client.force_login(cast["mentee_b"])
    page = client.get(f"/people/{cast['other_mentor'].pk}/")
    assert page.status_code == 200 and b"Conflict of interest" in page.content
    assert b"Rotation evaluator" in page.content
    client.force_login(cast["mentee_a"])
    assert b"Conflict of interest" not in client.get(f"/people/{cast['other_mentor'].pk}/").content
