import datetime
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.ilps import services
from mentora.ilps.models import Goal, LearningPlan


def goal_post(**overrides):
    data = {
        "statement": "Complete 10 supervised ultrasound-guided IV placements, logged in the procedure log",
        "measure": "10 logged placements", "target_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "domain": "patient_care", "priority": "standard",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"statement": ""}, "Write the goal"),
        ({"target_date": "2020-01-15"}, "is in the past"),
        ({"statement": "a" * 50_000}, "it has 50,000"),
        ({"why_it_matters": "b" * 50_000}, "it has 50,000"),
    ],
)
def test_goal_form_shows_a_clear_error_and_saves_nothing(client, plan_a, cast, overrides, message):
    client.force_login(cast["mentee_a"])
    before = Goal.objects.count()
    response = client.post(reverse("ilps:ilp_goal_create", args=[plan_a.pk]), goal_post(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="errorlist' in response.content.decode()
    assert Goal.objects.count() == before


def test_plan_form_refuses_a_50000_character_vision_and_creates_no_plan(client, cast):
    client.force_login(cast["mentee_b"])
    response = client.post(reverse("ilps:ilp_create"), {"career_vision": "v" * 50_000, "patient_care_strengths": "Calm"})
    assert response.status_code == 200 and "it has 50,000" in response.content.decode()
    assert not LearningPlan.objects.filter(mentee=cast["mentee_b"]).exists()


def test_plan_form_refuses_a_long_self_assessment_entry_and_keeps_the_plan_as_it_was(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    response = client.post(reverse("ilps:ilp_edit", args=[plan_a.pk]),
                           {"career_vision": "New vision", "professionalism_growth": "g" * 50_000})
    assert "it has 50,000" in response.content.decode()
    plan_a.refresh_from_db()
    assert plan_a.career_vision == "Academic cardiologist" and plan_a.self_assessment == {}


def test_mentee_creates_a_plan_with_self_assessment_and_adds_a_goal(client, cast):
    client.force_login(cast["mentee_b"])
    response = client.post(reverse("ilps:ilp_create"), {
        "career_vision": "Academic nephrologist", "medical_knowledge_growth": "Acid-base physiology",
        "licensing_visa_strengths": "J-1 waiver plan ready",
    })
    plan = LearningPlan.objects.get(mentee=cast["mentee_b"])
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.self_assessment["medical_knowledge"]["growth"] == "Acid-base physiology"
    response = client.post(reverse("ilps:ilp_goal_create", args=[plan.pk]), goal_post(priority="focus", is_stretch="on",
                                                                                   strategies="Ask the vascular team"))
    goal = plan.goals.get()
    assert goal.priority == "focus" and goal.is_stretch and goal.strategies == "Ask the vascular team"
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Acid-base physiology" in html and goal.statement in html and "Stretch goal" in html


def test_smart_coach_partial_reacts_to_statement_measure_and_date(client, cast):
    client.force_login(cast["mentee_a"])
    url = reverse("ilps:ilp_smart_check")
    vague = client.post(url, {"statement": "Understand heart failure better"}).content.decode()
    assert 'data-smart="false"' in vague and "smart-hint" in vague
    assert 'data-criterion="time_bound"' in vague
    # the same words with a target date filled in: time-bound no longer fails
    dated = client.post(url, {"statement": "Understand heart failure better",
                              "target_date": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()}
                        ).content.decode()
    assert vague.count("criterion-fail") > dated.count("criterion-fail")
    good = client.post(url, {"statement": "Complete 10 supervised ultrasound-guided IV placements by 31 March, "
                                          "logged in the procedure log"}).content.decode()
    assert 'data-smart="true"' in good
    assert "Start writing" in client.post(url, {"statement": "  "}).content.decode()
    assert client.get(url).status_code == 405


def test_smart_coach_needs_login(client):
    response = client.post(reverse("ilps:ilp_smart_check"), {"statement": "x"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("person", "status"),
    [("mentee_a", 200), ("mentor_a", 200), ("coordinator", 200), ("admin", 200),
     ("mentee_b", 403), ("other_mentor", 403), ("other_coordinator", 403)],
)
def test_who_sees_a_plan(client, plan_a, cast, person, status):
    client.force_login(cast[person])
    assert client.get(plan_a.get_absolute_url()).status_code == status
    assert client.get(reverse("ilps:ilp_pdf", args=[plan_a.pk])).status_code == status
    assert client.get(reverse("ilps:ilp_timeline", args=[plan_a.mentee_id])).status_code == status
    # The API answers a plan the caller may not see exactly like a missing one (404, not 403).
    assert client.get(f"/api/ilps/{plan_a.pk}").status_code == (404 if status == 403 else status)


@pytest.mark.parametrize("person", ["mentor_a", "coordinator", "mentee_b", "admin"])
def test_only_the_mentee_edits(client, plan_a, cast, person):
    client.force_login(cast[person])
    assert client.get(reverse("ilps:ilp_goal_create", args=[plan_a.pk])).status_code == 403
    assert client.post(reverse("ilps:ilp_goal_create", args=[plan_a.pk]), goal_post()).status_code == 403
    assert client.post(reverse("ilps:ilp_submit", args=[plan_a.pk])).status_code == 403
    assert plan_a.goals.count() == 1


def test_lists_show_each_role_only_their_plans(client, plan_a, cast, program):
    from tests.factories import MembershipFactory, RelationshipFactory

    plan_b = services.plan_create(mentee=cast["mentee_b"])
    outsider = MembershipFactory(program=cast["other_program"], role="mentee").user
    plan_c = services.plan_create(mentee=outsider)
    RelationshipFactory(mentee=outsider, mentor=cast["other_mentor"], program=cast["other_program"])
    expected = {
        "mentee_a": {plan_a.pk}, "mentee_b": {plan_b.pk}, "mentor_a": {plan_a.pk},
        "other_mentor": {plan_c.pk}, "coordinator": {plan_a.pk, plan_b.pk}, "other_coordinator": {plan_c.pk},
        "admin": {plan_a.pk, plan_b.pk, plan_c.pk},
    }
    for person, plans in expected.items():
        client.force_login(cast[person])
        assert {p["id"] for p in client.get("/api/ilps").json()} == plans, person
        page = client.get(reverse("ilps:ilp_list")).content.decode()
        for plan in (plan_a, plan_b, plan_c):
            assert (plan.get_absolute_url() in page) == (plan.pk in plans), (person, plan.pk)


def test_mentor_comments_and_signs_off_through_the_pages(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    client.post(reverse("ilps:ilp_submit", args=[plan_a.pk]))
    goal = plan_a.goals.get()
    client.force_login(cast["mentor_a"])
    client.post(reverse("ilps:ilp_comment_create", args=[goal.pk]), {"body": "Submit the abstract early."})
    response = client.post(reverse("ilps:ilp_sign_off", args=[plan_a.pk]), {"note": "Agreed at our meeting"})
    assert response.status_code == 302
    html = client.get(plan_a.get_absolute_url()).content.decode()
    assert "Submit the abstract early." in html
    assert "Signed off" in html and cast["mentor_a"].display_name in html
    client.force_login(cast["other_mentor"])
    assert client.post(reverse("ilps:ilp_sign_off", args=[plan_a.pk])).status_code == 403


def _zone_of(person) -> zoneinfo.ZoneInfo:
    """The person's time zone (their profile's): pages show and read dates in it."""
    return zoneinfo.ZoneInfo(person.profile.time_zone)


def _today_of(person) -> datetime.date:
    return timezone.localdate(timezone=_zone_of(person))


def test_review_page_records_decisions(client, plan_a, cast):
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    goal = plan_a.goals.get()
    client.force_login(cast["mentor_a"])
    url = reverse("ilps:ilp_review", args=[plan_a.pk])
    held_on = _today_of(cast["mentor_a"]).isoformat()  # the mentor's date: a review cannot be held tomorrow
    assert client.get(url).status_code == 200
    response = client.post(url, {f"goal_{goal.pk}_outcome": "revised", f"goal_{goal.pk}_reason": "",
                                 f"goal_{goal.pk}_statement": "Present three case reports by 30 April",
                                 f"goal_{goal.pk}_target_date": goal.target_date.isoformat(),
                                 "held_on": held_on})
    assert response.status_code == 200 and "Say why" in response.content.decode()
    response = client.post(url, {f"goal_{goal.pk}_outcome": "revised", f"goal_{goal.pk}_reason": "More cases seen",
                                 f"goal_{goal.pk}_statement": "Present three case reports by 30 April",
                                 f"goal_{goal.pk}_measure": goal.measure,
                                 f"goal_{goal.pk}_target_date": goal.target_date.isoformat(),
                                 "held_on": held_on, "sign_off": "on"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.statement == "Present three case reports by 30 April" and goal.version == 2
    html = client.get(plan_a.get_absolute_url()).content.decode()
    assert "Earlier versions (1)" in html and "More cases seen" in html
    client.force_login(cast["coordinator"])
    assert client.get(url).status_code == 403


def test_pdf_contains_the_goals_and_the_sign_off(client, plan_a, cast):
    from pypdf import PdfReader

    services.goal_create(plan=plan_a, by=cast["mentee_a"], data={
        "statement": "Pass USMLE Step 3 with a score above 220 by 30 June", "measure": "Score report",
        "target_date": timezone.localdate() + datetime.timedelta(days=200), "domain": "licensing_visa",
    })
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    plan_a.refresh_from_db()
    client.force_login(cast["mentee_a"])
    response = client.get(reverse("ilps:ilp_pdf", args=[plan_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Present two case reports at the regional ACP meeting by 30 April" in text
    assert "Pass USMLE Step 3 with a score above 220 by 30 June" in text
    assert f"Signed off by {cast['mentor_a'].display_name}" in text
    # Dates are shown in the reader's time zone (the mentee's profile), not the server's.
    assert f"{timezone.localtime(plan_a.approved_at, _zone_of(cast['mentee_a'])):%-d %B %Y}" in text


def test_pdf_of_an_unsigned_plan_says_so(client, plan_a, cast):
    from pypdf import PdfReader

    client.force_login(cast["mentee_a"])
    response = client.get(reverse("ilps:ilp_pdf", args=[plan_a.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Not signed off" in text and "Signed off by" not in text


def _busy_goal(plan, cast, i):
    goal = services.goal_create(plan=plan, by=cast["mentee_a"], data={
        "statement": f"Lead {i + 2} journal clubs by May", "target_date": timezone.localdate() + datetime.timedelta(days=40),
        "domain": "medical_knowledge"})
    services.progress_record(goal=goal, by=cast["mentee_a"], percent_done=10)
    services.goal_update(goal=goal, by=cast["mentee_a"], data={"measure": "Sign-in sheets"})
    services.goal_comment_add(goal=goal, author=cast["mentor_a"], body="Good")
    services.milestone_add(plan=plan, by=cast["mentee_a"], title=f"Milestone {i}", due_on=timezone.localdate())


def test_plan_page_query_count_does_not_grow_with_goals(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    url = plan_a.get_absolute_url()
    _busy_goal(plan_a, cast, 0)
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(1, 7):
        _busy_goal(plan_a, cast, i)
        services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_dashboards_show_the_ilp_pieces(client, plan_a, cast):
    client.force_login(cast["mentee_a"])
    html = client.get("/").content.decode()
    assert 'data-piece="ilp-mentee"' in html and "Open my plan" in html
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    client.force_login(cast["mentor_a"])
    html = client.get("/").content.decode()
    assert 'data-piece="ilp-mentor"' in html and plan_a.get_absolute_url() in html
    client.force_login(cast["coordinator"])
    html = client.get("/").content.decode()
    assert 'data-piece="ilp-coordinator"' in html and "without an approved ILP" in html
    client.force_login(cast["mentee_b"])
    assert "Start my learning plan" in client.get("/").content.decode()


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_dashboard_query_count_does_not_grow_with_plans(client, demo_network, role):
    from django.core.cache import cache

    from mentora.core.demo import DEMO_LOGINS
    from mentora.programs.models import Program
    from mentora.relationships.models import Relationship
    from tests.factories import MembershipFactory, RelationshipFactory

    client.login(email=DEMO_LOGINS[role], password="mentora-demo")
    client.get("/")
    cache.clear()  # both sizes measured cold: the coordinator's counts are cached under the data version
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    program = Program.objects.get(memberships__user__email=DEMO_LOGINS["coordinator"])
    mentor = Relationship.objects.filter(mentor__email=DEMO_LOGINS["mentor"]).first().mentor
    for i in range(8):
        mentee = MembershipFactory(program=program, role="mentee").user
        RelationshipFactory(mentee=mentee, mentor=mentor, program=program, kind="research")
        plan = services.plan_create(mentee=mentee)
        services.goal_create(plan=plan, by=mentee, data={"statement": f"Write {i + 1} abstracts by May",
                                                         "target_date": timezone.localdate(), "domain": "research"})
        services.plan_submit(plan=plan, by=mentee)
        if i % 2:
            services.plan_sign_off(plan=plan, mentor=mentor)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get("/")
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
