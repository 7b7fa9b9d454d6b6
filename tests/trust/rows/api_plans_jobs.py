"""The API's operations for a plan's milestones and goal deletion, a program's compliance list, cancelling
a referral request, and a job's file and retry: the same rules as their pages (ilps.py, find_mentor.py,
background.py)."""

from mentora.background.models import Job
from tests.trust.matrix import Row
from tests.trust.rows.background import _job
from tests.trust.rows.find_mentor import _referral
from tests.trust.rows.ilps import _future, _goal, _milestone, _plan


def _no_plan(c):
    """A's plan is gone: A is on the compliance list."""
    from mentora.ilps.models import LearningPlan

    LearningPlan.objects.filter(mentee=c.mentee_a).delete()
    return f"/api/ilps/compliance/{c.program.pk}/mentees"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("DELETE /api/ilps/goals/{goal_id}", lambda c: f"/api/ilps/goals/{_goal(c)}",
        expect="401   204   404   403   404   403   404   404   403"),
    Row("GET /api/ilps/{plan_id}/milestones", lambda c: f"/api/ilps/{_milestone(c) and _plan_of_milestone(c)}/milestones",
        probe=lambda c: "Step 3", expect="401   200+  404   200+  404   200+  404   404   200+"),
    Row("POST /api/ilps/{plan_id}/milestones", lambda c: f"/api/ilps/{_plan(c).pk}/milestones",
        data={"title": "Step 3 taken", "due_on": _future()},
        expect="401   201   404   403   404   403   404   404   403"),
    Row("POST /api/ilps/milestones/{milestone_id}/complete", lambda c: f"/api/ilps/milestones/{_milestone(c)}/complete",
        expect="401   200   404   403   404   403   404   404   403"),
    Row("GET /api/ilps/compliance/{program_id}", lambda c: f"/api/ilps/compliance/{c.program.pk}",
        expect="401   403   403   403   403   200   403   403   200"),
    Row("GET /api/ilps/compliance/{program_id}/mentees", _no_plan, probe=lambda c: c.mentee_a.display_name,
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("POST /api/ilps/compliance/{program_id}/reminders", lambda c: f"/api/ilps/compliance/{c.program.pk}/reminders",
        data=lambda c: {"mentee_ids": [c.mentee_a.pk], "recipients": "both"},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/referrals/{referral_id}/cancel", lambda c: f"/api/referrals/{_referral(c)}/cancel",
        expect="401   200   404   404   404   404   404   403   403"),
    Row("GET /api/jobs/{job_id}/download", lambda c: "/api/jobs/{}/download".format(_job(
        c, status=Job.Status.DONE, file=b"%PDF-1.4 report", filename="report.pdf", content_type="application/pdf").pk),
        probe=lambda c: "%PDF-1.4 report",
        expect="401   404   404   404   404   200+  404   404   200+"),
    Row("GET /api/jobs/{job_id}/download", lambda c: f"/api/jobs/{_job(c).pk}/download", note="not done yet",
        expect="401   404   404   404   404   404   404   404   404"),
    Row("POST /api/jobs/{job_id}/retry", lambda c: f"/api/jobs/{_job(c, status=Job.Status.FAILED, error='boom').pk}/retry",
        expect="401   404   404   404   404   200   404   404   200"),
]


def _plan_of_milestone(c):
    from mentora.ilps.models import LearningPlan

    return LearningPlan.objects.get(mentee=c.mentee_a).pk
