"""Acceptance: on a new site, the steps of `make run`, then a coordinator runs and publishes a batch match.

`mentora serve` is started exactly as `make run` starts it (a subprocess, a fresh var directory,
migrate, createcachetable, a small demo), with no other command: the batch match completes only
if the worker that serve starts beside the web server runs it. Ctrl+C then stops both. The var
directory begins with the database a first `migrate` makes of a new file (a copy: every test
database and tests/core/test_demo.py migrate from nothing), so `migrate` finds nothing left to do.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.core.processes import Site

from .conftest import PageChecker, screenshot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, serve: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if serve.poll() is not None:
            pytest.fail(f"mentora serve exited ({serve.returncode}):\n{serve.log_path.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"mentora serve did not answer at {url}")


def _batch_relationships(directory) -> int:
    database = sqlite3.connect(directory / "var" / "mentora.sqlite3", timeout=30)
    try:
        return database.execute("SELECT COUNT(*) FROM relationships_relationship "
                                "WHERE source = 'batch_match'").fetchone()[0]
    finally:
        database.close()


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


def test_make_run_then_a_coordinator_runs_and_publishes_a_batch_match(tmp_path, page, axe, migrated_sqlite):
    site = Site(tmp_path)
    site.env.pop("DJANGO_SETTINGS_MODULE")  # exactly make run's settings: the console email backend
    site.start_from(migrated_sqlite)
    site.mentora("migrate", "--no-input", "-v", "0")
    site.mentora("createcachetable")
    site.mentora("demo", "--mentees", "200", "--mentors", "60", "--no-progress")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve = site.start("serve", [sys.executable, "-m", "mentora.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port)])
    try:
        _wait_for(f"{base}/accounts/login/", serve)
        checker = PageChecker(page, axe)
        page.set_default_timeout(20000)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill("coordinator@example.org")
        page.get_by_label("Password").fill("mentora-demo")
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{base}/")
        page.get_by_role("link", name="Batch match").click()
        page.get_by_role("link", name="New batch match").click()
        page.get_by_role("button", name="Run the match").click()
        checker.check()
        # Queued for the worker serve started: no other command runs it.
        page.get_by_test_id("run-status").filter(has_text="Preview ready").wait_for(timeout=180_000)
        checker.check()
        pairs = page.locator("table.pairs tbody tr").count()
        assert pairs > 0
        screenshot(page, "make-run-batch-preview")
        before = _batch_relationships(tmp_path)
        page.get_by_role("button", name=re.compile("^Publish")).click()
        page.get_by_test_id("job-status").filter(has_text="Done").wait_for(timeout=180_000)  # by the worker
        checker.check()
        created = int(re.search(r"(\d+) relationships? created", page.content()).group(1))
        page.get_by_role("link", name="See the pairs").click()
        page.get_by_test_id("run-status").filter(has_text="Published").wait_for()
        checker.check()
        screenshot(page, "make-run-batch-published")
        checker.assert_clean()
        assert _batch_relationships(tmp_path) - before == created > 0

        # Ctrl+C stops the web server and the worker, and serve exits cleanly.
        children = _children(serve.pid)
        assert len(children) == 2
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=120) == 0, serve.log_path.read_text()[-3000:]
        for child in children:
            with pytest.raises(ProcessLookupError):
                os.kill(child, 0)
    finally:
        site.stop_all()
