"""Background work of insights: the program report PDF, and the dashboard's panels computed ahead."""

import zoneinfo

from django.utils import timezone
from django_tasks import task

from mentora.background.services import job_execute, job_requeued
from mentora.core import warmup
from mentora.core.task_policy import retry_safe

from . import services
from .permissions import can_view_insights
from .selectors import dashboard_panels, scopes_to_warm


def _report(job, progress):
    return services.report_pdf_job(job=job, progress=progress)


@retry_safe(label="Program report (PDF)", attempts=3, on_requeue=job_requeued,
            why="it only reads: a second run draws the same report again and replaces the file")
@task()
def report_pdf_task(job_id: int) -> None:
    job_execute(job_id=job_id, work=_report)


WARMUP = "insights-dashboards"


@task()
def dashboards_warm_task() -> None:
    """Compute the panels of every scope looked at lately, and of the site admins' default dashboards, under
    the current data version (mentora.core.warmup).

    Panels already computed under this version are read from the cache, not computed again."""
    warmup.started(WARMUP)
    for scope, zone in scopes_to_warm():
        with timezone.override(zoneinfo.ZoneInfo(zone)):  # local months and days as the person who looked
            dashboard_panels(scope=scope)


def dashboards_warm_at_sign_in(sender, *, user, **kwargs) -> None:
    """Someone who may look at figures signed in: the worker computes their default dashboard now (with every
    other scope to warm, read from the cache where ready), so it is ready by the time they open it, even at
    their first sign-in or their first in weeks (until then nothing asked for it)."""
    if warmup.enabled() and can_view_insights(user):
        warmup.schedule(dashboards_warm_task, name=WARMUP, delay_seconds=0)


def dashboards_warm_soon() -> None:
    """After a change of the data the dashboard reads: the worker computes the panels people look at."""
    # At most about twice a minute under a stream of writes (every program's panels at 50,000 mentees cost
    # seconds of the worker's time).
    warmup.schedule(dashboards_warm_task, name=WARMUP, delay_seconds=30)
