"""Background tasks of the lifecycle, run by `mentora worker` from the database queue."""

from django_tasks import task

from mentora.core.task_policy import retry_safe

from .reminders import run_reminders


@retry_safe(label="Reminder scan", why="each reminder is recorded under a unique key before it is sent, so a "
            "second scan finds it and sends nothing twice")
@task()
def send_reminders() -> dict:
    """The reminder scan as a task; enqueue it from a scheduler, or run `mentora reminders` from cron."""
    result = run_reminders()
    return {"created": result.created, "emailed": result.emailed}
