"""Benchmark of the list pages at a program's size (not run in CI or tests).

    .venv/bin/python bench/lists.py                        # SQLite, a 5,000-member program
    .venv/bin/python bench/lists.py --database postgres    # throwaway PostgreSQL database
    .venv/bin/python bench/lists.py --members 1000         # a quick run

Each size runs in its own throwaway database (a temporary SQLite file, or a PostgreSQL database
`mentora_bench_lists_<size>` at --pg-url, created and dropped). It loads a small demo network, then
grows the demo program to --members people (nine mentees to one mentor, each mentee in an active
relationship, one in three with a submitted learning plan, one in three relationships lapsed and one in
six at risk), and requests as the program's coordinator each list page (compliance, rollover, people,
import history, relationships with their health, the survey follow-up, the rematch queue): the first page, a later page, a search, a sort and the CSV export, timing the median of
--repeat requests (after one warm-up) and counting queries. --small adds a second, small size to show
that the query counts do not grow with the program. The target is under one second per page.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_size(args, members: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    env["MENTORA_TESTING"] = "0"
    env["MENTORA_VAR_DIR"] = tempfile.mkdtemp(prefix="mentora-bench-")
    db_name = f"mentora_bench_lists_{members}"
    admin_url = f"{args.pg_url.rstrip('/')}/postgres"
    if args.database == "postgres":
        env["DATABASE_URL"] = f"{args.pg_url.rstrip('/')}/{db_name}"
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {db_name}"], check=True)
        subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {db_name}"], check=True)
    else:
        env["DATABASE_URL"] = ""
    try:
        out = subprocess.run([sys.executable, __file__, "--child", str(members), "--repeat", str(args.repeat)],
                             env=env, capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout, out.stderr, file=sys.stderr)
            raise SystemExit(out.returncode)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if args.database == "postgres":
            subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {db_name}"], check=False)


def _grow(program, members: int, year: int) -> None:
    """Adds people to `program` until it has `members` active members this year, in bulk."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from mentora.ilps.models import LearningPlan
    from mentora.programs.models import Membership
    from mentora.relationships.models import Relationship

    User = get_user_model()
    have = Membership.objects.filter(program=program, academic_year=year, is_active=True).count()
    missing = max(0, members - have)
    mentors_wanted = missing // 10
    password = make_password(None)
    users = User.objects.bulk_create([
        User(email=f"bench{i}@lists.example.org", full_name=f"{'Faculty' if i < mentors_wanted else 'Resident'} "
             f"{i:05d}", password=password) for i in range(missing)
    ], batch_size=2000)
    mentors, mentees = users[:mentors_wanted], users[mentors_wanted:]
    levels = ["pgy1", "pgy2", "pgy3"]
    Membership.objects.bulk_create(
        [Membership(user=u, program=program, academic_year=year, role="mentor", training_level="faculty")
         for u in mentors]
        + [Membership(user=u, program=program, academic_year=year, role="mentee", training_level=levels[i % 3])
           for i, u in enumerate(mentees)], batch_size=2000)
    today = timezone.localdate()
    # One in three started a year ago and never met (lapsed); one in six two months ago (at risk).
    started = {0: today - datetime.timedelta(days=365), 1: today - datetime.timedelta(days=60)}
    Relationship.objects.bulk_create([
        Relationship(mentee=u, mentor=mentors[i % len(mentors)], program=program, status="active",
                     started_on=started.get(i % 6, today) if i % 6 < 2 else today)
        for i, u in enumerate(mentees)], batch_size=2000)
    LearningPlan.objects.bulk_create([
        LearningPlan(mentee=u, academic_year=year, program=program, status="submitted", submitted_at=timezone.now())
        for u in mentees[::3]], batch_size=2000)


def child(members: int, repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from mentora.core.academic_year import current_academic_year
    from mentora.demo.network import generate_demo
    from mentora.programs.models import Membership

    context = generate_demo(mentees=200, mentors=40, seed=2026)
    program, year = context.demo_program, current_academic_year()
    start = time.perf_counter()
    _grow(program, members, year)
    grow_seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(context.logins["coordinator"])
    compliance = f"/ilps/compliance/?program={program.pk}"
    rollover = f"/rollover/programs/{program.slug}/"
    people = f"/programs/{program.pk}/people/"
    relationships = f"/mentoring/programs/{program.pk}/health/"
    feedback = f"/mentoring/programs/{program.pk}/feedback/"
    pages = {
        "compliance first page": compliance,
        "compliance page 40": compliance + "&page=40",
        "compliance search": compliance + "&q=resident+0042",
        "compliance sort by mentor": compliance + "&sort=-mentor",
        "compliance CSV": compliance + "&export=csv",
        "rollover first page": rollover,
        "rollover page 60": rollover + "?page=60",
        "rollover search": rollover + "?q=resident+0042",
        "rollover CSV": rollover + "?export=csv",
        "people first page": people,
        "people page 60": people + "?page=60",
        "people search": people + "?q=resident+0042",
        "people sort by level": people + "?sort=-level",
        "people CSV": people + "?export=csv",
        "import history": "/data/import/history/",
        "relationships first page": relationships,
        "relationships page 60": relationships + "?page=60",
        "relationships lapsed": relationships + "?health=lapsed",
        "relationships search": relationships + "?q=resident+0042",
        "relationships sort by mentee": relationships + "?sort=-mentee",
        "relationships CSV": relationships + "?export=csv",
        "feedback first page": feedback,
        "feedback page 60": feedback + "?page=60",
        "feedback not answered": feedback + "?answered=waiting",
        "feedback search": feedback + "?q=resident+0042",
        "feedback CSV": feedback + "?export=csv",
        "rematch queue": f"/mentoring/programs/{program.pk}/rematch/",
    }
    result = {"database": connection.vendor, "grow_seconds": round(grow_seconds, 1), "pages": {},
              "members": Membership.objects.filter(program=program, academic_year=year, is_active=True).count()}
    for name, url in pages.items():
        timings, cpu, queries, size = [], [], 0, 0
        for attempt in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            if response.status_code == 404 and name in ("import history", "rematch queue"):
                break  # an older tree without the page
            assert response.status_code == 200, (url, response.status_code)
            if attempt:  # the first request warms the caches
                timings.append(elapsed * 1000)
                cpu.append(elapsed_cpu * 1000)
            queries, size = len(captured), len(response.content)
        if timings:
            result["pages"][name] = {"ms": round(statistics.median(timings)), "max_ms": round(max(timings)),
                                     "cpu_ms": round(statistics.median(cpu)), "queries": queries,
                                     "kb": round(size / 1024)}
    result["load_average"] = os.getloadavg()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--small", type=int, default=500, help="members of a second, small program (0: none)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    sizes = ([args.small] if args.small else []) + [args.members]
    results = [run_size(args, size) for size in sizes]
    for r in results:
        load = ", ".join(f"{x:.1f}" for x in r["load_average"])
        print(f"\n{r['database']}: {r['members']:,} members in the program (grown in {r['grow_seconds']} s); "
              f"load average at the end {load} on {os.cpu_count()} CPUs (wall times include waiting for one)")
        print(f"  {'page':<28}{'median ms':>10}{'max ms':>8}{'CPU ms':>8}{'queries':>9}{'KB':>7}")
        for page, f in r["pages"].items():
            flag = "" if f["ms"] < 1000 else "  over 1 s"
            print(f"  {page:<28}{f['ms']:>10}{f['max_ms']:>8}{f['cpu_ms']:>8}{f['queries']:>9}{f['kb']:>7}{flag}")
    if len(results) == 2:
        a, b = results
        same = all(a["pages"][p]["queries"] == b["pages"][p]["queries"] for p in a["pages"])
        print(f"\nquery counts equal at {a['members']:,} and {b['members']:,} members: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
