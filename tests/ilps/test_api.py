import datetime

from django.utils import timezone

from mentora.ilps.models import Goal, LearningPlan


def future(days=90):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_smart_check_endpoint_gives_the_coach_verdict(client, cast):
    client.force_login(cast["mentee_a"])
    body = client.post("/api/ilps/smart-check", {"statement": "Understand heart failure better"},
                       content_type="application/json").json()
    assert set(body) == {"specific", "measurable", "achievable", "relevant", "time_bound", "smart"}
    assert body["smart"] is False and body["time_bound"]["ok"] is False and body["time_bound"]["hint"]
    dated = client.post("/api/ilps/smart-check", {"statement": "Understand heart failure better",
                                                  "target_date": future()}, content_type="application/json").json()
    assert dated["time_bound"] == {"ok": True, "hint": ""}
    assert client.post("/api/ilps/smart-check", {"statement": "x" * 50_000},
                       content_type="application/json").status_code == 422


def test_mentee_drafts_submits_and_mentor_signs_off_through_the_api(client, cast):
    client.force_login(cast["mentee_b"])
    response = client.post("/api/ilps", {"career_vision": "Academic hospitalist",
                                         "self_assessment": {"professionalism": {"strengths": "Reliable"}}},
                           content_type="application/json")
    assert response.status_code == 201
    plan_id = response.json()["id"]
    response = client.post(f"/api/ilps/{plan_id}/goals", {
        "statement": "Lead 4 resident morning reports by 31 March", "measure": "4 reports led",
        "target_date": future(), "domain": "interpersonal_communication"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["smart"]["time_bound"]["ok"] is True
    goal_id = response.json()["id"]
    assert client.post(f"/api/ilps/{plan_id}/submit").json()["status"] == "submitted"
    # the mentee cannot sign off their own plan
    assert client.post(f"/api/ilps/{plan_id}/sign-off", {}, content_type="application/json").status_code == 403
    from tests.factories import RelationshipFactory

    RelationshipFactory(mentee=cast["mentee_b"], mentor=cast["mentor_a"], program=cast["program"], kind="research")
    client.force_login(cast["mentor_a"])
    assert client.post(f"/api/ilps/goals/{goal_id}/comments", {"body": "Good"},
                       content_type="application/json").status_code == 201
    signed = client.post(f"/api/ilps/{plan_id}/sign-off", {"note": "Agreed"}, content_type="application/json").json()
    assert signed["status"] == "approved" and signed["approved_by"] == cast["mentor_a"].display_name
    detail = client.get(f"/api/ilps/{plan_id}").json()
    assert detail["sign_offs"][0]["note"] == "Agreed" and detail["goals"][0]["comments"][0]["body"] == "Good"
    # a change after sign-off reopens it, and the goal's history shows the earlier version
    client.force_login(cast["mentee_b"])
    changed = client.patch(f"/api/ilps/goals/{goal_id}", {"measure": "5 reports led"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    detail = client.get(f"/api/ilps/{plan_id}").json()
    assert detail["status"] == "submitted" and detail["sign_offs"][0]["reopened_at"] is not None
    assert detail["goals"][0]["versions"][0]["measure"] == "4 reports led"


def test_api_bad_goal_is_a_problem_response_and_writes_nothing(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    for payload, location in (
        ({"statement": "", "target_date": future(), "domain": "research"}, "body.statement"),
        ({"statement": "Read 5 papers by May", "target_date": "2020-01-01", "domain": "research"}, "body.target_date"),
        ({"statement": "r" * 50_000, "target_date": future(), "domain": "research"}, "body.statement"),
    ):
        response = client.post(f"/api/ilps/{plan_a.pk}/goals", payload, content_type="application/json")
        assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
        assert location in {e["location"] for e in response.json()["errors"]}
    assert Goal.objects.filter(plan=plan_a).count() == 1


def test_api_permissions_match_the_pages(client, plan_a, cast):
    goal = plan_a.goals.get()
    client.force_login(cast["mentee_b"])  # may not see it: answered like a missing plan
    assert client.get(f"/api/ilps/{plan_a.pk}").status_code == 404
    assert client.patch(f"/api/ilps/goals/{goal.pk}", {"measure": "x"}, content_type="application/json").status_code == 404
    client.force_login(cast["coordinator"])  # sees, but may not write
    assert client.get(f"/api/ilps/{plan_a.pk}").status_code == 200
    assert client.patch(f"/api/ilps/goals/{goal.pk}", {"measure": "x"}, content_type="application/json").status_code == 403
    assert client.post(f"/api/ilps/goals/{goal.pk}/progress", {"percent_done": 50},
                       content_type="application/json").status_code == 403
    client.logout()
    assert client.get("/api/ilps").status_code == 401


def test_second_plan_for_the_same_year_is_refused(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    response = client.post("/api/ilps", {}, content_type="application/json")
    assert response.status_code == 422
    assert LearningPlan.objects.filter(mentee=cast["mentee_a"]).count() == 1


def test_progress_through_the_api(client, plan_a, cast):
    goal = plan_a.goals.get()
    client.force_login(cast["mentee_a"])
    assert client.post(f"/api/ilps/goals/{goal.pk}/progress", {"percent_done": 120},
                       content_type="application/json").status_code == 422
    assert client.post(f"/api/ilps/goals/{goal.pk}/progress", {"percent_done": 30, "note": "Abstract drafted"},
                       content_type="application/json").status_code == 201
    services_goal = client.get(f"/api/ilps/{plan_a.pk}").json()["goals"][0]
    assert services_goal["percent_done"] == 30 and services_goal["status"] == "in_progress"


def test_mentor_asks_for_changes_on_a_goal_through_the_api_and_the_mentee_sees_them(client, cast):
    from mentora.ilps import services

    mentee, mentor = cast["mentee_a"], cast["mentor_a"]
    plan = services.plan_create(mentee=mentee, career_vision="Academic cardiology.")
    goal = services.goal_create(plan=plan, by=mentee, data={"statement": "Get better at research",
                                                            "target_date": timezone.localdate()
                                                            + datetime.timedelta(days=90), "domain": "research"})
    path = f"/api/ilps/goals/{goal.pk}/change-requests"
    client.force_login(mentor)
    early = client.post(path, {"comment": "Say which study"}, content_type="application/json")
    assert early.status_code == 422 and "sign-off" in early.json()["detail"]  # the plan is not submitted yet
    services.plan_submit(plan=plan, by=mentee)
    assert client.post(path, {"comment": "  "}, content_type="application/json").status_code == 422
    response = client.post(path, {"comment": "Say which study, which journal, and by when."},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["comment"] == "Say which study, which journal, and by when."
    assert response.json()["open"] is True and response.json()["requested_by"] == mentor.display_name
    client.force_login(mentee)
    assert client.post(path, {"comment": "Me too"}, content_type="application/json").status_code == 403
    detail = client.get(f"/api/ilps/{plan.pk}").json()
    asked = detail["goals"][0]["change_requests"]
    assert [(c["comment"], c["open"]) for c in asked] == [("Say which study, which journal, and by when.", True)]
