"""mentora import FILE --program SLUG [--kind mentees|mentors|memberships] [--year YYYY] [--commit]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentora.core.academic_year import current_academic_year
from mentora.dataio.importer import FIELDS, auto_mapping, plan_import
from mentora.dataio.models import ImportBatch
from mentora.dataio.reading import FileProblem, read_table
from mentora.dataio.services import import_commit
from mentora.programs.models import Program


class Command(BaseCommand):
    help = "Import mentees, mentors or memberships from a CSV or XLSX file (a dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--program", required=True, help="the program's slug")
        parser.add_argument("--kind", choices=ImportBatch.Kind.values, default="memberships",
                            help="what the file holds (default: memberships, with a role column)")
        parser.add_argument("--year", type=int, help="academic year (default: the current one)")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                            help=f"map a column by hand; fields: {', '.join(FIELDS)}")
        parser.add_argument("--commit", action="store_true", help="write the import (default: preview only)")
        parser.add_argument("--no-invite", action="store_true", help="do not email invitations to new people")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"no program with slug {options['program']!r}", returncode=2)
        try:
            sheet = read_table(path.name, path.read_bytes())
        except FileProblem as problem:
            raise CommandError(f"{path}: {problem}", returncode=2) from None
        mapping = None
        if options["map"]:
            mapping = auto_mapping(sheet.header)
            for item in options["map"]:
                target, _, column = item.partition("=")
                if target not in FIELDS or not column:
                    raise CommandError(f"--map wants FIELD=COLUMN with a field of {', '.join(FIELDS)}", returncode=2)
                mapping[target] = column
        plan = plan_import(sheet=sheet, program=program, kind=options["kind"],
                           academic_year=options["year"] or current_academic_year(), mapping=mapping)
        columns = ", ".join(f"{FIELDS[t][0]}←“{c}”" for t, c in plan.mapping.items())
        self.stdout.write(f"{path.name}: {len(sheet.rows)} rows ({sheet.encoding}); columns: {columns}")
        for problem in plan.file_errors:
            self.stderr.write(problem)
        for error in plan.errors:
            self.stderr.write(str(error))
        counts = plan.counts()
        summary = f"{counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged"
        if counts["invite"] or counts["invited"] or counts["declined"]:
            summary += (f", {counts['invite']} with an account elsewhere asked to join, {counts['invited']} asked "
                        f"before and not answered, {counts['declined']} declined")
        if not plan.ok:
            raise CommandError(
                f"{len(plan.errors) + len(plan.file_errors)} problems ({summary} otherwise); nothing was imported",
                returncode=2)
        if not options["commit"]:
            self.stdout.write(f"Dry run: {summary}. Run again with --commit to import.")
            return
        import_commit(plan=plan, invite=not options["no_invite"])
        self.stdout.write(f"Imported: {summary}.")
