"""The batch-match part of the demo network: one finished run (a preview, not yet published)
for the demo program's mentees without a career mentor, by the demo coordinator."""

from .services import match_run_create, match_run_execute


def generate(context) -> None:
    run = match_run_create(program=context.demo_program, user=context.logins["coordinator"], kind="career",
                           enqueue=False)
    match_run_execute(run_id=run.pk)
