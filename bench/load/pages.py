"""Every page kind of the load test, one at a time, in this process: time, CPU, queries and SQL time.

Finds what drives the load test's p95/p99 without the noise of 50 concurrent people. Run it with the
load test's environment (production settings, the database holding the demo), after prepare.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentora_perf MENTORA_ENV=production SECRET_KEY=x \
      ALLOWED_HOSTS=127.0.0.1 MENTORA_SITE_URL=https://127.0.0.1 MENTORA_MFA_REQUIRED_ROLES= PYTHONPATH=src \
      .venv/bin/python bench/load/pages.py logins.json [--repeat 5] [--profile "relationship"] [--sql "dashboard"]

For each page kind (the names of locustfile.py) and each role that opens it: the median over --repeat
requests of wall and CPU ms, the query count and the database's time (ms), after one request that fills
the caches. --profile NAME prints the cProfile of that page kind's warm requests (the 30 costliest
functions); --sql NAME prints its queries, slowest first. The machine's load average comes with the
figures: on a shared machine, compare runs made under similar load.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logins")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default="", help="page kind whose warm requests are profiled")
    parser.add_argument("--sql", default="", help="page kind whose queries are printed")
    parser.add_argument("--only", default="", help="measure only page kinds containing this text")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    with open(args.logins) as handle:
        logins = json.load(handle)
    rng = random.Random(7)

    def relationship(me):
        return me["relationships"][0] if me.get("relationships") else None

    # (page kind, role, method, url of a person, form data): the journeys of locustfile.py.
    def pages(role, me):
        rel = relationship(me)
        yield "dashboard", "GET", "/", None
        yield "notifications", "GET", "/notifications/", None
        yield "api me", "GET", "/api/me", None
        if role == "mentee":
            yield "profile (own)", "GET", f"/people/{me['id']}/", None
            yield "my mentoring", "GET", "/mentoring/", None
            yield "scholarly board", "GET", "/scholarly/", None
            yield "who looked at my records", "GET", "/records/who-looked/", None
            if rel:
                yield "profile (a mentor)", "GET", f"/people/{rel[2]}/", None
                yield "relationship", "GET", f"/mentoring/relationships/{rel[0]}/", None
                yield "send message", "POST", f"/mentoring/relationships/{rel[0]}/messages/", {"body": "Thanks."}
            yield "save notification preferences", "POST", "/notifications/preferences/", {"message-in_app": "on"}
        if role == "mentor":
            yield "my mentoring", "GET", "/mentoring/", None
            if rel:
                yield "profile (a mentee)", "GET", f"/people/{rel[1]}/", None
                yield "relationship", "GET", f"/mentoring/relationships/{rel[0]}/", None
                yield "send message", "POST", f"/mentoring/relationships/{rel[0]}/messages/", {"body": "Sure."}
            yield "mark notifications read", "POST", "/notifications/read/", {}
        if role == "coordinator":
            if me["mentees"]:
                mentee = rng.choice(me["mentees"])
                yield "profile (a trainee)", "GET", f"/people/{mentee}/", None
                yield "confidential records (reason form)", "GET", f"/records/{mentee}/", None
                yield "confidential records (opened with reason)", "POST", f"/records/{mentee}/", {
                    "reason": "Preparing the semi-annual review meeting"}
            if me["programs"]:
                yield "program scholarly board", "GET", f"/scholarly/programs/{me['programs'][0]}/", None
            yield "import page", "GET", "/data/import/", None
        if role == "network":
            yield "profile (a mentor)", "GET", f"/people/{me['mentors'][0]}/", None
            yield "api person", "GET", f"/api/people/{me['mentors'][0]}", None
        if role == "admin":
            yield "admin index", "GET", "/admin/", None
            yield "admin access log", "GET", "/admin/audit/accesslog/", None
            yield "confidential records (opened with reason)", "POST", f"/records/{me['mentees'][0]}/", {
                "reason": "Investigating a reported data error"}

    def once(client, method, url, data):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url) if method == "GET" else client.post(url, data)
            wall = (time.perf_counter() - start) * 1000
            cpu = (time.process_time() - start_cpu) * 1000
        if response.status_code not in (200, 302) or response.get("Location", "").startswith("/accounts/login/"):
            raise SystemExit(f"{method} {url}: {response.status_code} {response.get('Location', '')}")
        sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        return wall, cpu, len(captured), sql, captured.captured_queries

    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"{'page kind':44} {'role':12} {'wall ms':>8} {'cpu ms':>7} {'queries':>7} {'sql ms':>7}")
    for role, entries in logins.items():
        me = entries[0]
        client = Client(HTTP_HOST="127.0.0.1", secure=True, HTTP_X_FORWARDED_PROTO="https")
        client.force_login(User.objects.get(pk=me["id"]))
        for name, method, url, data in pages(role, me):
            if args.only and args.only not in name:
                continue
            once(client, method, url, data)  # fills the caches
            profiler = cProfile.Profile() if name == args.profile else None
            runs = []
            for _ in range(args.repeat):
                if profiler:
                    profiler.enable()
                runs.append(once(client, method, url, data))
                if profiler:
                    profiler.disable()
            median = [statistics.median(run[i] for run in runs) for i in range(4)]
            print(f"{name:44.44} {role:12} {median[0]:>8.1f} {median[1]:>7.1f} {median[2]:>7.0f} {median[3]:>7.1f}")
            if name == args.sql:
                for query in sorted(runs[-1][4], key=lambda q: -float(q["time"])):
                    print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:600]}")
            if profiler:
                pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(30)


if __name__ == "__main__":
    main()
