"""Benchmark of the program dashboard (not run in CI or tests).

    .venv/bin/python bench/dashboard.py                                   # SQLite, 50,000 mentees
    .venv/bin/python bench/dashboard.py --database postgres               # throwaway PostgreSQL database
    .venv/bin/python bench/dashboard.py --mentees 2000 --mentors 500      # a quick run

Each size runs in its own throwaway database (a temporary SQLite file, or a PostgreSQL database
`mentora_bench_dashboard_<size>` at --pg-url that is created and dropped). It loads the demo network
(timing the scholarly step on its own), then requests, as the demo program coordinator and as a site
admin (every program at once): the dashboard cold (first request, empty caches) and warm (median of
--repeat requests), one chart cold and warm, the CSV of one table, and the PDF report cold (chart
cache cleared) and warm. Query counts are printed per page for each size; --small adds a second,
small size to show the counts do not grow with the data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_size(args, mentees: int, mentors: int) -> dict:
    """Runs one size in a child process so each gets its own database settings."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    env["MENTORA_TESTING"] = "0"
    tmp = tempfile.mkdtemp(prefix="mentora-bench-")
    env["MENTORA_VAR_DIR"] = tmp
    db_name = f"mentora_bench_dashboard_{mentees}"
    if args.database == "postgres":
        env["DATABASE_URL"] = f"{args.pg_url.rstrip('/')}/{db_name}"
        subprocess.run(["psql", f"{args.pg_url.rstrip('/')}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db_name}"],
                       check=True)
        subprocess.run(["psql", f"{args.pg_url.rstrip('/')}/postgres", "-qc", f"CREATE DATABASE {db_name}"],
                       check=True)
    else:
        env["DATABASE_URL"] = ""
    try:
        out = subprocess.run([sys.executable, __file__, "--child", str(mentees), str(mentors),
                              "--repeat", str(args.repeat)], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout, out.stderr, file=sys.stderr)
            raise SystemExit(out.returncode)
        import json

        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if args.database == "postgres":
            subprocess.run(["psql", f"{args.pg_url.rstrip('/')}/postgres", "-qc",
                            f"DROP DATABASE IF EXISTS {db_name}"], check=False)


def child(mentees: int, mentors: int, repeat: int) -> None:
    import json

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from mentora.demo import network as demo_network
    from mentora.scholarly import demo as scholarly_demo

    scholarly_seconds = []
    original = scholarly_demo.generate

    def timed(context):
        start = time.perf_counter()
        original(context)
        scholarly_seconds.append(time.perf_counter() - start)

    scholarly_demo.generate = timed
    start = time.perf_counter()
    context = demo_network.generate_demo(mentees=mentees, mentors=mentors, seed=2026)
    demo_seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from mentora.programs.models import Membership

    program = context.demo_program
    result = {
        "database": connection.vendor, "mentees": mentees, "mentors": mentors,
        "demo_seconds": round(demo_seconds, 1), "scholarly_demo_seconds": round(sum(scholarly_seconds), 2),
        "demo_program_mentees": Membership.objects.filter(program=program, role="mentee").count(),
        "programs": len(context.programs), "pages": {},
    }

    def measure(client, url, n):
        timings, cpu, queries = [], [], None
        for _ in range(n):
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        measure.cpu = cpu
        return timings, queries

    for role in ("coordinator", "admin"):
        client = Client()
        client.force_login(context.logins[role])
        cache.clear()
        for name, url in (("dashboard", "/insights/"), ("chart", "/insights/charts/scholarly.stages.svg"),
                          ("csv", "/insights/export/matches.sources.csv"), ("report", "/insights/report.pdf")):
            if name == "report":
                cache.clear()  # cold: every chart drawn again
            cold, queries = measure(client, url, 1)
            cold_cpu = measure.cpu[0]
            warm, _ = measure(client, url, repeat if name != "report" else max(2, repeat // 3))
            result["pages"][f"{role} {name}"] = {
                "cold_ms": round(cold[0]), "warm_ms": round(statistics.median(warm)), "queries": queries,
                "cold_cpu_ms": round(cold_cpu), "warm_cpu_ms": round(statistics.median(measure.cpu)),
            }
    result["load_average"] = os.getloadavg()[0]
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--mentees", type=int, default=50_000)
    parser.add_argument("--mentors", type=int, default=12_000)
    parser.add_argument("--small", type=int, default=2_000, help="mentees of the second, small size (0: none)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.repeat)
        return
    sizes = [(args.mentees, args.mentors)]
    if args.small:
        sizes.insert(0, (args.small, max(1, args.small * args.mentors // args.mentees)))
    results = [run_size(args, m, n) for m, n in sizes]
    for r in results:
        print(f"\n{r['database']}: {r['mentees']:,} mentees, {r['mentors']:,} mentors, {r['programs']} programs; "
              f"demo {r['demo_seconds']} s (scholarly step {r['scholarly_demo_seconds']} s); "
              f"demo program has {r['demo_program_mentees']:,} mentees")
        print(f"  load average at the end: {r.get('load_average', 0):.1f} (wall times include waiting for a CPU; "
              "CPU ms is this process only, so on PostgreSQL it leaves out the server's work)")
        print(f"  {'page':<24}{'cold ms':>9}{'warm ms':>9}{'cold CPU':>9}{'warm CPU':>9}{'queries':>9}")
        for page, f in r["pages"].items():
            print(f"  {page:<24}{f['cold_ms']:>9}{f['warm_ms']:>9}{f.get('cold_cpu_ms', '')!s:>9}"
                  f"{f.get('warm_cpu_ms', '')!s:>9}{f['queries']:>9}")
    if len(results) == 2:
        a, b = results
        same = all(a["pages"][p]["queries"] == b["pages"][p]["queries"] for p in a["pages"])
        print(f"\nquery counts equal at {a['mentees']:,} and {b['mentees']:,} mentees: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
