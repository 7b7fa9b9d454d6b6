"""`mentora milestone_reminders`: the idempotent scan for IMG milestone reminders (cron-safe)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from mentora.milestones.services import milestone_reminders_send


class Command(BaseCommand):
    help = "Remind mentees of IMG milestones coming up (safe to run any number of times)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for catching up.")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today: not a date: {today!r}", returncode=2) from None
        made = milestone_reminders_send(today=day)
        self.stdout.write(f"{made} milestone reminder(s) made")
