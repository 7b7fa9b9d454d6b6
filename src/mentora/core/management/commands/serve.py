import ipaddress
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name could resolve anywhere


class Command(BaseCommand):
    help = ("Serve Mentora. In development: Django's development server and a background worker together "
            "(Ctrl+C stops both; if either stops, so does the other). With MENTORA_ENV=production: gunicorn "
            "alone; run `mentora worker` as its own service (see deploy/).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
        parser.add_argument("--no-worker", action="store_true",
                            help="Development: serve the pages only, without the background worker.")

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
        if not settings.PRODUCTION and not _is_loopback(host):
            raise CommandError(
                f"Development settings serve only on a loopback address (127.0.0.1, ::1, localhost), not {host}: "
                "their SECRET_KEY is public. Use MENTORA_ENV=production with your own SECRET_KEY to serve others.",
                returncode=2,
            )
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}", returncode=2)
        if settings.PRODUCTION:
            # --preload: gunicorn imports Mentora once (about 3 s of CPU: the URLs, the API and its document)
            # and forks its workers from it, rather than every worker importing it while others serve.
            # Importing opens no database connection and starts no thread, so the workers share nothing
            # they must not. A code update needs a restart of the service (as it always did), not a HUP.
            gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
            os.execv(
                gunicorn,
                [gunicorn, "mentora.config.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
                 "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"), "--preload"],
            )
        if no_worker:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        status = Supervisor(self.stdout, self.stderr).run(host=host, port=port)
        if status:
            sys.exit(status)


def _die_with_parent() -> None:
    """In the child: receive SIGTERM if `mentora serve` itself is killed, so no process is left behind."""
    try:
        import ctypes  # inside the try: only Linux has prctl, elsewhere the import or call fails

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the children outlive a SIGKILL of serve, nothing worse
        pass


class Supervisor:
    """Runs the web server and the worker as two child processes and stops both together.

    The children run in their own session, so Ctrl+C reaches only this process, which then asks
    each child once to stop (SIGTERM): the web server stops at once, the worker after its current
    task. A second Ctrl+C stops the worker at once; its task is queued again when a worker next starts.
    """

    def __init__(self, stdout, stderr):
        self.stdout, self.stderr = stdout, stderr

    def start(self, *arguments: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "mentora.cli", *arguments], start_new_session=True,
                                env=self.env, preexec_fn=_die_with_parent)  # noqa: PLW1509 - only prctl

    def run(self, *, host: str, port: int) -> int:
        signal.signal(signal.SIGTERM, _interrupt)
        # Ctrl+C even when serve was started with SIGINT ignored (a script's background job is), which Python
        # would otherwise keep ignoring.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.env = dict(os.environ)
        if "MENTORA_SITE_URL" not in self.env and host not in {"0.0.0.0", "::"}:
            # Links in emails point at this server unless the site's address is configured.
            self.env["MENTORA_SITE_URL"] = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
        children = {
            "web server": self.start("serve", "--host", host, "--port", str(port), "--no-worker"),
            "worker": self.start("worker"),
        }
        self.stdout.write(f"Web server (pid {children['web server'].pid}) and background worker "
                          f"(pid {children['worker'].pid}) started; Ctrl+C stops both.")
        stopped, status = None, 0
        try:
            while stopped is None:
                stopped = next((name for name, child in children.items() if child.poll() is not None), None)
                time.sleep(0.2)
            other = "worker" if stopped == "web server" else "web server"
            code = children[stopped].returncode
            status = code if code > 0 else 1
            how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"stopped (exit status {code})"
            self.stderr.write(f"mentora serve: the {stopped} {how}; stopping the {other} too. "
                              "Any reason it gave is in the output above.")
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server, and the worker after its current task "
                              "(Ctrl+C again to stop it now)...")
        self.stop(children)
        return status

    def stop(self, children: dict) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            while True:
                try:
                    child.wait()
                    break
                except KeyboardInterrupt:  # impatient: the worker stops now, its task goes back in the queue
                    if child.poll() is None:
                        child.send_signal(signal.SIGTERM)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
