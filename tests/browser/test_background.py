"""Long work in the browser: the program report waits in the queue behind a polling progress bar (htmx,
no inline script or style under the CSP), the worker prepares it, the page turns into its result with
the PDF; an admin sees a failed task on the Background work page and retries it."""

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentora.core.demo import DEMO_LOGINS
from tests.background.queue import use_db_queue

from .conftest import log_in, screenshot, visit


def _run_ready_tasks() -> int:
    from django_tasks_db.management.commands.db_worker import Worker

    from mentora.core.services import process_name

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id=f"{process_name()}:browser", excluded_queue_names=[])
    ran = 0
    while (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran


@pytest.mark.django_db(transaction=True)
def test_program_report_waits_for_the_worker_then_offers_the_pdf(checked_page, live_server, demo_network, settings):
    use_db_queue(settings)
    page, checker = checked_page
    page.set_default_navigation_timeout(60000)
    log_in(checked_page, live_server.url, DEMO_LOGINS["coordinator"])
    visit(checked_page, f"{live_server.url}/insights/")
    page.get_by_role("button", name="Program report (PDF)").click()  # queued; its page follows it
    checker.check()
    assert page.get_by_test_id("job-status").inner_text() == "Queued"
    assert page.get_by_text("Waiting for a worker (0%)").is_visible()
    screenshot(page, "job-queued")
    assert _run_ready_tasks() == 1  # the worker
    page.get_by_test_id("job-status").filter(has_text="Done").wait_for(timeout=20000)  # htmx saw it, page reloaded
    checker.check()
    screenshot(page, "job-done")
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    assert download.value.suggested_filename.startswith("mentora-program-report-")


@pytest.mark.django_db(transaction=True)
def test_admin_sees_a_failed_task_and_retries_it(checked_page, live_server, demo_network, settings):
    use_db_queue(settings)
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED, args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
        task_path="mentora.meetings.tasks.send_reminders", run_after=timezone.now(), worker_ids=["h:1:a"] * 4,
        exception_class_path="smtplib.SMTPServerDisconnected", finished_at=timezone.now(),
        traceback="Traceback ...\nsmtplib.SMTPServerDisconnected: Connection unexpectedly closed\n")
    page, checker = checked_page
    page.set_default_navigation_timeout(60000)
    log_in(checked_page, live_server.url, DEMO_LOGINS["admin"])
    page.get_by_role("link", name="Background work").click()
    checker.check()
    assert page.get_by_test_id("count-failed").inner_text() == "1"
    assert page.get_by_text("Connection unexpectedly closed").is_visible()
    screenshot(page, "background-work")
    page.get_by_role("button", name="Retry Reminder scan").click()
    checker.check()
    assert page.get_by_text("Queued again.").is_visible()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
