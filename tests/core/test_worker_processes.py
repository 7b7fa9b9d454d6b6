"""The worker as it runs in production: real processes on a real database.

- SQLite, the default: a worker runs a large invitation batch while web requests write at the same
  time, and nothing fails with "database is locked" (nor anything else).
- PostgreSQL, several hosts: two workers with different host identities; the one running the
  invitation batch is killed with SIGKILL; the other takes the task over once its lease expires and
  finishes it, with every invitation created and emailed exactly once (the email the killed worker was
  sending included: its claim follows the worker's task lease).
- A worker killed mid-rollover (SIGKILL after some batches) and a new one started: the rollover
  finishes, nobody moved, planned or asked twice or left out, everyone counted once.
"""

import json
import os
import signal
import sys
import time

import pytest

from .processes import SETUP_INVITATIONS, Site, postgres_database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# Web requests that write, through Django's full request handling (sessions, middleware, views),
# in their own process, for as long as the invitation task runs. Any failure ends it with status 1.
WEB_WRITER = '''import sys
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mentora.notifications.kinds import KINDS

task_id = sys.argv[1]
User = get_user_model()
writers = [User.objects.create_user(email=f"writer{i}@web.example.org", password="a-long-test-password")
           for i in range(3)]
requests = 0
while True:
    finished = DBTaskResult.objects.filter(pk=task_id, status__in=["SUCCESSFUL", "FAILED"]).exists()
    for i, writer in enumerate(writers):
        client = Client(HTTP_HOST="localhost")
        client.force_login(writer)  # a new session row and last_login
        choices = {f"{kind}-email": "on" for kind in KINDS if (requests + i) % 2}
        response = client.post(reverse("notifications:notification_preferences"), choices)
        assert response.status_code == 302, response.status_code
        response = client.post(reverse("notifications:notification_read_all"))
        assert response.status_code == 302, response.status_code
        requests += 2
    if requests == 2 * len(writers):
        print("writing", flush=True)
    if finished:
        break
print(requests, flush=True)
'''

WEB_WRITER_AT_LEAST = 20  # requests written while the batch ran, or the test proves nothing


def _invitations(site: Site, domain: str) -> int:
    return site.count("SELECT COUNT(*) FROM notifications_notification n JOIN accounts_user u ON u.id = n.user_id "
                      "WHERE n.kind = 'invitation' AND u.email LIKE ?", (f"%@{domain}",))


def _lease(site: Site, task_id: str, column: str):
    rows = site.query(f"SELECT {column} FROM core_tasklease WHERE replace(CAST(task_id AS TEXT), '-', '') = ?",
                      (task_id.replace("-", ""),))
    return rows[0][0] if rows else None


def _check_every_invitation_once(site: Site, people: int, domain: str) -> None:
    assert site.tasks_open() == 0
    failed = site.query("SELECT task_path, traceback FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'")
    assert not failed, failed
    assert _invitations(site, domain) == people
    unsent = site.count("SELECT COUNT(*) FROM notifications_notification WHERE email_wanted AND emailed_at IS NULL")
    assert unsent == 0
    invitations = {(address, subject): n for (address, subject), n in site.mail().items()
                   if address.endswith(f"@{domain}") and "invited" in subject}
    assert len(invitations) == people, f"{people - len(invitations)} people got no invitation email"
    doubled = {key: n for key, n in invitations.items() if n > 1}
    assert not doubled, doubled


def test_sqlite_worker_runs_a_large_invitation_batch_while_web_requests_write(tmp_path, migrated_sqlite):
    people, domain = 500, "batch.example.org"
    site = Site(tmp_path)
    site.start_from(migrated_sqlite)
    try:
        task_id = site.script(SETUP_INVITATIONS, str(people), domain)
        writer = site.start_script("web", WEB_WRITER, task_id)
        site.wait_until(lambda: "writing" in writer.log_path.read_text(), "the web requests", watch=(writer,))
        worker = site.start_worker("worker")
        site.wait_until(lambda: site.tasks_open() == 0, "the invitations and their emails", timeout=600,
                        watch=(worker,))
        assert writer.wait(timeout=120) == 0, writer.log_path.read_text()[-3000:]
        _check_every_invitation_once(site, people, domain)
        requests = int(writer.log_path.read_text().split()[-1])
        assert requests >= WEB_WRITER_AT_LEAST
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        assert "locked" not in worker.log_path.read_text()
    finally:
        site.stop_all()


def test_two_hosts_a_worker_killed_mid_task_is_taken_over_by_the_other(tmp_path):
    people, domain, lease = 400, "hosts.example.org", 3
    with postgres_database() as database_url:
        site = Site(tmp_path, database_url)
        try:
            site.mentora("migrate", "--no-input", "-v", "0")
            task_id = site.script(SETUP_INVITATIONS, str(people), domain)
            lease_env = {"MENTORA_WORKER_LEASE_SECONDS": str(lease)}
            first = site.start_worker("alpha", MENTORA_WORKER_HOST="alpha", **lease_env)
            site.wait_until(lambda: _invitations(site, domain) >= 40, "the first invitations", watch=(first,))
            second = site.start_worker("beta", MENTORA_WORKER_HOST="beta", **lease_env)
            site.wait_until(lambda: "Starting worker" in second.log_path.read_text(), "the second worker",
                            watch=(second,))
            holder = _lease(site, task_id, "claimed_by")
            assert holder.startswith("alpha:") and int(holder.split(":")[1]) == first.pid
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
            killed_at, recorded = time.monotonic(), _invitations(site, domain)
            assert recorded < people, "the batch finished before the kill: nothing was tested"

            site.wait_until(lambda: (_lease(site, task_id, "claimed_by") or "").startswith("beta:"),
                            "the other host to take the task over", timeout=60, watch=(second,))
            took_over = time.monotonic() - killed_at
            assert took_over < lease + 5, f"taken over after {took_over:.1f} s with a {lease} s lease"
            site.wait_until(lambda: site.tasks_open() == 0, "the rest of the work", timeout=600, watch=(second,))
            # A kill in the middle of one email leaves that notice claimed by the dead worker. The claim
            # follows the worker's task lease: once the lease expired, the other host took the email
            # over with the task, so every invitation is out when the queue is empty (no 15-minute wait,
            # no other command), and none twice.
            _check_every_invitation_once(site, people, domain)
            assert _lease(site, task_id, "takeovers") == 1
        finally:
            site.stop_all()


# A program of `count` residents (a third of them in their final year), each with this year's plan and one
# open goal, a mentor in a relationship with every tenth; a coordinator asks for the rollover (queued job).
SETUP_ROLLOVER = '''import datetime
import sys
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from mentora.ilps.models import Goal, LearningPlan
from mentora.programs.models import Membership
from mentora.core.academic_year import current_academic_year
from mentora.relationships.models import Relationship
from mentora.rollover.services import rollover_request
from tests.factories import MembershipFactory, ProgramFactory

count, year = int(sys.argv[1]), current_academic_year()
User = get_user_model()
program = ProgramFactory(specialty="internal_medicine")
coordinator = MembershipFactory(program=program, role="coordinator", training_level="").user
mentor = MembershipFactory(program=program, role="mentor", training_level="faculty").user
password = make_password("a-long-test-password")
User.objects.bulk_create(User(email=f"r{i}@rollover.example.org", full_name=f"Resident {i}", password=password)
                         for i in range(count))
people = list(User.objects.filter(email__endswith="@rollover.example.org").order_by("pk").values_list("pk", flat=True))
Membership.objects.bulk_create(Membership(user_id=pk, program=program, academic_year=year, role="mentee",
                                          training_level=f"pgy{1 + i % 3}") for i, pk in enumerate(people))
LearningPlan.objects.bulk_create(LearningPlan(mentee_id=pk, academic_year=year, program=program) for pk in people)
due = datetime.date.today() + datetime.timedelta(days=150)
Goal.objects.bulk_create(Goal(plan=plan, statement="Present a case report at the regional meeting by April",
                              domain="research", target_date=due)
                         for plan in LearningPlan.objects.filter(mentee_id__in=people))
Relationship.objects.bulk_create(Relationship(mentee_id=pk, mentor=mentor, program=program, kind="career",
                                              status="active") for pk in people[::10])
job = rollover_request(program=program, from_year=year, by=coordinator)
print(job.pk, program.pk, year)
'''


def test_a_worker_killed_mid_rollover_and_restarted_finishes_it_without_doubling_or_losing(tmp_path, migrated_sqlite):
    """The rollover moves a batch of people per transaction; killed (SIGKILL) after some batches, the
    next worker runs the job again and it does only the rest: everyone moved, planned and asked once."""
    residents = 450
    site = Site(tmp_path)
    with (tmp_path / "process_settings.py").open("a") as shim:
        shim.write("ROLLOVER_PEOPLE_PER_TRANSACTION = 5\n")
    site.start_from(migrated_sqlite)
    try:
        job_id, program_id, year = (int(value) for value in site.script(SETUP_ROLLOVER, str(residents)).split())
        continuing = residents - residents // 3 + 2  # the final year graduates; mentor and coordinator carry over

        def moved() -> int:
            return site.count("SELECT COUNT(*) FROM programs_membership WHERE program_id = ? AND academic_year = ?",
                              (program_id, year + 1))

        first = site.start_worker("first")
        site.wait_until(lambda: moved() >= 40, "the first batches of the rollover", watch=(first,))
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        at_kill = moved()
        assert at_kill < continuing, "the rollover finished before the kill: nothing was tested"

        second = site.start_worker("second")
        site.wait_until(lambda: site.tasks_open() == 0, "the rollover to finish", timeout=600, watch=(second,))
        status, result = site.query("SELECT status, result FROM background_job WHERE id = ?", (job_id,))[0]
        assert status == "done", result
        assert moved() == continuing
        assert site.count("SELECT COUNT(*) FROM (SELECT user_id, role FROM programs_membership WHERE program_id = ? "
                          "AND academic_year = ? GROUP BY user_id, role HAVING COUNT(*) > 1) doubled",
                          (program_id, year + 1)) == 0
        plans = site.count("SELECT COUNT(*) FROM ilps_learningplan WHERE academic_year = ?", (year + 1,))
        carried = site.query("SELECT COUNT(*), COUNT(DISTINCT carried_from_id) FROM ilps_goal "
                             "WHERE carried_from_id IS NOT NULL")[0]
        assert plans == residents - residents // 3
        assert tuple(carried) == (plans, plans)
        renewals = site.count("SELECT COUNT(*) FROM rollover_relationshiprenewal")
        assert renewals == len(range(0, residents, 10))
        assert site.count("SELECT COUNT(*) FROM (SELECT user_id, key FROM notifications_notification "
                          "GROUP BY user_id, key HAVING COUNT(*) > 1) doubled") == 0
        finished, counts = site.query("SELECT finished_at, counts FROM rollover_rolloverrun WHERE program_id = ?",
                                      (program_id,))[0]
        counts = counts if isinstance(counts, dict) else json.loads(counts)
        assert finished is not None
        assert (counts["advance"], counts["graduate"], counts["carry"]) == (plans, residents // 3, 2)
        assert (counts["ilps_opened"], counts["goals_carried"], counts["relationships_asked"]) == (
            plans, plans, renewals)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    finally:
        site.stop_all()
