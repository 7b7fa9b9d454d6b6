"""Writes of insights: asking the worker for the program report (PDF), and the work it does."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from mentora.background.models import Job
from mentora.background.services import JobResult, job_create
from mentora.core.task_policy import PermanentFailure
from mentora.programs.models import Program

from . import report, selectors, tasks
from .permissions import can_view_insights
from .scope import Scope, scope_for


@transaction.atomic
def report_pdf_request(*, scope: Scope, by) -> Job:
    """Queue the program report of a scope the person may see; its job page offers the PDF when ready."""
    if not can_view_insights(by):
        raise PermissionDenied

    program = None
    if scope.program is not None:
        program = Program.objects.filter(pk=scope.program).first()
    return job_create(kind=Job.Kind.REPORT_PDF, title=f"Program report: {selectors.scope_label(scope=scope)}",
                      by=by, program=program, params={"query": scope.query_string()}, task=tasks.report_pdf_task)


def report_pdf_job(*, job: Job, progress) -> JobResult:
    """The work of a report job: the scope is cut down again to what the person may see now."""
    user = job.requested_by
    if user is None or not user.is_active or not can_view_insights(user):
        raise PermanentFailure("The person who asked for this report may no longer see program insights.")
    scope, _form = scope_for(user=user, data=QueryDict(job.params.get("query", "")))
    progress(10, "Computing the figures")
    panels = selectors.dashboard_panels(scope=scope)
    progress(50, "Drawing the charts and laying out the PDF")
    pdf = report.report_pdf(panels=panels, scope_label=selectors.scope_label(scope=scope))
    return JobResult({"lines": [f"{len(panels)} sections, {len(pdf) // 1024 + 1} KB"],
                      "links": [{"label": "Back to the dashboard",
                                 "url": f"{reverse('insights:insights_dashboard')}?{scope.query_string()}"}]},
                     file=pdf, filename=f"mentora-program-report-{scope.academic_year}.pdf",
                     content_type="application/pdf")
