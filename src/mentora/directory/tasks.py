"""Background work of the directory: the expiry scan as a task, for the reminders scan or a worker."""

from django_tasks import task

from mentora.background.policy import retry_safe


@retry_safe(label="Expire unanswered requests", why="it expires only requests still open past their date, with "
            "a conditional update, and tells each side under a unique notice key: a second run finds nothing to do")
@task()
def requests_expire_task() -> int:
    from .services import requests_expire

    return requests_expire()
