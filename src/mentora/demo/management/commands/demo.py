import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mentora.core.demo import DEMO_LOGINS, DESIGN_SCALE, Progress
from mentora.demo.network import demo_loaded, estimated_rows, generate_demo


class Command(BaseCommand):
    help = "Load a generated, deterministic demo network with fixed demo logins (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--mentees", type=int, default=None, help="400 (50,000 with --design-scale)")
        parser.add_argument("--mentors", type=int, default=None, help="100 (12,000 with --design-scale)")
        parser.add_argument(
            "--design-scale", action="store_true",
            help="The design's scale: 50,000 mentees, 12,000 mentors, two and a half years of meetings (over "
                 "500,000) and about 200,000 goals; takes a minute or two.",
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo is already loaded.")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Load into a production-configured database anyway (throwaway load-test databases only).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, mentees: int | None, mentors: int | None, seed: int, if_empty: bool,
               allow_production: bool, no_progress: bool, design_scale: bool, **options):
        density = {}
        if design_scale:
            density = {"history_days": DESIGN_SCALE["history_days"], "goals_per_plan": DESIGN_SCALE["goals_per_plan"]}
        mentees = mentees if mentees is not None else DESIGN_SCALE["mentees"] if design_scale else 400
        mentors = mentors if mentors is not None else DESIGN_SCALE["mentors"] if design_scale else 100
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "refusing to load demo data into a production database (MENTORA_ENV=production); "
                "pass --allow-production only for a throwaway load-test database",
                returncode=2,
            )
        if mentees < 1 or mentors < 1:
            raise CommandError("--mentees and --mentors must be at least 1", returncode=2)
        if mentees > 1_000_000 or mentors > 250_000:
            raise CommandError("at most 1,000,000 mentees and 250,000 mentors", returncode=2)
        if demo_loaded():
            if if_empty:
                self.stdout.write("Demo data is already loaded.")
                self._print_logins()
                return
            raise CommandError(
                "demo data is already loaded; use a fresh database (e.g. delete var/mentora.sqlite3) to regenerate",
                returncode=2,
            )
        started = time.perf_counter()
        progress = Progress(
            estimated_rows(mentees, mentors), enabled=not no_progress and sys.stderr.isatty(), stream=sys.stderr
        )
        try:
            context = generate_demo(mentees=mentees, mentors=mentors, seed=seed, progress=progress, **density)
        finally:
            progress.close()
        if options["verbosity"] > 1:
            for step, seconds in context.timings.items():
                self.stdout.write(f"  {step:<20} {seconds:6.1f} s")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo network loaded: {mentees} mentees, {mentors} mentors in {elapsed:.1f} s.")
        )
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"Demo logins (password: {settings.MENTORA_DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<12} {email}")
