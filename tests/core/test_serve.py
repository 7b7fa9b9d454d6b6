"""`mentora serve` in development: the web server and the worker live and die together."""

import os
import signal
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .processes import Site

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def test_when_the_worker_dies_serve_stops_the_web_server_and_says_why(tmp_path, migrated_sqlite):
    site = Site(tmp_path)
    site.start_from(migrated_sqlite)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = site.start("serve", [sys.executable, "-m", "mentora.cli", "serve", "--port", str(port)])
    try:
        site.wait_until(lambda: "Starting worker" in serve.log_path.read_text(), "the worker", watch=(serve,))
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, serve.log_path.read_text()
                time.sleep(0.5)
        with open(f"/proc/{serve.pid}/task/{serve.pid}/children") as children:
            pids = [int(pid) for pid in children.read().split()]
        commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") for pid in pids}
        (worker,) = [pid for pid, command in commands.items() if b"worker" in command]
        (web,) = [pid for pid in pids if pid != worker]
        os.kill(worker, signal.SIGKILL)
        assert serve.wait(timeout=60) == 1
        assert "the worker was killed by SIGKILL; stopping the web server too" in serve.log_path.read_text()
        with pytest.raises(ProcessLookupError):
            os.kill(web, 0)
    finally:
        site.stop_all()
