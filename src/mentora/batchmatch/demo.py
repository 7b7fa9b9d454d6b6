"""The batch-match part of the demo network: one finished run (a preview, not yet published)
for the demo program's mentees without a career mentor, by the demo coordinator. One pair of it is
removed, so the preview shows a removal that can be undone next to the unmatched mentees who can be
given a mentor by hand."""

from .models import MatchPair
from .services import match_run_create, match_run_edit, match_run_execute


def generate(context) -> None:
    coordinator = context.logins["coordinator"]
    run = match_run_create(program=context.demo_program, by=coordinator, kind="career", enqueue=False)
    run = match_run_execute(run_id=run.pk)
    removed = MatchPair.objects.filter(run=run, mentor__isnull=False).order_by("sort_name", "mentee_id").last()
    if removed is not None and run.status == run.Status.READY:
        match_run_edit(run_id=run.pk, by=coordinator, action="remove", mentee_id=removed.mentee_id)
