"""The default SQLite database under a worker and writers at once: 5,000-person import + rollover.

    .venv/bin/python bench/sqlite_import_rollover.py              # 5,000 people
    .venv/bin/python bench/sqlite_import_rollover.py --rows 1000

The scenario that once failed with "database is locked" (30 of 5,009 invitations created, the
worker down): real processes on a SQLite file under a temporary MENTORA_VAR_DIR. `migrate`, a demo
of 400 mentees and 100 mentors, then a ROWS-person roster is committed as the import page does
(ImportBatch, import_batch_commit), which queues one invitations task. A `mentora worker` runs it
while, at the same time, (a) the program's rollover into next year is committed in another
process, as the worker would (a batch of people per transaction, waiting for the lock as the
worker does) and (b) web requests write through Django's full request handling (new sessions,
notification preferences); a request that waits longer than the busy timeout (30 s) fails, and
the slowest one is reported. At the end every task must have succeeded, no web write failed,
every roster person hold exactly one invitation, emailed once, and the worker log say nothing of a
locked database. Prints the times; exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DOMAIN = "rollover.example.org"

SETTINGS_SHIM = '''import os
from mentora.config.settings import *  # noqa: F403
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["BENCH_MAIL_DIR"]
'''

IMPORT = '''import sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from mentora.dataio.services import import_batch_commit, import_batch_create
from mentora.programs.models import Program
from mentora.core.academic_year import current_academic_year

program = Program.objects.order_by("pk").first()
coordinator = get_user_model().objects.filter(is_superuser=True).first()
batch = import_batch_create(program=program, user=coordinator, kind="memberships", academic_year=current_academic_year(),
                            filename="roster.csv", content=open(sys.argv[1], "rb").read())
started = time.monotonic()
summary = import_batch_commit(batch=batch)
print(f"{time.monotonic() - started:.1f} {program.pk}", flush=True)
'''

ROLLOVER = '''import sys, time
import django
django.setup()
from django.conf import settings
from mentora.core.sqlite.base import wait_for_locks
from mentora.programs.models import Program
from mentora.core.academic_year import current_academic_year
from mentora.rollover.services import rollover_commit

wait_for_locks(seconds=settings.MENTORA_WORKER_SQLITE_PATIENCE_SECONDS)  # as in the worker, which runs it
program = Program.objects.get(pk=int(sys.argv[1]))
started = last = time.monotonic()
longest = [0.0]

def batch_done(percent, phase):  # called after each batch's transaction: the longest one held the lock longest
    global last
    now = time.monotonic()
    longest[0] = max(longest[0], now - last)
    last = now

run, plan = rollover_commit(program=program, from_year=current_academic_year(), progress=batch_done)
print(f"{time.monotonic() - started:.1f} {sum(1 for s in plan.steps)} {longest[0]:.1f}", flush=True)
'''

WEB = '''import sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from mentora.notifications.kinds import KINDS

stop = sys.argv[1]
writers = [get_user_model().objects.create_user(email=f"bench-writer{i}@web.example.org", password="a-long-password-1")
           for i in range(3)]
requests, failed, slowest = 0, 0, 0.0
import os
from django.db import OperationalError
while not os.path.exists(stop):
    for i, writer in enumerate(writers):
        started = time.monotonic()
        try:
            client = Client(HTTP_HOST="localhost")
            client.force_login(writer)
            response = client.post(reverse("notifications:notification_preferences"),
                                   {f"{kind}-email": "on" for kind in KINDS if (requests + i) % 2})
            assert response.status_code == 302, response.status_code
        except OperationalError as error:  # waited longer than the busy timeout
            failed += 1
            print(f"request failed after {time.monotonic() - started:.1f} s: {error}", flush=True)
        slowest = max(slowest, time.monotonic() - started)
        requests += 1
    time.sleep(0.05)
print(f"{requests} {failed} {slowest:.2f}", flush=True)
'''


def roster(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Employee ID", "First name", "Last name", "E-mail", "Role", "PGY"])
    for i in range(rows):
        mentor = i % 5 == 0
        writer.writerow([f"RO-{i:06d}", "Ama", f"Mensah {i}", f"p{i}@{DOMAIN}", "mentor" if mentor else "mentee",
                         "Faculty" if mentor else f"PGY-{1 + i % 3}"])
    return out.getvalue().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="mentora-sqlite-bench-"))
    (temp / "bench_settings.py").write_text(SETTINGS_SHIM)
    (temp / "mail").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"MENTORA_TESTING", "DATABASE_URL"}}
    env.update({"MENTORA_VAR_DIR": str(temp / "var"), "BENCH_MAIL_DIR": str(temp / "mail"),
                "DJANGO_SETTINGS_MODULE": "bench_settings", "MENTORA_DEBUG": "0",
                "PYTHONPATH": os.pathsep.join([str(temp), str(ROOT / "src")])})
    problems: list[str] = []
    processes: list[subprocess.Popen] = []

    def run(*arguments: str) -> str:
        result = subprocess.run([PYTHON, *arguments], env=env, cwd=temp, capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(f"{arguments[:2]} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
        return result.stdout.strip()

    def start(name: str, *arguments: str) -> subprocess.Popen:
        process = subprocess.Popen([PYTHON, *arguments], env=env, cwd=temp, stdout=open(temp / f"{name}.log", "w"),  # noqa: SIM115
                                   stderr=subprocess.STDOUT)
        process.log = temp / f"{name}.log"
        processes.append(process)
        return process

    def query(sql: str, params: tuple = ()) -> list[tuple]:
        connection = sqlite3.connect(temp / "var" / "mentora.sqlite3", timeout=60)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def invitations() -> int:
        return query("SELECT COUNT(*) FROM notifications_notification n JOIN accounts_user u ON u.id = n.user_id "
                     "WHERE n.kind = 'invitation' AND u.email LIKE ?", (f"%@{DOMAIN}",))[0][0]

    def open_tasks() -> int:
        return query("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                     "WHERE status NOT IN ('SUCCESSFUL', 'FAILED')")[0][0]

    try:
        started = time.monotonic()
        run("-m", "mentora.cli", "migrate", "--no-input", "-v", "0")
        run("-m", "mentora.cli", "createcachetable")  # as every installation has it (make run, README)
        run("-m", "mentora.cli", "demo", "--mentees", "400", "--mentors", "100", "--no-progress")
        print(f"migrate + demo: {time.monotonic() - started:.0f} s", flush=True)
        (temp / "roster.csv").write_bytes(roster(args.rows))
        seconds, program_id = run("-c", IMPORT, str(temp / "roster.csv")).split()
        print(f"import of {args.rows:,} people committed in {seconds} s (invitations queued)", flush=True)
        stop = temp / "stop"
        web = start("web", "-c", WEB, str(stop))
        worker = start("worker", "-m", "mentora.cli", "worker", "--interval", "0.2")
        began = time.monotonic()
        while invitations() < min(200, args.rows // 10):
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited:\n{worker.log.read_text()[-3000:]}")
            time.sleep(0.2)
        print(f"the worker is inviting ({invitations()} so far); committing the rollover meanwhile", flush=True)
        rollover_seconds, steps, longest_batch = run("-c", ROLLOVER, program_id).split()
        print(f"rollover of {int(steps):,} memberships committed in {rollover_seconds} s, the longest batch "
              f"{longest_batch} s ({invitations():,} invitations by then; load average "
              f"{' '.join(f'{n:.1f}' for n in os.getloadavg())})", flush=True)
        while open_tasks():
            if worker.poll() is not None:
                problems.append(f"the worker died: {worker.log.read_text()[-2000:]}")
                break
            time.sleep(0.5)
        finished = time.monotonic() - began
        stop.write_text("")
        web.wait(timeout=300)
        requests, web_failed, slowest = web.log.read_text().split()[-3:] if web.returncode == 0 else ("0", "?", "?")
        if web.returncode:
            problems.append(f"the web writer crashed:\n{web.log.read_text()[-2000:]}")
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)

        failed = query("SELECT task_path, substr(traceback, -300) FROM django_tasks_database_dbtaskresult "
                       "WHERE status = 'FAILED'")
        counted = invitations()
        twice = query("SELECT COUNT(*) FROM (SELECT user_id, key FROM notifications_notification "
                      "GROUP BY user_id, key HAVING COUNT(*) > 1)")[0][0]
        unsent = query("SELECT COUNT(*) FROM notifications_notification WHERE email_wanted AND emailed_at IS NULL")[0][0]
        tasks = query("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult")[0][0]
        print(f"queue emptied {finished:.0f} s after the worker started: {tasks:,} tasks, {len(failed)} failed; "
              f"{counted:,} invitations for {args.rows:,} people, {twice} notices twice, {unsent} emails unsent; "
              f"{requests} web requests written meanwhile, {web_failed} failed (waited beyond the busy timeout), "
              f"the slowest waited {slowest} s; load average {' '.join(f'{n:.1f}' for n in os.getloadavg())}", flush=True)
        if failed:
            problems.append(f"failed tasks: {failed[:3]}")
        if web_failed != "0":
            problems.append(f"{web_failed} web writes failed")
        if counted != args.rows or twice:
            problems.append(f"{counted} invitations for {args.rows} people, {twice} twice")
        if unsent:
            problems.append(f"{unsent} emails unsent")
        if "locked" in worker.log.read_text():
            problems.append("the worker log mentions a locked database")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        if not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
    print("Nothing failed." if not problems else "FAILED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
