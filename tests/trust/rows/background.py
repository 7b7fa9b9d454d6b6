"""Background work: the queue page and its retries (site admins only); a job's page, progress, file and
retry (who asked for it, the program's coordinators, admins); account invitations (the program's
coordinators and admins)."""

from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentora.background.models import Job
from mentora.dataio.models import AccountInvitation
from tests.factories import UserFactory
from tests.trust.matrix import Row


def _job(c, **fields):
    values = {"kind": Job.Kind.REPORT_PDF, "title": "Program report", "requested_by": c.coordinator,
              "program": c.program, "task_path": "mentora.insights.tasks.report_pdf_task", **fields}
    return Job.objects.create(**values)


def _failed_task(c):
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED, args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
        task_path="mentora.meetings.tasks.send_reminders", run_after=timezone.now(), worker_ids=["h:1:x"],
        exception_class_path="smtplib.SMTPServerDisconnected", traceback="SMTPServerDisconnected: down")
    return str(row.pk)


def _invitation(c):
    person = UserFactory(email="invited.person@example.org")
    return AccountInvitation.objects.create(user=person, program=c.program, status=AccountInvitation.Status.FAILED,
                                            error="No such mailbox")


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("background:background_work", lambda c: reverse("background:background_work"),
        "login 403   403   403   403   403   403   403   200"),
    Row("background:background_task_retry", lambda c: reverse("background:background_task_retry", args=[_failed_task(c)]), method="POST",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("background:background_task_retry", lambda c: reverse("background:background_task_retry", args=[_failed_task(c)]), note="GET",
        expect="login 405   405   405   405   405   405   405   405"),
    Row("background:background_retry_failed", lambda c: reverse("background:background_retry_failed"), method="POST",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("background:job_detail", lambda c: reverse("background:job_detail", args=[_job(c, status=Job.Status.DONE,
                                                                 result={"lines": ["12 pages"]}).pk]),
        probe=lambda c: "12 pages",
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("background:job_detail", lambda c: reverse("background:job_detail", args=[_job(c, program=None).pk]),
        note="a job of no program: who asked and admins",
        expect="login 403   403   403   403   200   403   403   200"),
    Row("background:job_progress", lambda c: reverse("background:job_progress", args=[_job(c).pk]),
        "login 403   403   403   403   200   403   403   200"),
    Row("background:job_download", lambda c: reverse("background:job_download", args=[_job(
        c, status=Job.Status.DONE, file=b"%PDF-1.4 report", filename="report.pdf",
        content_type="application/pdf").pk]),
        probe=lambda c: "%PDF-1.4 report",
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("background:job_retry", lambda c: reverse("background:job_retry", args=[_job(c, status=Job.Status.FAILED, error="boom").pk]),
        method="POST", expect="login 403   403   403   403   302   403   403   302"),
    Row("dataio:account_invitation_list", lambda c: reverse("dataio:account_invitation_list", args=[_invitation(c).program_id]),
        probe=lambda c: "invited.person@example.org",
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("dataio:account_invitation_list", lambda c: reverse("dataio:account_invitation_list", args=[c.program.pk]),
        method="POST", data=lambda c: {"invitation": [_invitation(c).pk]},
        expect="login 403   403   403   403   302   403   403   302"),
    Row("dataio:account_invitation_resend", lambda c: reverse("dataio:account_invitation_resend",
                                                       args=[c.program.pk, _invitation(c).pk]),
        method="POST", expect="login 403   403   403   403   302   403   403   302"),
    Row("GET /api/jobs/{job_id}", lambda c: f"/api/jobs/{_job(c, status=Job.Status.DONE, result={'lines': ['12 pages']}).pk}",
        probe=lambda c: "12 pages",
        expect="401   404   404   404   404   200+  404   404   200+"),
    Row("dataio:import_invitation_counts", lambda c: reverse("dataio:import_invitation_counts", args=[_batch(c).pk]),
        "login 403   403   403   403   200   403   403   200"),
]


def _batch(c):
    from mentora.core.academic_year import current_academic_year
    from mentora.dataio.services import import_batch_create

    return import_batch_create(program=c.program, by=c.coordinator, kind="mentees",
                               academic_year=current_academic_year(), filename="roster.csv", content=b"")
