"""`mentora rollover --program SLUG [--from-year YEAR] [--commit]`: preview, then carry a program into
the next academic year. Without --commit nothing changes."""

from django.core.management.base import BaseCommand, CommandError

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Program
from mentora.rollover.plan import rollover_plan
from mentora.rollover.services import rollover_commit


class Command(BaseCommand):
    help = "Preview (default) or commit the academic-year rollover of a program."

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="The program's slug.")
        parser.add_argument("--from-year", type=int, help="Academic year to roll from (default: the current one).")
        parser.add_argument("--commit", action="store_true", help="Make the changes (otherwise only a preview).")

    def handle(self, *args, program: str, from_year: int | None, commit: bool, **options):
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"no program with slug {program!r}", returncode=2)
        year = from_year if from_year is not None else current_academic_year()
        plan = rollover_plan(program=found, from_year=year)
        self.stdout.write(f"{found.name}: {year} -> {year + 1}")
        for step in plan.steps:
            self.stdout.write(f"  {step.action:<9} {step.role:<12} {step.level or '-':<8} -> "
                              f"{step.next_level or '-':<8} {step.person}")
        for key, value in sorted(plan.counts.items()):
            self.stdout.write(f"  {key}: {value}")
        if not commit:
            self.stdout.write("Preview only: nothing changed. Run again with --commit to roll over.")
            return
        run, plan = rollover_commit(program=found, from_year=year)
        if plan.changes_anything:
            self.stdout.write(f"Committed: {plan.counts}")
        else:
            self.stdout.write("Nothing more to do: already rolled over.")
