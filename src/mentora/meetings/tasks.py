"""Background tasks of the lifecycle, run by `mentora worker` from the database queue."""

from django_tasks import task


@task()
def send_reminders() -> dict:
    """The reminder scan as a task; enqueue it from a scheduler, or run `mentora reminders` from cron."""
    from .reminders import run_reminders

    result = run_reminders()
    return {"created": result.created, "emailed": result.emailed}
