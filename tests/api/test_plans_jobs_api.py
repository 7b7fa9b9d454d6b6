"""A plan's milestones and goal deletion, a program's compliance list, cancelling a referral, a job's file and
retry, over the API: the pages' services and rules, problem details for refusals."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from mentora.background.models import Job
from mentora.ilps.models import Goal, LearningPlan, Milestone
from mentora.notifications.models import Notification
from tests.trust.matrix import Cast
from tests.trust.rows.find_mentor import _referral
from tests.trust.rows.ilps import _plan


def _post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


@pytest.mark.django_db
def test_milestones_and_deleting_a_goal(cast, client):
    plan = _plan(Cast(cast))
    client.force_login(cast["mentee_a"])
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    created = _post(client, f"/api/ilps/{plan.pk}/milestones", {"title": "  USMLE Step 3  ", "due_on": due})
    assert created.status_code == 201 and created.json()["title"] == "USMLE Step 3"
    blank = _post(client, f"/api/ilps/{plan.pk}/milestones", {"title": " ", "due_on": due})
    assert blank.status_code == 422 and blank.json()["errors"][0]["location"] == "body.title"
    done = _post(client, f"/api/ilps/milestones/{created.json()['id']}/complete")
    # The mentee's own date (their profile's time zone), not the server's: they differ for hours each day.
    their_today = timezone.localdate(timezone=zoneinfo.ZoneInfo(cast["mentee_a"].profile.time_zone))
    assert done.json()["completed_on"] == their_today.isoformat()
    assert [m["title"] for m in client.get(f"/api/ilps/{plan.pk}/milestones").json()] == ["USMLE Step 3"]
    assert Milestone.objects.get().completed_on == their_today

    goal = plan.goals.get()
    client.force_login(cast["mentor_a"])
    assert client.delete(f"/api/ilps/goals/{goal.pk}").status_code == 403  # the mentor reviews, never deletes
    client.force_login(cast["mentee_a"])
    assert client.delete(f"/api/ilps/goals/{goal.pk}").status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.django_db
def test_the_compliance_list_and_its_reminders(cast, client):
    client.force_login(cast["coordinator"])
    program = cast["program"].pk
    summary = client.get(f"/api/ilps/compliance/{program}").json()
    assert summary["mentees"] == 2 and summary["without_approved_plan"] == 2
    rows = client.get(f"/api/ilps/compliance/{program}/mentees?needs=plan").json()
    assert sorted(r["mentee_id"] for r in rows["items"]) == sorted([cast["mentee_a"].pk, cast["mentee_b"].pk])
    assert client.get(f"/api/ilps/compliance/{program}/mentees?needs=review").json()["count"] == 0
    row_a = next(r for r in rows["items"] if r["mentee_id"] == cast["mentee_a"].pk)
    assert row_a["mentor_ids"] == [cast["mentor_a"].pk]
    sent = _post(client, f"/api/ilps/compliance/{program}/reminders",
                 {"mentee_ids": [cast["mentee_a"].pk], "recipients": "both"}).json()
    assert sent == {"mentees": 1, "mentors": 1}
    assert Notification.objects.filter(user=cast["mentee_a"], kind="ilp_review_due").exists()
    assert not Notification.objects.filter(user=cast["mentee_b"], kind="ilp_review_due").exists()
    wrong = _post(client, f"/api/ilps/compliance/{program}/reminders", {"mentee_ids": [1], "recipients": "all"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["location"] == "body.recipients"
    assert LearningPlan.objects.count() == 0


@pytest.mark.django_db
def test_a_mentee_cancels_a_referral_once(cast, client):
    referral_id = _referral(Cast(cast))
    client.force_login(cast["mentee_a"])
    assert _post(client, f"/api/referrals/{referral_id}/cancel").json()["status"] == "cancelled"
    again = _post(client, f"/api/referrals/{referral_id}/cancel")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_jobs_file_and_retry(cast, client):
    job = Job.objects.create(kind=Job.Kind.REPORT_PDF, title="Report", requested_by=cast["coordinator"],
                             program=cast["program"], task_path="mentora.insights.tasks.report_pdf_task",
                             status=Job.Status.DONE, file=b"%PDF-1.4 x", filename="report.pdf",
                             content_type="application/pdf")
    client.force_login(cast["coordinator"])
    response = client.get(f"/api/jobs/{job.pk}/download")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 x"
    assert response["Content-Type"] == "application/pdf" and "report.pdf" in response["Content-Disposition"]
    done_retry = _post(client, f"/api/jobs/{job.pk}/retry")
    assert done_retry.status_code == 422  # nothing to retry
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="boom")
    retried = _post(client, f"/api/jobs/{job.pk}/retry").json()
    assert retried["status"] in ("queued", "running", "done", "failed") and retried["id"] == job.pk
    assert Job.objects.get(pk=job.pk).error == "" or retried["status"] == "failed"
