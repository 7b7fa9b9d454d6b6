"""Backup and restore round trip: this database -> PostgreSQL -> SQLite, compared independently."""

import json
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from . import snapshot

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get("MENTORA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def mentora(*args, env, timeout=300):
    result = subprocess.run([sys.executable, "-m", "mentora.cli", *args], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=timeout)
    return result


# Run in a child process against the database its environment names: the independent picture of that
# database (tests/dataio/snapshot.py) written to argv[1], then one more step (argv[2]): a backup of
# it to argv[3], or a login with a demo password, to show that the restored password hashes work.
AFTER_RESTORE = """
import json, sys
from pathlib import Path

import django

django.setup()
from django.core.management import call_command
from django.test import Client

from mentora.core.demo import DEMO_LOGINS
from tests.dataio import snapshot

Path(sys.argv[1]).write_text(json.dumps(snapshot.take()))
if sys.argv[2] == "backup":
    call_command("backup", sys.argv[3])
else:
    print("login", Client().login(username=DEMO_LOGINS["coordinator"], password="mentora-demo"))
"""


def after_restore(env, out: Path, *step: str) -> tuple[dict, str]:
    result = subprocess.run([sys.executable, "-c", AFTER_RESTORE, str(out), *step], env=env,
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(out.read_text()), result.stdout


@pytest.fixture
def postgres_database():
    """A throw-away PostgreSQL database, created and dropped with psycopg."""
    import psycopg

    name = f"mentora_restore_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("MENTORA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but not reachable at {POSTGRES_ADMIN_URL}: {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} (set MENTORA_TEST_POSTGRES): "
                    "the SQLite -> PostgreSQL -> SQLite round trip needs one")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(tmp: Path, database_url: str | None) -> dict:
    env = {**os.environ, "MENTORA_VAR_DIR": str(tmp), "MENTORA_TESTING": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.mark.django_db
@pytest.mark.both_engines  # its backups are read from both engines and restored into both, in either pass
def test_round_trip_to_postgresql_and_back_loses_nothing(demo_network, tmp_path, settings, postgres_database,
                                                         migrated_sqlite):
    """This database -> a new, empty PostgreSQL database (restore migrates it first) -> SQLite (whose
    schema `mentora migrate` made), each compared table by table with the source."""
    settings.MEDIA_ROOT = tmp_path / "source-media"
    photo = settings.MEDIA_ROOT / "photos" / "ama.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(bytes(range(256)) * 40)
    (settings.MEDIA_ROOT / "notes ü.txt").write_text("résumé — 研修医\n", encoding="utf-8")

    first = tmp_path / "first.zip"
    call_command("backup", str(first))
    source = snapshot.take()
    assert source["tables"]["accounts_user"]["rows"] > 70 and len(source["media"]) == 2

    postgres_dir, sqlite_dir = tmp_path / "pg", tmp_path / "sqlite"
    postgres_env, sqlite_env = child_env(postgres_dir, postgres_database), child_env(sqlite_dir, None)
    restored = mentora("restore", str(first), env=postgres_env)
    assert restored.returncode == 0, restored.stderr[-3000:]
    second = tmp_path / "second.zip"
    on_postgres, _ = after_restore(postgres_env, tmp_path / "pg.json", "backup", str(second))
    assert second.is_file()
    sqlite_dir.mkdir()
    shutil.copyfile(migrated_sqlite, sqlite_dir / "mentora.sqlite3")
    restored = mentora("restore", str(second), env=sqlite_env)
    assert restored.returncode == 0, restored.stderr[-3000:]
    on_sqlite, said = after_restore(sqlite_env, tmp_path / "sqlite.json", "login")

    for name, picture in (("PostgreSQL", on_postgres), ("SQLite again", on_sqlite)):
        differing = sorted(t for t in source["tables"] if source["tables"][t] != picture["tables"].get(t))
        assert differing == [], f"{name} differs in {differing}"
        assert picture["media"] == source["media"]
    assert said.strip().splitlines()[-1] == "login True", said


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(cast, tmp_path):
    target = tmp_path / "b.zip"
    call_command("backup", str(target))
    with pytest.raises(CommandError, match="not empty") as error:
        call_command("restore", str(target))
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_damaged_or_foreign_archives_are_refused(cast, tmp_path):
    good = tmp_path / "b.zip"
    call_command("backup", str(good))
    from mentora.dataio.backup import open_backup

    damaged = tmp_path / "damaged.zip"  # a plain zip, as backups were before they were encrypted
    with open_backup(good) as (source, _encrypted), zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "data/accounts.user.jsonl":
                data = data.replace(b"@example.com", b"@example.net", 1)
            out.writestr(item, data)
    not_a_backup = tmp_path / "other.zip"
    with zipfile.ZipFile(not_a_backup, "w") as out:
        out.writestr("hello.txt", "hi")
    from mentora.dataio.backup import BackupError, restore

    with pytest.raises(BackupError, match="accounts.user.jsonl is damaged"):
        restore(damaged)
    with pytest.raises(BackupError, match="not a Mentora backup"):
        restore(not_a_backup)
    (tmp_path / "plain.zip").write_text("not a zip")
    with pytest.raises(BackupError, match="cannot open"):
        restore(tmp_path / "plain.zip")


@pytest.mark.django_db
def test_backup_holds_every_table_with_counts_and_the_password_hashes(cast, tmp_path):
    from django.apps import apps

    from mentora.dataio.backup import open_backup

    target = tmp_path / "b.zip"
    call_command("backup", str(target))
    assert cast["mentee_a"].password.encode() not in target.read_bytes()  # encrypted on disk
    with open_backup(target) as (archive, encrypted):
        assert encrypted
        manifest = json.loads(archive.read("manifest.json"))
        users = [json.loads(line) for line in archive.read("data/accounts.user.jsonl").splitlines()]
    labels = {entry["label"] for entry in manifest["models"]}
    expected = {m._meta.label for m in apps.get_models(include_auto_created=True)
                if m._meta.managed and not m._meta.proxy} - {"contenttypes.ContentType", "auth.Permission"}
    assert labels == expected
    counts = {entry["label"]: entry["rows"] for entry in manifest["models"]}
    from django.contrib.auth import get_user_model

    assert counts["accounts.User"] == len(users) == get_user_model().objects.count() > 0
    assert {u["email"]: u["password"] for u in users}[cast["mentee_a"].email] == cast["mentee_a"].password
    order = [entry["label"] for entry in manifest["models"]]
    assert order.index("accounts.User") < order.index("programs.Membership")
    assert order.index("programs.Program") < order.index("programs.Membership")


def test_backup_refuses_to_overwrite(tmp_path):
    existing = tmp_path / "b.zip"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="exists") as error:
        call_command("backup", str(existing))
    assert error.value.returncode == 2 and existing.read_text() == "keep me"
