"""Benchmark of the spreadsheet import and of backup/restore (not run in CI or tests).

    MENTORA_VAR_DIR=/tmp/bench-import .venv/bin/python bench/import.py            # 10,000 rows
    MENTORA_VAR_DIR=/tmp/bench-import .venv/bin/python bench/import.py --rows 20000 --backup

Uses the database the environment points at (SQLite under MENTORA_VAR_DIR by default; it is
migrated and must hold no data of value: the benchmark adds a program and its people). Writes a
CSV of N mentees and mentors with accents and non-Latin names (UTF-8 with BOM, CRLF, a quoted
multi-line column) and an XLSX of the same, then times: reading + preview (dry run), the commit
of N new people, and re-importing the same file (all unchanged). Invitations are queued to the
worker and timed separately with the immediate backend. With --backup it also times
`backup` and `restore` (into a fresh SQLite file) and prints the zip size.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")

FIRST = ["José", "Zoë", "Ama", "Wei", "Дмитрий", "Priya", "محمد", "Łukasz", "Nguyễn", "Chidi", "芳", "Olúwadámilọ́lá"]
LAST = ["Núñez-García", "Okafor", "王", "Иванов", "Reddy", "العلي", "Wójcik", "Trần", "Müller", "Mensah", "O'Brien"]
LEVELS = ["PGY-1", "PGY-2", "pgy3", "PGY 4", "Fellow"]
COUNTRIES = ["India", "NG", "Mexico", "Pakistan", "PH", "Egypt", "China", "RU"]


def make_rows(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        mentor = i % 5 == 0
        rows.append([
            f"EXT-{i:06d}", rng.choice(FIRST), rng.choice(LAST), f"person{i}@bench.example.org",
            "mentor" if mentor else "mentee", "Faculty" if mentor else rng.choice(LEVELS),
            rng.choice(COUNTRIES), "3" if mentor else "", "line one\r\nline two" if i % 7 == 0 else "",
        ])
    return rows


HEADER = ["Employee ID", "First name", "Last name", "E-mail", "Role", "PGY", "Country of medical school",
          "Capacity", "Notes"]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backup", action="store_true", help="also time backup and restore")
    args = parser.parse_args()

    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from mentora.core.academic_year import current_academic_year
    from mentora.dataio.importer import plan_import
    from mentora.dataio.reading import read_table
    from mentora.dataio.services import import_commit
    from mentora.programs.models import Institution, Program

    tag = f"bench-{int(time.time())}"
    institution = Institution.objects.create(name=f"Bench {tag}", slug=tag)
    program = Program.objects.create(institution=institution, name=f"Bench {tag}", slug=tag,
                                     specialty="internal_medicine")
    rows = make_rows(args.rows, args.seed)
    rows = [[cell.replace("bench.example.org", f"{tag}.example.org") for cell in row] for row in rows]
    year = current_academic_year()
    print(f"{args.rows:,} rows on {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    def timed(label, function):
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        print(f"  {label:<44} {time.perf_counter() - started:6.2f} s wall, {time.process_time() - cpu:6.2f} s CPU")
        return result

    content = csv_bytes(rows)
    print(f"CSV: {len(content):,} bytes")
    sheet = timed("read CSV", lambda: read_table("bench.csv", content))
    plan = timed("preview (validate + match, dry run)", lambda: plan_import(
        sheet=sheet, program=program, kind="memberships", academic_year=year))
    assert plan.ok, plan.errors[:5]
    counts = timed("commit (all new, invitations queued)", lambda: import_commit(plan=plan))
    print(f"  -> {counts}")
    counts = timed("re-import same file (read+preview+commit)", lambda: import_commit(plan=plan_import(
        sheet=read_table("bench.csv", content), program=program, kind="memberships", academic_year=year)))
    print(f"  -> {counts}")

    xlsx = timed("write XLSX (openpyxl, for the next step)", lambda: xlsx_bytes(rows))
    print(f"XLSX: {len(xlsx):,} bytes")
    sheet = timed("read XLSX", lambda: read_table("bench.xlsx", xlsx))
    timed("preview XLSX (all unchanged)", lambda: plan_import(sheet=sheet, program=program, kind="memberships",
                                                             academic_year=year))

    from django.contrib.auth import get_user_model

    from mentora.dataio.tasks import send_import_invitations

    ids = list(get_user_model().objects.filter(email__endswith=f"@{tag}.example.org").values_list("pk", flat=True))
    sample = ids[:1000]
    started = time.perf_counter()
    send_import_invitations.call(user_ids=sample, program_id=program.pk)
    per = (time.perf_counter() - started) / len(sample)
    print(f"  invitations (worker): {per * 1000:.1f} ms each, {per * len(ids):.1f} s for all {len(ids):,}")

    if args.backup:
        import subprocess

        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "backup.zip"
            timed("backup", lambda: call_command("backup", str(target)))
            print(f"  backup zip: {target.stat().st_size:,} bytes")
            env = {**os.environ, "MENTORA_VAR_DIR": str(Path(tmp) / "restored")}
            env.pop("DATABASE_URL", None)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mentora.cli", "migrate", "-v0"], env=env, check=True,
                           cwd=ROOT)
            migrated = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mentora.cli", "restore", str(target)], env=env, check=True,
                           cwd=ROOT)
            print(f"  {'restore into fresh SQLite (after migrate)':<44} {time.perf_counter() - migrated:6.2f} s"
                  f"  (migrate {migrated - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
