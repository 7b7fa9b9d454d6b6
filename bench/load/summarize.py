"""Prints p50/p95/p99 per page kind, errors and throughput of a load test run, sign-in apart.

    python bench/load/summarize.py RAW_CSV [--p95 300] [--p99 1000]

RAW_CSV is the file bench/load/locustfile.py writes when MENTORA_LOAD_RAW is set: one row per request
(start time, method, page kind, milliseconds, error). Percentiles are exact (nearest rank) over every
request, not locust's rounded buckets.

Three groups:
- sign-in: the login page and the login itself (password hashing dominates; reported apart);
- steady state: every other request that started after the last person had signed in (the targets
  apply to it: the sign-in ramp keeps both cores busy hashing passwords);
- all pages: every other request, ramp included.

Exit status 0 when no request failed and the steady state meets the targets, 1 otherwise.
"""

import argparse
import csv
import math
import sys

SIGN_IN = {"login page", "log in"}


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def line(label: str, rows: list[dict], seconds: float) -> str:
    times = sorted(row["ms"] for row in rows)
    errors = sum(1 for row in rows if row["error"])
    p50, p95, p99 = (percentile(times, f) for f in (0.50, 0.95, 0.99))
    maximum = times[-1] if times else float("nan")
    rate = len(rows) / seconds if seconds > 0 else float("nan")
    return (f"{label:44.44} {len(rows):>8} {errors:>6} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {maximum:>7.0f} "
            f"{rate:>6.2f}")


HEADER = f"{'page kind':44} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'req/s':>6}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw")
    parser.add_argument("--p95", type=float, default=300.0, help="target p95 of the steady state, ms")
    parser.add_argument("--p99", type=float, default=1000.0, help="target p99 of the steady state, ms")
    options = parser.parse_args(argv)
    with open(options.raw, newline="") as handle:
        rows = [
            {"start": float(r["start"]), "kind": f"{r['method']} {r['name']}", "name": r["name"],
             "ms": float(r["ms"]), "error": r["error"]}
            for r in csv.DictReader(handle)
        ]
    if not rows:
        print("no requests were recorded")
        return 1
    first = min(row["start"] for row in rows)
    last = max(row["start"] + row["ms"] / 1000 for row in rows)
    sign_in = [row for row in rows if row["name"] in SIGN_IN]
    pages = [row for row in rows if row["name"] not in SIGN_IN]
    ramp_end = max((row["start"] + row["ms"] / 1000 for row in sign_in), default=first)
    steady = [row for row in pages if row["start"] >= ramp_end]
    whole, steady_seconds = last - first, last - ramp_end

    print(f"sign-in ramp: {ramp_end - first:.1f} s; steady state: {steady_seconds:.1f} s; whole run: {whole:.1f} s")
    print()
    print("steady state, per page kind")
    print(HEADER)
    kinds = sorted({row["kind"] for row in steady}, key=lambda k: -sum(1 for r in steady if r["kind"] == k))
    for kind in kinds:
        print(line(kind, [row for row in steady if row["kind"] == kind], steady_seconds))
    print()
    print("totals")
    print(HEADER)
    print(line("STEADY STATE (after the sign-in ramp)", steady, steady_seconds))
    print(line("all pages (ramp included, sign-in excluded)", pages, whole))
    for name in sorted(SIGN_IN):
        print(line(f"sign-in: {name}", [row for row in sign_in if row["name"] == name], whole))
    print(line("everything", rows, whole))

    failed = [row for row in rows if row["error"]]
    if failed:
        print()
        seen: dict[tuple[str, str], int] = {}
        for row in failed:
            seen[(row["kind"], row["error"])] = seen.get((row["kind"], row["error"]), 0) + 1
        for (kind, error), count in sorted(seen.items(), key=lambda item: -item[1])[:20]:
            print(f"FAILURE {kind}: {error} x{count}")

    times = sorted(row["ms"] for row in steady)
    p95, p99 = percentile(times, 0.95), percentile(times, 0.99)
    verdict = []
    if failed:
        verdict.append(f"{len(failed)} failed requests")
    if not steady:
        verdict.append("no request after the sign-in ramp")
    if not p95 < options.p95:
        verdict.append(f"steady p95 {p95:.0f} ms >= {options.p95:.0f} ms")
    if not p99 < options.p99:
        verdict.append(f"steady p99 {p99:.0f} ms >= {options.p99:.0f} ms")
    print()
    met = f"targets met (0 errors, steady p95 < {options.p95:.0f} ms, p99 < {options.p99:.0f} ms)"
    print("RESULT: " + (met if not verdict else "NOT MET: " + "; ".join(verdict)))
    return 1 if verdict else 0


if __name__ == "__main__":
    sys.exit(main())
