"""`mentora serve` in development: the web server and the worker live and die together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .processes import Site

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _serve(site: Site, **popen) -> tuple:
    """`mentora serve` on a free port, once its worker has started and its web server answers; (process, pids of
    the web server and the worker)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if popen:
        log = open(site.directory / "serve.log", "w")  # noqa: SIM115 - closed when the process is reaped
        serve = subprocess.Popen([sys.executable, "-m", "mentora.cli", "serve", "--port", str(port)], env=site.env,
                                 cwd=site.directory, stdout=log, stderr=subprocess.STDOUT, **popen)
        serve.log_path = site.directory / "serve.log"
        site.processes.append(serve)
    else:
        serve = site.start("serve", [sys.executable, "-m", "mentora.cli", "serve", "--port", str(port)])
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
    return serve, web, worker


def test_when_the_worker_dies_serve_stops_the_web_server_and_says_why(tmp_path, migrated_sqlite):
    site = Site(tmp_path)
    site.start_from(migrated_sqlite)
    try:
        serve, web, worker = _serve(site)
        os.kill(worker, signal.SIGKILL)
        assert serve.wait(timeout=60) == 1
        assert "the worker was killed by SIGKILL; stopping the web server too" in serve.log_path.read_text()
        with pytest.raises(ProcessLookupError):
            os.kill(web, 0)
    finally:
        site.stop_all()


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_ctrl_c_stops_serve_even_when_started_where_interrupts_are_ignored(tmp_path, migrated_sqlite):
    """A script's background job (`mentora serve &`, a CI step) starts with SIGINT ignored, and Python then keeps
    it ignored: Ctrl+C (SIGINT) did nothing and serve ran on. It stops both processes and exits 0 all the same."""
    site = Site(tmp_path)
    site.start_from(migrated_sqlite)
    try:
        serve, web, worker = _serve(site, preexec_fn=_ignore_interrupts)  # noqa: PLW1509 - only a signal's handler
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=60) == 0, serve.log_path.read_text()[-3000:]
        for pid in (web, worker):
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        site.stop_all()
