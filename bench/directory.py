"""Benchmark of the mentor directory and "Recommended for you" at the design scale (not run in CI).

    .venv/bin/python bench/directory.py                     # 50,000 mentees, 12,000 mentors
    .venv/bin/python bench/directory.py --reuse             # keep the database of a previous run

Loads the demo network into a throwaway SQLite database under --var (default /tmp/mentora-bench-directory),
then times pages through Django's test client as the demo mentee: directory pages with and without
filters and search, the directory API, and recommendations (the first call builds the cached mentor
side; later calls, for 20 different mentees, reuse it). Prints the median and the worst of --repeat
runs per page in milliseconds, the median CPU time of the process (SQLite's work included), and the
number of database queries, with the load average. Target: under 300 ms. "page 100" is asked for by
its number (Go to page); "page 100 via Next" follows the cursor of the page before it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DIRECTORY_PAGES = [
    ("directory, first page", "/find/"),
    ("directory, search 'heart failure'", "/find/?q=heart+failure"),
    ("directory, 4 filters, sorted by free places",
     "/find/?specialty=internal_medicine&language=es&accepting=on&sort=room"),
    ("directory, region + kind + research", "/find/?region=Southern+Asia&kind=research&research=outcomes"),
    ("directory, page 100", "/find/?page=100"),
    ("API directory search", "/api/directory/mentors?q=outcomes&img_status=non_us_img&limit=20"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentees", type=int, default=50_000)
    parser.add_argument("--mentors", type=int, default=12_000)
    parser.add_argument("--var", default="/tmp/mentora-bench-directory")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    var = Path(args.var)
    if not args.reuse and var.exists():
        shutil.rmtree(var)
    os.environ["MENTORA_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    if not User.objects.filter(email="mentee@example.org").exists():
        started = time.perf_counter()
        call_command("demo", mentees=args.mentees, mentors=args.mentors, seed=2026, verbosity=0)
        print(f"demo network loaded in {time.perf_counter() - started:.1f} s")

    from mentora.directory import matching
    from mentora.profiles.models import MentorOffer

    print(f"{User.objects.count()} people, {MentorOffer.objects.count()} mentors\n")
    client = Client(HTTP_HOST="127.0.0.1")
    mentee = User.objects.get(email="mentee@example.org")
    client.force_login(mentee)

    cpu_times: list[float] = []

    def timed(url: str) -> tuple[float, int]:
        with override_settings(DEBUG=True):
            reset_queries()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_times.append((time.process_time() - started_cpu) * 1000)
            queries = len(connection.queries)
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, queries

    def cpu_of(n: int) -> str:
        return f"{statistics.median(cpu_times[-n:]):7.0f}"

    pages = list(DIRECTORY_PAGES)
    try:  # page 100 by the cursor its page 99 links to
        from urllib.parse import urlencode

        from mentora.directory import selectors

        order = selectors.directory_order("name")
        listed = selectors.directory_queryset({}).select_related("user")
        last = listed[min(99 * selectors.PAGE_SIZE, (listed.count() - 1) // selectors.PAGE_SIZE
                          * selectors.PAGE_SIZE) - 1]
        pages.insert(5, ("directory, page 100 via Next", "/find/?" + urlencode(
            {"cursor": selectors._cursor(last, order, 100, "after")})))
    except (ImportError, AttributeError):
        pass
    print(f"load average {os.getloadavg()}")
    print(f"{'page':58} {'median ms':>9} {'worst ms':>9} {'cpu ms':>7} {'queries':>8}")
    for label, url in pages:
        timed(url)  # warm up the connection and templates
        runs = [timed(url) for _ in range(args.repeat)]
        times = [t for t, _ in runs]
        print(f"{label:58} {statistics.median(times):9.0f} {max(times):9.0f} {cpu_of(args.repeat)} {runs[0][1]:8d}")

    from django.core.cache import cache

    matching._local.update(key=None, entries=None, at=0.0)
    cache.delete(matching._VERSION_KEY)  # the next call starts a new version: nothing cached
    cold, cold_queries = timed("/find/recommended/")
    print(f"{'recommended for you, cold (builds the mentor side)':58} {cold:9.0f} {cold:9.0f} {cpu_of(1)} "
          f"{cold_queries:8d}")
    from mentora.directory.tasks import mentor_side_warm_task

    mentor_side_warm_task.call()  # as the worker does when a request had to build the side
    matching._local.update(key=None, entries=None, at=0.0)
    other_process, _ = timed("/find/recommended/")
    print(f"{'recommended for you, new process (mentor side from cache)':58} {other_process:9.0f} "
          f"{other_process:9.0f} {cpu_of(1)}")
    runs = [timed("/find/recommended/") for _ in range(args.repeat)]
    times = [t for t, _ in runs]
    print(f"{'recommended for you, warm (demo mentee)':58} {statistics.median(times):9.0f} {max(times):9.0f} "
          f"{cpu_of(args.repeat)} {runs[0][1]:8d}")
    others = list(User.objects.filter(memberships__role="mentee").order_by("?").values_list("pk", flat=True)[:20])
    times = []
    for pk in others:
        client.force_login(User.objects.get(pk=pk))
        times.append(timed("/find/recommended/")[0])
    print(f"{'recommended for you, 20 other mentees':58} {statistics.median(times):9.0f} {max(times):9.0f} "
          f"{cpu_of(len(others))}")
    client.force_login(mentee)
    runs = [timed("/api/directory/recommendations") for _ in range(args.repeat)]
    times = [t for t, _ in runs]
    print(f"{'API recommendations':58} {statistics.median(times):9.0f} {max(times):9.0f} {cpu_of(args.repeat)} "
          f"{runs[0][1]:8d}")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
