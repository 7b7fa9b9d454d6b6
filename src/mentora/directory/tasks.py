"""Background work of the directory: the expiry scan as a task, for the reminders scan or a worker."""

from django_tasks import task


@task()
def requests_expire_task() -> int:
    from .services import requests_expire

    return requests_expire()
