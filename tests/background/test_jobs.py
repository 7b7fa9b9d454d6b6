"""Long work leaves the request: the rollover, an import, the program report and a batch publish are
queued as jobs; their page shows a progress bar (htmx polling) and then the result; a job that fails
says why on the requester's page and on the admin's Background work page, and can be retried."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentora.background.models import Job
from mentora.batchmatch import services as batch
from mentora.batchmatch.models import MatchRun
from mentora.batchmatch.selectors import assignments
from mentora.core.academic_year import current_academic_year
from mentora.dataio.models import AccountInvitation, ImportBatch
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from mentora.rollover.models import RolloverRun
from tests.factories import MembershipFactory, MentorOfferFactory

from .queue import run_queued, use_db_queue

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):  # tasks are queued when the request commits
        return client.post(url, data or {})


def _job_from(response) -> Job:
    assert response.status_code == 302 and response["Location"].startswith("/background/jobs/"), response
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))


def _queued_then_done(client, job: Job, *, result_text: str) -> str:
    """The job waits in the queue with a polling progress bar; the worker runs it; the page shows the result."""
    assert job.status == Job.Status.QUEUED and job.task_id
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY
    page = client.get(reverse("background:job_detail", args=[job.pk])).content.decode()
    progress_url = reverse("background:job_progress", args=[job.pk])
    assert f'hx-get="{progress_url}" hx-trigger="every 1s"' in page and "<progress" in page
    assert "<script>" not in page and " style=" not in page  # CSP: no inline script or style
    poll = client.get(progress_url)
    assert poll.status_code == 200 and "Waiting for a worker (0%)" in poll.content.decode()

    assert run_queued() >= 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100, job.error
    done = client.get(progress_url)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"  # the page reloads to show the result
    page = client.get(reverse("background:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-status">Done<' in page and result_text in page and "hx-get" not in page
    return page


def test_rollover_goes_through_the_queue(client, cast, settings):
    use_db_queue(settings)
    client.force_login(cast["coordinator"])
    url = reverse("rollover:rollover_program", args=[cast["program"].slug])
    job = _job_from(_post(client, url, {"confirm": "yes"}))
    assert not RolloverRun.objects.exists()  # nothing written in the request
    assert f'href="{reverse("background:job_detail", args=[job.pk])}"' in client.get(url).content.decode()  # under way
    assert _job_from(_post(client, url, {"confirm": "yes"})) == job  # asking twice queues it once
    _queued_then_done(client, job, result_text="relationships asked")
    assert RolloverRun.objects.filter(program=cast["program"]).count() == 1
    assert Membership.objects.filter(program=cast["program"], academic_year=current_academic_year() + 1).exists()


def test_import_goes_through_the_queue_and_then_invites(client, cast, settings):
    use_db_queue(settings)
    client.force_login(cast["coordinator"])
    roster = b"Email,Name\r\nana.ruiz@example.org,Ana Ruiz\r\nbo.chen@example.org,Bo Chen\r\n"
    uploaded = _post(client, reverse("dataio:import_start"), {
        "program": cast["program"].pk, "kind": "mentees", "academic_year": current_academic_year(),
        "file": SimpleUploadedFile("roster.csv", roster)})
    preview_url = uploaded["Location"]
    job = _job_from(_post(client, preview_url, {"action": "commit"}))
    assert client.get(preview_url)["Location"] == reverse("background:job_detail", args=[job.pk])  # while it runs
    assert not ImportBatch.objects.get().committed_at
    page = _queued_then_done(client, job, result_text="2 new (invited by email)")
    assert preview_url in page
    # The import ran; each new person's invitation was recorded with it, and the worker sends them.
    assert AccountInvitation.objects.filter(status="sent").count() == 2
    assert "2 invited</strong>" in client.get(preview_url).content.decode()


def test_program_report_goes_through_the_queue_and_only_its_people_download_it(client, cast, settings):
    use_db_queue(settings)
    client.force_login(cast["coordinator"])
    job = _job_from(_post(client, reverse("insights:insights_report") + f"?program={cast['program'].pk}"))
    page = _queued_then_done(client, job, result_text="sections")
    assert reverse("background:job_download", args=[job.pk]) in page
    pdf = client.get(reverse("background:job_download", args=[job.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for outsider in ("other_coordinator", "mentee_a", "network_coordinator"):
        client.force_login(cast[outsider])
        assert client.get(reverse("background:job_download", args=[job.pk])).status_code == 403
        assert client.get(reverse("background:job_detail", args=[job.pk])).status_code == 403
    client.force_login(cast["admin"])
    assert client.get(reverse("background:job_download", args=[job.pk])).status_code == 200


def _ready_run(cast) -> MatchRun:
    for _ in range(2):
        mentor = MembershipFactory(program=cast["program"], role="mentor", training_level="faculty").user
        MentorOfferFactory(user=mentor, capacity=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = batch.match_run_create(program=cast["program"], by=cast["coordinator"], cohort="all")
    run.refresh_from_db()  # its task id is recorded when it is queued, at commit
    return run


def test_batch_publish_goes_through_the_queue(client, cast, settings):
    use_db_queue(settings)
    run = _ready_run(cast)
    run_queued()
    run.refresh_from_db()
    assert run.status == "ready" and assignments(run)
    before = Relationship.objects.count()
    client.force_login(cast["coordinator"])
    job = _job_from(_post(client, reverse("batchmatch:match_run_action", args=[run.pk, "publish"])))
    assert Relationship.objects.count() == before  # nothing created in the request
    detail = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert 'data-testid="run-publishing"' in detail and "Publish: create" not in detail  # no second publish
    _queued_then_done(client, job, result_text="relationships created")
    run.refresh_from_db()
    assert run.status == "published"
    assert Relationship.objects.count() == before + len(assignments(run))


def test_a_failing_report_shows_to_its_requester_and_the_admin_and_is_retried(client, cast, settings, monkeypatch):
    use_db_queue(settings)
    import mentora.insights.report as report

    def disk_full(**kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(report, "report_pdf", disk_full)
    client.force_login(cast["coordinator"])
    job = _job_from(_post(client, reverse("insights:insights_report") + f"?program={cast['program'].pk}"))
    run_queued(include_delayed=True)  # three attempts, with back-off between them
    job.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.FAILED and len(task.worker_ids) == 3
    assert job.status == Job.Status.FAILED and job.error == "No space left on device"
    page = client.get(reverse("background:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-error"' in page and "No space left on device" in page and "Attempts: 3" in page
    assert reverse("background:job_retry", args=[job.pk]) in page

    client.force_login(cast["admin"])
    admin_page = client.get(reverse("background:background_work")).content.decode()
    assert "Program report (PDF)" in admin_page and "No space left on device" in admin_page
    assert reverse("background:background_task_retry", args=[task.pk]) in admin_page
    assert reverse("background:job_detail", args=[job.pk]) in admin_page  # whose work it is

    monkeypatch.undo()  # space was freed
    client.force_login(cast["coordinator"])
    assert _post(client, reverse("background:job_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.filename.endswith(".pdf")
    client.force_login(cast["admin"])
    assert 'data-testid="count-failed">0<' in client.get(reverse("background:background_work")).content.decode()


def test_a_batch_match_says_why_it_stopped_and_is_retried(client, cast, settings, monkeypatch):
    use_db_queue(settings)
    from mentora import matching

    def out_of_memory(*args, **kwargs):
        raise MemoryError("the engine ran out of memory")

    monkeypatch.setattr(matching, "solve", out_of_memory)
    run = _ready_run(cast)
    run_queued(include_delayed=True)
    run.refresh_from_db()
    assert run.status == "failed" and run.error == "the engine ran out of memory"
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.FAILED
    client.force_login(cast["coordinator"])
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert "The run stopped." in page and "the engine ran out of memory" in page and "Attempts: 3" in page

    monkeypatch.undo()
    assert _post(client, reverse("batchmatch:match_run_action", args=[run.pk, "retry"])).status_code == 302
    run.refresh_from_db()
    assert run.status == "queued"
    run_queued()
    run.refresh_from_db()
    assert run.status == "ready" and assignments(run)


def test_a_batch_match_whose_worker_died_is_not_left_running(client, cast, settings):
    """The worker was killed mid-run: the page says so instead of "running" forever, and Retry runs it."""
    import subprocess
    import sys

    from mentora.core.services import process_name

    use_db_queue(settings)
    run = _ready_run(cast)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = process_name().split(":")[0]
    DBTaskResult.objects.filter(pk=run.task_id).update(status=TaskResultStatus.RUNNING,
                                                        worker_ids=[f"{host}:{dead.pid}:abcdefgh"])
    MatchRun.objects.filter(pk=run.pk).update(status="running", progress=40, phase="Matching: scoring")
    client.force_login(cast["coordinator"])
    poll = client.get(reverse("batchmatch:match_run_progress", args=[run.pk]))
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"  # the bar stops polling
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert "The worker running this stopped before it finished" in page and "<progress" not in page
    assert _post(client, reverse("batchmatch:match_run_action", args=[run.pk, "retry"])).status_code == 302
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.READY
    run_queued()
    run.refresh_from_db()
    assert run.status == "ready" and assignments(run)


def test_a_job_of_a_dead_worker_is_shown_stopped_and_retried(client, cast, settings):
    import subprocess
    import sys

    from mentora.core.services import process_name

    use_db_queue(settings)
    client.force_login(cast["coordinator"])
    job = _job_from(_post(client, reverse("rollover:rollover_program", args=[cast["program"].slug]), {"confirm": "yes"}))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=[f"{process_name().split(':')[0]}:{dead.pid}:x"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=10)
    page = client.get(reverse("background:job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-status">Stopped<' in page and "The worker running this stopped" in page
    _post(client, reverse("background:job_retry", args=[job.pk]))
    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and RolloverRun.objects.filter(program=cast["program"]).count() == 1
