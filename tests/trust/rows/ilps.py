"""Learning plans: pages and API. A's plan: A writes it, A's mentor reviews and signs it off, the
coordinator of A's program reads it, the admin reads it; nobody else sees it."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.ilps.models import Goal, LearningPlan, Milestone
from tests.trust.matrix import Row

VISION = "Vision probe of mentee A 4K"


def _future() -> str:
    return (timezone.localdate() + datetime.timedelta(days=90)).isoformat()


def _plan(c, *, submitted: bool = False) -> LearningPlan:
    """A's plan with one goal, written straight to the tables (rules are switched off by the mutation check)."""
    plan = LearningPlan.objects.create(
        mentee=c.mentee_a, program=c.program, academic_year=current_academic_year(), career_vision=VISION,
        status="submitted" if submitted else "draft", submitted_at=timezone.now() if submitted else None)
    Goal.objects.create(plan=plan, statement="Present two case reports at the regional ACP meeting by 30 April",
                        target_date=timezone.localdate() + datetime.timedelta(days=90), domain="research")
    return plan


def _goal(c, **kwargs) -> int:
    return _plan(c, **kwargs).goals.get().pk


def _milestone(c) -> int:
    return Milestone.objects.create(plan=_plan(c), title="Step 3", due_on=timezone.localdate()).pk


def _plan_url(name, **kwargs):
    return lambda c: reverse(name, args=[_plan(c, **kwargs).pk])


def _goal_url(name, **kwargs):
    return lambda c: reverse(name, args=[_goal(c, **kwargs)])


GOAL_FORM = {"statement": "Read 12 landmark trials by June", "target_date": _future(), "domain": "medical_knowledge",
             "priority": "standard"}
LISTED = lambda c: LearningPlan.objects.get(mentee=c.mentee_a).get_absolute_url()  # noqa: E731

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("ilps:ilp_list", lambda c: (_plan(c), reverse("ilps:ilp_list"))[1], probe=LISTED, note="A's plan listed",
        expect="login 200+  200-  200+  200-  200+  200-  200-  200+"),
    Row("ilps:ilp_create", lambda c: reverse("ilps:ilp_create"),
        "login 200   200   200   200   200   200   200   200"),
    Row("ilps:ilp_create", lambda c: reverse("ilps:ilp_create"), method="POST", data={"career_vision": "Mine"},
        note="everyone starts their own plan", expect="login 302   302   302   302   302   302   302   302"),
    Row("ilps:ilp_smart_check", lambda c: reverse("ilps:ilp_smart_check"), method="POST", data={"statement": "Read more"},
        expect="login 200   200   200   200   200   200   200   200"),
    Row("ilps:ilp_smart_check", lambda c: reverse("ilps:ilp_smart_check"),
        "login 405   405   405   405   405   405   405   405"),
    Row("ilps:ilp_timeline_me", lambda c: reverse("ilps:ilp_timeline_me"),
        "login 200   200   200   200   200   200   200   200"),
    Row("ilps:ilp_timeline", lambda c: (_plan(c), reverse("ilps:ilp_timeline", args=[c.mentee_a.pk]))[1],
        "login 200   403   200   403   200   403   403   200"),
    # The network's coordinators are sent to the program's figures (its dashboard's ILP section).
    Row("ilps:ilp_compliance", lambda c: reverse("ilps:ilp_compliance") + f"?program={c.program.pk}",
        "login 403   403   403   403   200   403   302   200"),
    Row("ilps:ilp_compliance", lambda c: reverse("ilps:ilp_compliance") + f"?program={c.program.pk}&export=csv",
        probe=lambda c: c.mentee_a.full_name, note="CSV export",
        expect="login 403   403   403   403   200+  403   302   200+"),
    Row("ilps:ilp_compliance", lambda c: reverse("ilps:ilp_compliance") + f"?program={c.other_program.pk}",
        note="a program outside the network", expect="login 403   403   403   403   403   200   403   200"),
    Row("ilps:ilp_compliance", lambda c: reverse("ilps:ilp_compliance") + f"?program={c.program.pk}", method="POST",
        data=lambda c: {"shown": [c.mentee_a.pk], "picked": [c.mentee_a.pk], "action": "nudge",
                        "recipients": "both"},
        note="remind ticked mentees", expect="login 403   403   403   403   302   403   403   302"),
    Row("ilps:ilp_detail", _plan_url("ilps:ilp_detail"), probe=lambda c: VISION,
        expect="login 200+  403   200+  403   200+  403   403   200+"),
    Row("ilps:ilp_pdf", _plan_url("ilps:ilp_pdf"),
        "login 200   403   200   403   200   403   403   200"),
    Row("ilps:ilp_edit", _plan_url("ilps:ilp_edit"),
        "login 200   403   403   403   403   403   403   403"),
    Row("ilps:ilp_edit", _plan_url("ilps:ilp_edit"), method="POST", data={"career_vision": "Changed"},
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_goal_create", _plan_url("ilps:ilp_goal_create"),
        "login 200   403   403   403   403   403   403   403"),
    Row("ilps:ilp_goal_create", _plan_url("ilps:ilp_goal_create"), method="POST", data=GOAL_FORM,
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_submit", _plan_url("ilps:ilp_submit"), method="POST",
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_submit", _plan_url("ilps:ilp_submit"),
        "login 405   405   405   405   405   405   405   405"),
    Row("ilps:ilp_sign_off", _plan_url("ilps:ilp_sign_off", submitted=True), method="POST", data={"note": "ok"},
        expect="login 403   403   302   403   403   403   403   403"),
    Row("ilps:ilp_sign_off", _plan_url("ilps:ilp_sign_off", submitted=True),
        "login 405   405   405   405   405   405   405   405"),
    Row("ilps:ilp_review", _plan_url("ilps:ilp_review", submitted=True),
        "login 403   403   200   403   403   403   403   403"),
    Row("ilps:ilp_review", _plan_url("ilps:ilp_review", submitted=True), method="POST", data={}, note="incomplete, shown again",
        expect="login 403   403   200   403   403   403   403   403"),
    Row("ilps:ilp_milestone_create", _plan_url("ilps:ilp_milestone_create"),
        "login 200   403   403   403   403   403   403   403"),
    Row("ilps:ilp_milestone_create", _plan_url("ilps:ilp_milestone_create"), method="POST",
        data={"title": "Step 3 taken", "due_on": _future()},
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_milestone_complete", lambda c: reverse("ilps:ilp_milestone_complete", args=[_milestone(c)]), method="POST",
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_milestone_complete", lambda c: reverse("ilps:ilp_milestone_complete", args=[_milestone(c)]),
        "login 405   405   405   405   405   405   405   405"),
    Row("ilps:ilp_goal_edit", _goal_url("ilps:ilp_goal_edit"),
        "login 200   403   403   403   403   403   403   403"),
    Row("ilps:ilp_goal_edit", _goal_url("ilps:ilp_goal_edit"), method="POST", data=GOAL_FORM,
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_goal_delete", _goal_url("ilps:ilp_goal_delete"), method="POST",
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_goal_delete", _goal_url("ilps:ilp_goal_delete"),
        "login 405   405   405   405   405   405   405   405"),
    Row("ilps:ilp_progress_create", _goal_url("ilps:ilp_progress_create"),
        "login 200   403   403   403   403   403   403   403"),
    Row("ilps:ilp_progress_create", _goal_url("ilps:ilp_progress_create"), method="POST", data={"percent_done": 40},
        expect="login 302   403   403   403   403   403   403   403"),
    Row("ilps:ilp_comment_create", _goal_url("ilps:ilp_comment_create"),
        "login 200   403   200   403   403   403   403   403"),
    Row("ilps:ilp_comment_create", _goal_url("ilps:ilp_comment_create"), method="POST", data={"body": "Good"},
        expect="login 302   403   302   403   403   403   403   403"),
    Row("ilps:ilp_goal_request_changes", _goal_url("ilps:ilp_goal_request_changes", submitted=True),
        "login 403   403   200   403   403   403   403   403"),
    Row("ilps:ilp_goal_request_changes", _goal_url("ilps:ilp_goal_request_changes", submitted=True), method="POST",
        data={"comment": "Name the meeting"},
        expect="login 403   403   302   403   403   403   403   403"),
    # API
    Row("POST /api/ilps/smart-check", lambda c: "/api/ilps/smart-check", method="POST", data={"statement": "Read"},
        expect="401   200   200   200   200   200   200   200   200"),
    Row("GET /api/ilps", lambda c: (_plan(c), "/api/ilps")[1], probe=lambda c: f'"mentee_id": {c.mentee_a.pk},',
        expect="401   200+  200-  200+  200-  200+  200-  200-  200+"),
    Row("POST /api/ilps", lambda c: "/api/ilps", method="POST", data={"career_vision": "Mine"},
        expect="401   201   201   201   201   201   201   201   201"),
    Row("GET /api/ilps/{plan_id}", lambda c: f"/api/ilps/{_plan(c).pk}",
        "401   200   404   200   404   200   404   404   200"),
    Row("POST /api/ilps/{plan_id}/goals", lambda c: f"/api/ilps/{_plan(c).pk}/goals", method="POST",
        data={"statement": "Read 12 landmark trials by June", "target_date": _future(), "domain": "research"},
        expect="401   201   404   403   404   403   404   404   403"),
    Row("PATCH /api/ilps/goals/{goal_id}", lambda c: f"/api/ilps/goals/{_goal(c)}", method="PATCH",
        data={"measure": "Two posters"}, expect="401   200   404   403   404   403   404   404   403"),
    Row("POST /api/ilps/goals/{goal_id}/progress", lambda c: f"/api/ilps/goals/{_goal(c)}/progress", method="POST",
        data={"percent_done": 30}, expect="401   201   404   403   404   403   404   404   403"),
    Row("POST /api/ilps/goals/{goal_id}/comments", lambda c: f"/api/ilps/goals/{_goal(c)}/comments", method="POST",
        data={"body": "Good"}, expect="401   201   404   201   404   403   404   404   403"),
    Row("POST /api/ilps/{plan_id}/submit", lambda c: f"/api/ilps/{_plan(c).pk}/submit", method="POST",
        expect="401   200   404   403   404   403   404   404   403"),
    Row("POST /api/ilps/{plan_id}/sign-off", lambda c: f"/api/ilps/{_plan(c, submitted=True).pk}/sign-off",
        method="POST", data={"note": "ok"}, expect="401   403   404   200   404   403   404   404   403"),
    Row("POST /api/ilps/goals/{goal_id}/change-requests",
        lambda c: f"/api/ilps/goals/{_goal(c, submitted=True)}/change-requests", method="POST",
        data={"comment": "Say which journal"}, expect="401   403   404   201   404   403   404   404   403"),
]
