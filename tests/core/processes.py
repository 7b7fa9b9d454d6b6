"""A throw-away Mentora site driven by real processes: its own database, worker and mail directory.

The tests of the worker run the `mentora` command and small Django scripts as child processes,
against a SQLite file under a temporary MENTORA_VAR_DIR or a PostgreSQL database created for them,
with emails written by Django's file backend so that every message can be counted.
"""

import collections
import email
import email.policy
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get("MENTORA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
SEPARATOR = b"-" * 79 + b"\n"

SETTINGS_SHIM = '''import os
from mentora.config.settings import *  # noqa: F403
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["MENTORA_TEST_MAIL_DIR"]
'''

# Creates a program and `count` people, and queues the import's invitation task for them.
SETUP_INVITATIONS = '''import sys
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from mentora.dataio.tasks import send_import_invitations
from mentora.profiles.models import Profile
from tests.factories import ProgramFactory

count, domain = int(sys.argv[1]), sys.argv[2]
User = get_user_model()
program = ProgramFactory()
password = make_password("a-long-test-password")
User.objects.bulk_create(User(email=f"p{i}@{domain}", full_name=f"Person {i}", password=password)
                         for i in range(count))
people = list(User.objects.filter(email__endswith=f"@{domain}").values_list("pk", flat=True))
Profile.objects.bulk_create(Profile(user_id=pk) for pk in people)
result = send_import_invitations.enqueue(user_ids=people, program_id=program.pk)
print(result.id)
'''


@contextmanager
def postgres_database():
    import psycopg

    name = f"mentora_worker_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("MENTORA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but not reachable at {POSTGRES_ADMIN_URL}: {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} (set MENTORA_TEST_POSTGRES)")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    def __init__(self, directory: Path, database_url: str | None = None):
        self.directory = directory
        self.mail_dir = directory / "mail"
        self.mail_dir.mkdir()
        (directory / "process_settings.py").write_text(SETTINGS_SHIM)
        self.database_url = database_url
        self.env = {k: v for k, v in os.environ.items()
                    if k not in {"MENTORA_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        self.env.update({
            "MENTORA_VAR_DIR": str(directory / "var"), "MENTORA_TEST_MAIL_DIR": str(self.mail_dir),
            "DJANGO_SETTINGS_MODULE": "process_settings", "MENTORA_DEBUG": "0",
            "PYTHONPATH": os.pathsep.join([str(directory), str(ROOT / "src"), str(ROOT)]),
        })
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.processes: list[subprocess.Popen] = []

    def mentora(self, *arguments: str, timeout: float = 600) -> str:
        result = subprocess.run([sys.executable, "-m", "mentora.cli", *arguments], env=self.env, cwd=self.directory,
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"mentora {' '.join(arguments)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start_from(self, migrated_sqlite: Path) -> None:
        """This site's database begins as a copy of a new, migrated one (the `migrated_sqlite` fixture)."""
        assert not self.database_url, "a SQLite site"
        (self.directory / "var").mkdir(exist_ok=True)
        shutil.copyfile(migrated_sqlite, self.directory / "var" / "mentora.sqlite3")

    def script(self, code: str, *arguments: str, timeout: float = 600) -> str:
        prelude = "import django\ndjango.setup()\n"
        result = subprocess.run([sys.executable, "-c", prelude + code, *arguments], env=self.env,
                                cwd=self.directory, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"script failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout.strip()

    def start(self, name: str, arguments: list[str], **env: str) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "w")  # noqa: SIM115 - closed when the process is reaped
        process = subprocess.Popen(arguments, env={**self.env, **env}, cwd=self.directory, stdout=log,
                                   stderr=subprocess.STDOUT)
        process.log_path = self.directory / f"{name}.log"
        self.processes.append(process)
        return process

    def start_worker(self, name: str, **env: str) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-m", "mentora.cli", "worker", "--interval", "0.2"], **env)

    def start_script(self, name: str, code: str, *arguments: str) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-c", "import django\ndjango.setup()\n" + code, *arguments])

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()

    # Reading the database directly, without Django, while the processes write to it ---------------

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                return connection.execute(sql.replace("?", "%s"), params).fetchall()
        connection = sqlite3.connect(self.directory / "var" / "mentora.sqlite3", timeout=30)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def count(self, sql: str, params: tuple = ()) -> int:
        return self.query(sql, params)[0][0]

    def tasks_open(self) -> int:
        return self.count("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                          "WHERE status NOT IN ('SUCCESSFUL', 'FAILED')")

    def wait_until(self, condition, what: str, timeout: float = 300, watch: tuple = ()) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            for process in watch:
                if process.poll() is not None:
                    pytest.fail(f"{what}: a process exited ({process.returncode}) first:\n"
                                f"{process.log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}")

    def mail(self) -> collections.Counter:
        """(recipient, subject) -> how many messages the file backend wrote."""
        sent: collections.Counter = collections.Counter()
        for path in self.mail_dir.iterdir():
            for chunk in path.read_bytes().split(SEPARATOR)[:-1]:
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                sent[(str(message["To"]).lower(), " ".join(str(message["Subject"]).split()))] += 1
        return sent
