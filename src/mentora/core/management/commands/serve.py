import ipaddress
import os
import sys

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
    help = "Serve Mentora: Django's development server, or gunicorn when MENTORA_ENV=production."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args, host: str, port: int, workers: int, **options):
        if not settings.PRODUCTION and not _is_loopback(host):
            raise CommandError(
                f"Development settings serve only on a loopback address (127.0.0.1, ::1, localhost), not {host}: "
                "their SECRET_KEY is public. Use MENTORA_ENV=production with your own SECRET_KEY to serve others.",
                returncode=2,
            )
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}", returncode=2)
        if settings.PRODUCTION:
            gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
            os.execv(
                gunicorn,
                [gunicorn, "mentora.config.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
                 "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")],
            )
        call_command("runserver", f"{host}:{port}", use_reloader=False)
