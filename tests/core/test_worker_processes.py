"""The worker as it runs in production: real processes on a real database.

- SQLite, the default: a worker runs a large invitation batch while web requests write at the same
  time, and nothing fails with "database is locked" (nor anything else).
- PostgreSQL, several hosts: two workers with different host identities; the one running the
  invitation batch is killed with SIGKILL; the other takes the task over once its lease expires and
  finishes it, with every invitation created and emailed exactly once.
"""

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
        response = client.post(reverse("notification_preferences"), choices)
        assert response.status_code == 302, response.status_code
        response = client.post(reverse("notification_read_all"))
        assert response.status_code == 302, response.status_code
        requests += 2
    if requests == 2 * len(writers):
        print("writing", flush=True)
    if finished:
        break
print(requests, flush=True)
'''

WEB_WRITER_AT_LEAST = 20  # requests written while the batch ran, or the test proves nothing


# Notices whose email is still claimed when the work is done: all must be the killed process's; their
# claim is moved back past its lease, as the clock would, so the next scan may take them over.
ABANDONED_CLAIMS = """
import datetime, sys
from django.utils import timezone
from mentora.notifications.models import Notification
from mentora.notifications.services import EMAIL_CLAIM_LEASE
pending = Notification.objects.filter(email_wanted=True, emailed_at__isnull=True)
others = pending.exclude(email_claimed_by=sys.argv[1]).count()
assert others == 0, f"{others} unsent notices not held by the killed process"
print(pending.update(email_claimed_at=timezone.now() - EMAIL_CLAIM_LEASE - datetime.timedelta(minutes=1)))
"""


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


def test_sqlite_worker_runs_a_large_invitation_batch_while_web_requests_write(tmp_path):
    people, domain = 500, "batch.example.org"
    site = Site(tmp_path)
    try:
        site.mentora("migrate", "--no-input", "-v", "0")
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
            # A kill in the middle of one email leaves that notice claimed by the dead process; another
            # host cannot tell it died, so the email waits for the claim's lease (15 minutes), then goes
            # out with the next scan: delayed, never lost or doubled. Only the killed process may hold one.
            held = site.script(ABANDONED_CLAIMS, f"alpha:{first.pid}")
            assert held in {"0", "1"}, held
            site.mentora("createcachetable")  # as every installation has it (make run, README)
            site.mentora("reminders")
            _check_every_invitation_once(site, people, domain)
            assert _lease(site, task_id, "takeovers") == 1
        finally:
            site.stop_all()
