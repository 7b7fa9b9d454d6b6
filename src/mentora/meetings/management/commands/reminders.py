import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from mentora.meetings.reminders import run_reminders
from mentora.meetings.tasks import send_reminders


class Command(BaseCommand):
    help = ("Send due reminders (upcoming meetings, slipping cadence, overdue action items, and those of other apps) "
            "exactly once: an idempotent scan for cron, or --enqueue to hand it to `mentora worker`.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the scan for the worker instead of running it.")
        parser.add_argument("--now", help="Scan as if it were this ISO 8601 time (with offset), for catching up.")

    def handle(self, *args, enqueue: bool, now: str | None, **options):
        when = None
        if now:
            when = parse_datetime(now)
            if when is None or when.tzinfo is None:
                raise CommandError("--now needs an ISO 8601 time with an offset, e.g. 2026-11-25T09:00:00+00:00",
                                   returncode=2)
            when = when.astimezone(datetime.UTC)
        if enqueue:
            if when is not None:
                raise CommandError("--now cannot be combined with --enqueue", returncode=2)

            result = send_reminders.enqueue()
            self.stdout.write(f"Reminder scan queued ({result.id}).")
            return

        result = run_reminders(when)
        details = ", ".join(f"{name} {count}" for name, count in result.created.items())
        self.stdout.write(f"Reminders created: {result.total} ({details}); emails sent: {result.emailed}.")
