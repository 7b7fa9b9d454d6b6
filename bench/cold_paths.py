"""Benchmark of the pages that grew with the data: the batch-match preview and the cold paths
(not run in CI or tests).

Point it at a database holding the demo network (the settings' database: MENTORA_VAR_DIR or
DATABASE_URL), for example, at the design's scale:

    MENTORA_VAR_DIR=/tmp/big .venv/bin/mentora migrate
    MENTORA_VAR_DIR=/tmp/big .venv/bin/mentora createcachetable
    MENTORA_VAR_DIR=/tmp/big .venv/bin/mentora demo --design-scale
    MENTORA_VAR_DIR=/tmp/big .venv/bin/python bench/cold_paths.py
    MENTORA_VAR_DIR=/tmp/big .venv/bin/python bench/cold_paths.py --big-run   # adds a network-wide run
    MENTORA_VAR_DIR=/tmp/big .venv/bin/python bench/cold_paths.py --only insights   # the dashboards only

Several demo databases at once, e.g. 2,000 and 50,000 mentees (each measured in its own process, then
one table of every figure):

    .venv/bin/python bench/cold_paths.py --database-url sqlite:////tmp/small/mentora.sqlite3 \
        --database-url sqlite:////tmp/big/mentora.sqlite3

Each page is requested as the demo person who uses it: first (the process's first request of the
page, caches empty: imports and templates included), cold (every cache cleared again, the process
warm: the first computation of what the page shows), warm (median of --repeat requests), each as
wall-clock time and the process's CPU time (SQLite runs in the process, so its work is CPU time
too; PostgreSQL's is not), and after_change: the first request after a write to what the page
reads, once the worker's warm-up tasks (mentora.core.warmup) have run, as they do a few seconds
after the write; never_looked: the same for a page nobody has looked at yet (every cache emptied,
the list of scopes looked at lately too; the demo person has signed in, and the worker computes ahead what
people who signed in lately open first); with its query count and size in bytes. The worker warms
ahead as in production (MENTORA_WARM_AHEAD on; the warm-up tasks a request queues stay queued, as no
worker runs). The batch preview is the demo program's run (1,750 pairs at 50,000 mentees); --big-run first runs one more
batch match over every mentee of the demo program against the whole network's mentors (about
12,000 pairs at 50,000 mentees) and measures its preview too. The machine's load average is printed
with the figures: on a shared machine, compare runs made under similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode

FIGURES = ("cold_ms", "cold_cpu_ms", "warm_ms", "warm_cpu_ms", "first_ms", "first_cpu_ms", "after_change_ms",
           "never_looked_ms", "queries")


def compare(args) -> None:
    """Each database in its own process (settings are read once per process), then one table."""
    results = []
    for url in args.database_url:
        command = [sys.executable, __file__, "--repeat", str(args.repeat), "--json-only", "--only", args.only]
        if args.big_run:
            command.append("--big-run")
        done = subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
                              check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{'page':<45} {'mentees':>8} " + " ".join(f"{name:>15}" for name in FIGURES))
    names = list(dict.fromkeys(name for result in results for name in result["pages"]))
    for name in names:
        for result in results:
            figures = result["pages"].get(name)
            if figures:
                print(f"{name[:45]:<45} {result['mentees']:>8} "
                      + " ".join(f"{figures[key]:>15}" for key in FIGURES))
    for result in results:
        print(f"{result['database']} {result['mentees']} mentees: load average {result['load_average_before']} "
              f"before, {result['load_average_after']} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big-run", action="store_true", help="also measure a network-wide run's preview")
    parser.add_argument("--database-url", action="append", default=[],
                        help="a demo database to measure (repeat for several sizes; default: the settings')")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="measure only the pages whose name contains TEXT (e.g. insights)")
    parser.add_argument("--json-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database_url:
        compare(args)
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentora.batchmatch.models import MatchRun
    from mentora.core.demo import DEMO_LOGINS
    from mentora.directory import matching
    from mentora.directory.tasks import mentor_side_warm_task

    try:
        from mentora.home.tasks import coordinator_homes_warm_task
    except ImportError:  # before the coordinator's home was warmed ahead
        coordinator_homes_warm_task = None
    from mentora.insights.tasks import dashboards_warm_task
    from mentora.profiles.models import MentorOffer

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.MENTORA_WARM_AHEAD = True  # as in production (the bench runs the worker's warm-up tasks itself)
    User = get_user_model()

    def clear_caches() -> None:
        cache.clear()
        matching._local.update(key=None, entries=None, at=0.0)

    def measure(client, url) -> dict:
        def once():
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                cpu = (time.process_time() - start_cpu) * 1000
            assert response.status_code == 200, (url, response.status_code)
            sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
            return elapsed, cpu, len(captured), len(response.content), sql

        clear_caches()
        first = once()
        clear_caches()
        cold = once()
        warm = [once() for _ in range(args.repeat)]
        # A change to what the page reads, then the worker's warm-up tasks (mentora.core.warmup) as the
        # worker runs them a few seconds after the commit, then the first look in a fresh web process.
        offer = MentorOffer.objects.filter(user__email=DEMO_LOGINS["mentor"]).first()

        def change_then_warm_up() -> None:
            if offer is not None:
                offer.save()  # moves the recommendations' and the dashboard's data versions
            mentor_side_warm_task.call()
            dashboards_warm_task.call()
            if coordinator_homes_warm_task is not None:
                coordinator_homes_warm_task.call()
            matching._local.update(key=None, entries=None, at=0.0)

        change_then_warm_up()
        after_change = once()
        # The same for a page nobody has looked at yet (every cache emptied, the scopes looked at lately too).
        clear_caches()
        change_then_warm_up()
        never_looked = once()
        return {"cold_ms": round(cold[0]), "cold_cpu_ms": round(cold[1]),
                "first_ms": round(first[0]), "first_cpu_ms": round(first[1]),
                "after_change_ms": round(after_change[0]), "after_change_cpu_ms": round(after_change[1]),
                "never_looked_ms": round(never_looked[0]),
                "warm_ms": round(statistics.median(w[0] for w in warm)),
                "warm_cpu_ms": round(statistics.median(w[1] for w in warm)),
                "warm_sql_ms": round(statistics.median(w[4] for w in warm)),
                "queries": warm[-1][2], "bytes": warm[-1][3]}

    clients = {}
    for role in ("mentee", "coordinator", "admin"):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(email=DEMO_LOGINS[role]))
    coordinator = User.objects.get(email=DEMO_LOGINS["coordinator"])
    demo_run = MatchRun.objects.filter(created_by=coordinator, status="ready").order_by("pk").first()
    directory_100 = "/find/?page=100"
    try:  # keyset pagination: page 100 is the page after the 99th page's last row
        from mentora.directory import selectors as directory_selectors

        order = directory_selectors.directory_order("name")
        listed = directory_selectors.directory_queryset({}).select_related("user")
        size = directory_selectors.PAGE_SIZE
        # Page 100, or the last page of a smaller directory (as ?page=100 gave with offset pages).
        last = listed[min(99 * size, (listed.count() - 1) // size * size) - 1]
        directory_100 = "/find/?" + urlencode({"cursor": directory_selectors._cursor(last, order, 100, "after")})
    except (ImportError, AttributeError):
        pass  # offset pagination: ?page=100
    pages = [
        ("batch-match run detail (demo run)", "coordinator", f"/match/{demo_run.pk}/" if demo_run else None),
        ("recommended for you", "mentee", "/find/recommended/"),
        ("coordinator dashboard /insights/", "coordinator", "/insights/"),
        ("admin dashboard /insights/ (every program)", "admin", "/insights/"),
        ("coordinator home", "coordinator", "/"),
        ("directory page 100", "mentee", directory_100),
    ]
    if args.big_run:
        from mentora.batchmatch.services import match_run_create, match_run_execute

        run = match_run_create(program=demo_run.program, by=coordinator, kind="research", cohort="all",
                               pool="network", enqueue=False)
        start = time.perf_counter()
        run = match_run_execute(run_id=run.pk)
        solve = time.perf_counter() - start
        pairs = (run.result or {}).get("summary", {}).get("matched")
        pages.insert(1, (f"batch-match run detail (network run, {pairs} pairs, solved in {solve:.0f} s)",
                         "coordinator", f"/match/{run.pk}/"))
    result = {"database": connection.vendor,
              "mentees": User.objects.filter(memberships__role="mentee").distinct().count(),
              "load_average_before": os.getloadavg(), "pages": {}}
    for name, role, url in pages:
        if url is None or args.only not in name:
            continue
        result["pages"][name] = measure(clients[role], url)
        if not args.json_only:
            print(f"{name:<75} {json.dumps(result['pages'][name])}", flush=True)
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
