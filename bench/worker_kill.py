"""Kill the worker mid-task and show that no reminder or import is lost or doubled (not run in CI).

    .venv/bin/python bench/worker_kill.py                       # a temporary SQLite file
    .venv/bin/python bench/worker_kill.py --database postgres   # a throwaway PostgreSQL database
    .venv/bin/python bench/worker_kill.py --keep                # keep the temporary directory

Real processes throughout: a throwaway database (SQLite under a temporary MENTORA_VAR_DIR, or a
database created on postgres://postgres@127.0.0.1:5432 and dropped at the end), `mentora migrate`,
`mentora createcachetable`, `mentora demo --mentees 2000 --mentors 500`, and emails written by
Django's file-based backend so every one can be counted. Then:

1. Reminders: `mentora reminders --enqueue`; a `mentora worker` is killed with SIGKILL once the scan
   has recorded some notices, a second one once the emails have started going out, and a third
   one runs the queue to the end. Each new worker first queues again the task the dead one left
   RUNNING (django_tasks_db would leave it RUNNING forever; see mentora.core.services).
2. Import: a roster CSV (ROWS people) uploaded as an ImportBatch and committed the way the import
   page does (import_batch_commit), in a process killed with SIGKILL while it is inserting the
   memberships, then committed again. The invitations task it queues is killed mid-way twice
   (during the invitations, then during their emails), and a last worker finishes the queue.
3. Two hosts: a second roster (ROWS / 2 people) is imported and two workers with different host
   identities (MENTORA_WORKER_HOST=alpha and beta, a LEASE-second lease) run its queue together;
   the one holding the invitations task is killed with SIGKILL, and the other, without any restart
   or command, takes the task over once the lease expires and finishes everything.
4. Checks: every notice once per (person, key); no more notices due (a scan rolled back finds
   none to create); every notice meant to be emailed was emailed exactly once (one message per
   recipient and subject in the mail files, none missing, none twice, none cut off); the import
   created each person once and one membership per roster row. Exit status 1 if anything is
   lost or doubled.
"""

from __future__ import annotations

import argparse
import collections
import csv
import email
import email.policy
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES = "postgres://postgres@127.0.0.1:5432"
SEPARATOR = b"-" * 79 + b"\n"
ROSTER_DOMAIN = "killtest.example.org"
HOSTS_DOMAIN = "hosts.killtest.example.org"
MENTORA_KINDS_OF_TASK_DONE = ("SUCCESSFUL", "FAILED")

SETTINGS_SHIM = '''import os
from mentora.config.settings import *  # noqa: F403
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["WORKER_KILL_MAIL_DIR"]
'''

# The commit child: the import page's commit, announcing on stdout when it starts inserting memberships.
COMMIT_CHILD = '''import sys
import django
django.setup()
from django.db import connection
from mentora.dataio.models import ImportBatch
from mentora.dataio.services import import_batch_commit

announced = []

def announce(execute, sql, params, many, context):
    if not announced and sql.lstrip().upper().startswith("INSERT") and "programs_membership" in sql:
        announced.append(1)
        print("inserting memberships", flush=True)
        sys.stdin.readline()  # the parent kills us here, mid-transaction (or lets us go on)
    return execute(sql, params, many, context)

batch = ImportBatch.objects.get(pk=int(sys.argv[1]))
with connection.execute_wrapper(announce):
    summary = import_batch_commit(batch=batch)
print("committed", summary, flush=True)
'''


def _plain(subject: str) -> str:
    """A subject as the recipient reads it: folding and encoded-word spacing ignored."""
    return " ".join(subject.split())


def say(text: str) -> None:
    print(text, flush=True)


class Run:
    def __init__(self, args):
        self.args = args
        self.temp = Path(tempfile.mkdtemp(prefix="mentora-worker-kill-"))
        self.mail_dir = self.temp / "mail"
        self.mail_dir.mkdir()
        (self.temp / "worker_kill_settings.py").write_text(SETTINGS_SHIM)
        self.env = {k: v for k, v in os.environ.items() if k not in {"MENTORA_TESTING", "DATABASE_URL"}}
        self.env.update({
            "MENTORA_VAR_DIR": str(self.temp / "var"),
            "WORKER_KILL_MAIL_DIR": str(self.mail_dir),
            "DJANGO_SETTINGS_MODULE": "worker_kill_settings",
            "PYTHONPATH": os.pathsep.join([str(self.temp), str(ROOT / "src")]),
            "MENTORA_DEBUG": "0",
        })
        self.database_name = None
        if args.database == "postgres":
            self.database_name = f"mentora_worker_kill_{os.getpid()}"
            self.env["DATABASE_URL"] = f"{POSTGRES}/{self.database_name}"
        self.workers: list[subprocess.Popen] = []
        self.logs_read = 0
        self.problems: list[str] = []

    # Processes ---------------------------------------------------------------------------------

    def mentora(self, *arguments: str) -> str:
        result = subprocess.run([PYTHON, "-m", "mentora.cli", *arguments], env=self.env, cwd=self.temp,
                                capture_output=True, text=True, check=False)
        if result.returncode:
            raise SystemExit(f"mentora {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout.strip()

    def worker_start(self, **env: str) -> subprocess.Popen:
        log = open(self.temp / f"worker-{len(self.workers) + 1}.log", "w")  # noqa: SIM115 - closed with the run
        process = subprocess.Popen([PYTHON, "-m", "mentora.cli", "worker", "--interval", "0.2"],
                                   env={**self.env, **env}, cwd=self.temp, stdout=log, stderr=subprocess.STDOUT)
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen, what: str) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        say(f"  SIGKILL worker {process.pid} {what}")

    # Database ----------------------------------------------------------------------------------

    def create_database(self) -> None:
        if self.database_name:
            subprocess.run(["psql", POSTGRES + "/postgres", "-qc", f"CREATE DATABASE {self.database_name}"],
                           check=True)

    def drop_database(self) -> None:
        if self.database_name:
            from django.db import connections

            connections.close_all()
            subprocess.run(["psql", POSTGRES + "/postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {self.database_name} WITH (FORCE)"], check=False)

    def setup_django(self) -> None:
        os.environ.update(self.env)
        sys.path[:0] = [str(self.temp), str(ROOT / "src")]
        import django

        django.setup()

    # Polling -----------------------------------------------------------------------------------

    # Generous: on a loaded machine the import's invitations alone have taken more than 5 minutes.
    def wait_until(self, condition, what: str, timeout: float = 1800, process: subprocess.Popen | None = None):
        from django.db import connections

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            connections.close_all()  # a fresh snapshot each time
            value = condition()
            if value:
                return value
            if process is not None and process.poll() is not None:
                raise SystemExit(f"the worker exited ({process.returncode}) before {what}")
            time.sleep(0.05)
        raise SystemExit(f"timed out waiting for {what}")

    def queue_open(self) -> int:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.exclude(status__in=MENTORA_KINDS_OF_TASK_DONE).count()

    def drain(self, label: str) -> None:
        worker = self.worker_start()
        self.wait_until(lambda: self.queue_open() == 0, f"the queue to empty ({label})", timeout=1800,
                        process=worker)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        say(f"  worker {worker.pid} ran the queue to the end, stopped with SIGTERM")
        for number in range(self.logs_read, len(self.workers)):
            for line in (self.temp / f"worker-{number + 1}.log").read_text().splitlines():
                if line.startswith("Queued again"):
                    say(f"    worker {self.workers[number].pid} on start: {line}")
        self.logs_read = len(self.workers)

    def mail_count(self) -> int:
        return sum(path.read_bytes().count(SEPARATOR) for path in self.mail_dir.iterdir())

    # The phases --------------------------------------------------------------------------------

    def reminders(self) -> None:
        from mentora.notifications.models import Notification

        say("Reminders")
        say(f"  {self.mentora('reminders', '--enqueue')}")
        start_notices = Notification.objects.count()
        start_mail = self.mail_count()
        worker = self.worker_start()
        self.wait_until(lambda: Notification.objects.count() >= start_notices + 40, "notices from the scan",
                        process=worker)
        self.kill(worker, f"during the scan ({Notification.objects.count() - start_notices} notices recorded)")
        worker = self.worker_start()
        self.wait_until(lambda: self.mail_count() >= start_mail + 40, "reminder emails", process=worker)
        self.kill(worker, f"during the emails ({self.mail_count() - start_mail} messages written)")
        self.drain("reminders")

    def roster_csv(self, rows: int, domain: str = ROSTER_DOMAIN, prefix: str = "KILL") -> bytes:
        rng = random.Random(7)
        first = ["Ama", "José", "Wei", "Priya", "Chidi", "Zoë", "Łukasz", "Nguyễn", "Olúwadámilọ́lá", "Fatima"]
        last = ["Mensah", "Núñez", "Wang", "Reddy", "Okafor", "Müller", "Wójcik", "Trần", "Adeyemi", "Haddad"]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Employee ID", "First name", "Last name", "E-mail", "Role", "PGY", "Country of medical school"])
        for i in range(rows):
            mentor = i % 5 == 0
            writer.writerow([f"{prefix}-{i:06d}", rng.choice(first), rng.choice(last), f"p{i}@{domain}",
                             "mentor" if mentor else "mentee", "Faculty" if mentor else f"PGY-{rng.randint(1, 5)}",
                             rng.choice(["India", "Nigeria", "Mexico", "Egypt", "PH"])])
        return out.getvalue().encode()

    def commit_child(self, batch_id: int, *, kill: bool) -> None:
        child = subprocess.Popen([PYTHON, "-c", COMMIT_CHILD, str(batch_id)], env=self.env, cwd=self.temp,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = child.stdout.readline().strip()
        if line != "inserting memberships":
            raise SystemExit(f"the commit did not reach the memberships: {line}\n{child.stderr.read()}")
        if kill:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            say(f"  SIGKILL importing process {child.pid} while it inserted the memberships (mid-transaction)")
            return
        out, err = child.communicate("\n", timeout=600)
        if child.returncode:
            raise SystemExit(f"the commit failed:\n{out}\n{err}")
        say(f"  importing process {child.pid}: {out.strip()}")

    def import_roster(self) -> None:
        from django.contrib.auth import get_user_model

        from mentora.core.academic_year import current_academic_year
        from mentora.dataio.services import import_batch_create
        from mentora.notifications.models import Notification
        from mentora.programs.models import Program

        User = get_user_model()
        rows = self.args.rows
        say(f"Import of {rows:,} people")
        program = Program.objects.order_by("pk").first()
        coordinator = User.objects.filter(is_superuser=True).first()
        batch = import_batch_create(program=program, by=coordinator, kind="memberships",
                                    academic_year=current_academic_year(), filename="roster.csv",
                                    content=self.roster_csv(rows))
        self.batch_id, self.program_id = batch.pk, program.pk
        self.commit_child(batch.pk, kill=True)
        left = User.objects.filter(email__endswith=f"@{ROSTER_DOMAIN}").count()
        say(f"  after the kill: {left} of the roster's people in the database (all or nothing)")
        if left:
            self.problems.append(f"a killed import left {left} people behind")
        started = time.monotonic()
        self.commit_child(batch.pk, kill=False)
        say(f"  committed again in {time.monotonic() - started:.1f} s")

        start_mail = self.mail_count()
        worker = self.worker_start()
        invitations = Notification.objects.filter(kind="invitation", user__email__endswith=f"@{ROSTER_DOMAIN}")
        self.wait_until(lambda: invitations.count() >= rows // 4, "invitations", process=worker)
        self.kill(worker, f"during the invitations task ({invitations.count()} invitations recorded)")
        worker = self.worker_start()
        self.wait_until(lambda: self.mail_count() >= start_mail + rows // 4, "invitation emails", process=worker)
        self.kill(worker, f"during the invitation emails ({self.mail_count() - start_mail} messages written)")
        self.drain("import")

    def two_hosts(self) -> None:
        from django.contrib.auth import get_user_model
        from django_tasks_db.models import DBTaskResult

        from mentora.core.academic_year import current_academic_year
        from mentora.core.models import TaskLease
        from mentora.dataio.services import import_batch_create
        from mentora.notifications.models import Notification
        from mentora.programs.models import Program

        rows, lease = self.args.rows // 2, self.args.lease
        say(f"Two hosts: import of {rows:,} people, workers alpha and beta with a {lease:g} s lease")
        program = Program.objects.order_by("pk").first()
        coordinator = get_user_model().objects.filter(is_superuser=True).first()
        batch = import_batch_create(program=program, by=coordinator, kind="memberships",
                                    academic_year=current_academic_year(), filename="roster-hosts.csv",
                                    content=self.roster_csv(rows, HOSTS_DOMAIN, "HOST"))
        self.commit_child(batch.pk, kill=False)
        lease_env = {"MENTORA_WORKER_LEASE_SECONDS": str(lease)}
        workers = {name: self.worker_start(MENTORA_WORKER_HOST=name, **lease_env) for name in ("alpha", "beta")}
        invitations = Notification.objects.filter(kind="invitation", user__email__endswith=f"@{HOSTS_DOMAIN}")
        # The invitation rows are written with the import; the task that emails them is the one to kill
        # mid-way: wait until a worker holds it under a lease and part of its emails are out.
        start_mail = self.mail_count()
        held = TaskLease.objects.filter(task__status="RUNNING", host__in=list(workers))
        self.wait_until(lambda: held.exists() and self.mail_count() >= start_mail + rows // 8,
                        "a task held mid-way on two hosts")
        current = held.select_related("task").first()
        task_pk, name = current.task_id, current.host
        task = DBTaskResult.objects.filter(pk=task_pk)
        victim, survivor = workers[name], workers["beta" if name == "alpha" else "alpha"]
        self.kill(victim, f"on host {name}, holding task {current.task.task_path} "
                          f"({invitations.count()} invitations, {self.mail_count() - start_mail} emails out)")
        killed = time.monotonic()
        self.wait_until(lambda: not TaskLease.objects.filter(task_id=task_pk, host=name).exists(),
                        "the other host to take the task over", timeout=lease * 4 + 60, process=survivor)
        took_over = time.monotonic() - killed
        say(f"  the other host queued the task again {took_over:.1f} s after the kill (lease {lease:g} s)")
        self.wait_until(lambda: self.queue_open() == 0, "the queue to empty on the surviving host", timeout=1800,
                        process=survivor)
        say(f"  the surviving worker finished the queue {time.monotonic() - killed:.1f} s after the kill, "
            f"takeovers recorded: {getattr(TaskLease.objects.filter(task=task.first()).first(), 'takeovers', 'lease released')}")
        if took_over > lease + lease / 3 + 5:
            self.problems.append(f"taken over after {took_over:.1f} s with a {lease:g} s lease")
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=60)
        self.hosts_rows = rows

    # Checks ------------------------------------------------------------------------------------

    def mail_messages(self) -> tuple[collections.Counter, int]:
        sent: collections.Counter = collections.Counter()
        broken = 0
        for path in sorted(self.mail_dir.iterdir()):
            data = path.read_bytes()
            chunks = data.split(SEPARATOR)
            if chunks[-1].strip():
                broken += 1  # a message cut off by a kill, never finished
            for chunk in chunks[:-1]:
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                sent[(str(message["To"]).lower(), _plain(str(message["Subject"])))] += 1
        return sent, broken

    def check(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db import transaction
        from django.db.models import Count
        from django.utils import timezone

        from mentora.meetings.reminders import BUILT_IN, _load_agreements, plugin_scans
        from mentora.notifications.models import Notification
        from mentora.programs.models import Membership

        User = get_user_model()
        say("Checks")
        twice = Notification.objects.values("user", "key").annotate(n=Count("pk")).filter(n__gt=1).count()
        self.report("notices recorded twice for the same person and key", twice)

        now = timezone.now()
        _load_agreements()
        with transaction.atomic():  # what a scan would still create; rolled back, so it emails nothing
            missing = {name: scan(now) for name, scan in {**BUILT_IN, **plugin_scans()}.items()}
            transaction.set_rollback(True)
        self.report(f"reminders a new scan still finds to create {missing}", sum(missing.values()))

        sent, broken = self.mail_messages()
        expected = collections.Counter(
            (email_address.lower(), _plain(f"[Mentora] {title}")) for email_address, title in Notification.objects.filter(
                email_wanted=True, pk__in=self.emailable).values_list("user__email", "title"))
        unsent_rows = Notification.objects.filter(pk__in=self.emailable, emailed_at__isnull=True).count()
        lost = sum((expected - sent).values())
        doubled = sum(n - 1 for n in sent.values() if n > 1)
        unexpected = sum((sent - expected).values()) - doubled
        say(f"  {len(self.emailable):,} notices to email, {sum(sent.values()):,} messages in "
            f"{len(list(self.mail_dir.iterdir()))} mail files")
        self.report("notices to email with no message (lost)", lost)
        self.report("notices still waiting to be emailed", unsent_rows)
        self.report("messages sent twice or more (doubled)", doubled)
        self.report("messages matching no notice", max(unexpected, 0))
        self.report("messages cut off", broken)

        rows = self.args.rows
        people = User.objects.filter(email__endswith=f"@{ROSTER_DOMAIN}")
        memberships = Membership.objects.filter(program_id=self.program_id, user__email__endswith=f"@{ROSTER_DOMAIN}")
        distinct = memberships.values("user").distinct().count()
        invitations = Notification.objects.filter(kind="invitation", user__email__endswith=f"@{ROSTER_DOMAIN}")
        say(f"  roster {rows:,}: {people.count():,} people, {memberships.count():,} memberships "
            f"({distinct:,} people), {invitations.count():,} invitations")
        self.report("roster people missing or doubled", abs(people.count() - rows))
        self.report("roster memberships missing or doubled", abs(memberships.count() - rows) + (rows - distinct))
        self.report("invitations missing or doubled", abs(invitations.count() - rows))
        if getattr(self, "hosts_rows", None):
            rows = self.hosts_rows
            people = User.objects.filter(email__endswith=f"@{HOSTS_DOMAIN}").count()
            invitations = Notification.objects.filter(kind="invitation", user__email__endswith=f"@{HOSTS_DOMAIN}")
            say(f"  two-host roster {rows:,}: {people:,} people, {invitations.count():,} invitations")
            self.report("two-host roster people missing or doubled", abs(people - rows))
            self.report("two-host invitations missing or doubled", abs(invitations.count() - rows))

    def report(self, what: str, count: int) -> None:
        say(f"  {'ok  ' if count == 0 else 'FAIL'} {count:>6,} {what}")
        if count:
            self.problems.append(what)

    def baseline(self) -> None:
        """The notices whose email is due before we start (the demo leaves some unsent) are counted too."""
        from mentora.notifications.models import Notification

        self.first_new_notice = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.unsent_before = list(Notification.objects.filter(email_wanted=True, emailed_at__isnull=True)
                                  .values_list("pk", flat=True))

    @property
    def emailable(self) -> list[int]:
        from mentora.notifications.models import Notification

        new = Notification.objects.filter(pk__gte=self.first_new_notice, email_wanted=True).values_list("pk", flat=True)
        return sorted(set(self.unsent_before) | set(new))

    def main(self) -> int:
        say(f"Database: {self.args.database}; directory {self.temp}")
        try:
            self.create_database()
            started = time.monotonic()
            self.mentora("migrate", "--no-input")
            self.mentora("createcachetable")  # as every installation has it (make run, README)
            self.mentora("demo", "--mentees", "2000", "--mentors", "500", "--no-progress")
            say(f"Migrated and loaded the demo (2,000 mentees, 500 mentors) in {time.monotonic() - started:.0f} s")
            self.setup_django()
            self.baseline()
            self.reminders()
            self.import_roster()
            if not self.args.one_host:
                self.two_hosts()
            self.check()
        finally:
            for worker in self.workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
            self.drop_database()
            if not self.args.keep:
                shutil.rmtree(self.temp, ignore_errors=True)
        say("Nothing lost or doubled." if not self.problems else f"LOST OR DOUBLED: {'; '.join(self.problems)}")
        return 1 if self.problems else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=5000, help="people in the roster (default 5,000)")
    parser.add_argument("--lease", type=float, default=10, help="the workers' lease in the two-host phase (s)")
    parser.add_argument("--one-host", action="store_true", help="skip the two-host phase")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, mail files)")
    sys.exit(Run(parser.parse_args()).main())
