import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentora.cli import main

MENTORA = [sys.executable, "-m", "mentora.cli"]
SOURCE = Path(__file__).resolve().parents[2] / "src"  # this checkout's code, whichever copy is installed


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE), environment.get("PYTHONPATH")]))
    return subprocess.run([*MENTORA, *args], capture_output=True, text=True, env=environment, timeout=120)


def test_help_lists_mentora_and_django_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "demo", "worker", "match", "smart", "migrate", "check"):
        assert command in result.stdout


def test_no_command_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "usage: mentora" in result.stderr


def test_unknown_command_exits_2_with_one_line_message():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_of_a_django_command_exits_2():
    result = run("demo", "--mentees", "many")
    assert result.returncode == 2
    assert "invalid int value" in result.stderr


def test_unknown_top_level_option_exits_2():
    assert main(["--frobnicate"]) == 2


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    result = run("check", env={"MENTORA_ENV": "production", "SECRET_KEY": "", "DATABASE_URL": "",
                               "ALLOWED_HOSTS": ""})
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(("site_url", "message"), [
    ("", "MENTORA_SITE_URL must be set"),
    ("mentora.example.org", "MENTORA_SITE_URL must be the address people reach Mentora at"),
])
def test_production_refuses_to_start_without_the_site_address(tmp_path, site_url, message):
    result = run("check", env={"MENTORA_ENV": "production", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "mentora.example.org",
                               "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "MENTORA_VAR_DIR": str(tmp_path),
                               "MENTORA_SITE_URL": site_url})
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "MENTORA_ENV": "production",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "mentora.example.org",
        "MENTORA_SITE_URL": "https://mentora.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "MENTORA_VAR_DIR": str(tmp_path),
    }
    result = run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_demo_refuses_production_database_without_override(tmp_path):
    env = {
        "MENTORA_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "mentora.example.org",
        "MENTORA_SITE_URL": "https://mentora.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "MENTORA_VAR_DIR": str(tmp_path),
    }
    result = run("demo", "--mentees", "5", "--mentors", "2", env=env)
    assert result.returncode == 2
    assert "refusing to load demo data into a production database" in result.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "mentora.example.org"])
def test_development_settings_refuse_to_serve_beyond_this_machine(host, tmp_path):
    import mentora

    env = {"MENTORA_ENV": "development", "MENTORA_VAR_DIR": str(tmp_path),
           "PYTHONPATH": os.path.dirname(os.path.dirname(mentora.__file__))}  # this checkout's code
    try:
        result = run("serve", "--host", host, "--port", "8765", env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mentora serve --host {host} started serving with development settings")
    assert result.returncode == 2
    assert "loopback" in result.stderr and "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("10.0.0.1", False), ("example.org", False),
])
def test_which_hosts_count_as_loopback(host, loopback):
    from mentora.core.management.commands.serve import _is_loopback

    assert _is_loopback(host) is loopback


def test_production_serve_is_gunicorn_loading_the_application_once_before_its_workers(monkeypatch, settings):
    """gunicorn imports Mentora once and forks its workers from it (--preload): a start or restart costs
    one import (about 3 s of CPU) instead of one per worker, and no worker takes requests half-loaded."""
    from django.core.management import call_command

    from mentora.core.management.commands import serve

    class Replaced(Exception):
        """os.execv replaces the process: nothing after it runs."""

    def execv(path, argv):
        calls.append(argv)
        raise Replaced

    calls = []
    monkeypatch.setattr(serve.os, "execv", execv)
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    settings.PRODUCTION = True
    with pytest.raises(Replaced):
        call_command("serve", "--host", "127.0.0.1", "--port", "8000", "--workers", "4")
    [argv] = calls
    assert argv[0].endswith("gunicorn") and argv[1] == "mentora.config.wsgi:application"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000" and argv[argv.index("--workers") + 1] == "4"
    assert argv[argv.index("--forwarded-allow-ips") + 1] == "127.0.0.1"
    assert "--preload" in argv


def test_loading_the_application_opens_no_connection_and_starts_no_thread(tmp_path):
    """What --preload relies on: the workers forked from gunicorn's master share no database
    connection and no thread of it."""
    import mentora

    code = ("import threading, mentora.config.wsgi; from django.db import connections; "
            "assert all(connections[a].connection is None for a in connections), 'a connection is open'; "
            "assert threading.active_count() == 1, threading.enumerate(); print('clean')")
    env = {**os.environ, "MENTORA_ENV": "development", "MENTORA_VAR_DIR": str(tmp_path),
           "PYTHONPATH": os.path.dirname(os.path.dirname(mentora.__file__))}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "clean", result.stderr[-2000:]
