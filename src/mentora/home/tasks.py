"""Background work of the home pages: coordinators' home rows computed ahead of the first look."""

import zoneinfo

from django.utils import timezone
from django_tasks import task

from mentora.core import warmup
from mentora.ilps.selectors import compliance_summaries

from .selectors import home_rows_for, program_sets_to_warm

WARMUP = "coordinator-homes"


@task()
def coordinator_homes_warm_task() -> None:
    """Compute the home rows and ILP compliance counts of every set of programs looked at lately, and of each
    coordinator who signed in lately, under the current data version (mentora.core.warmup); what is already
    computed under this version is read from the cache."""
    warmup.started(WARMUP)
    for program_ids, zone in program_sets_to_warm():
        with timezone.override(zoneinfo.ZoneInfo(zone)):  # the day of the person who looked names the rows
            home_rows_for(program_ids=program_ids)
            compliance_summaries(program_ids=program_ids)


def coordinator_homes_warm_soon() -> None:
    """After a change of the data the home rows read: the worker computes the rows people look at (at most
    about twice a minute under a stream of writes, as the dashboards)."""
    warmup.schedule(coordinator_homes_warm_task, name=WARMUP, delay_seconds=30)
