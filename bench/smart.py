"""Benchmark of the SMART goal coach (not run in CI or tests): is it fast enough for live typing?

    .venv/bin/python bench/smart.py

The ILP form asks the coach again as the mentee types (htmx, after a short pause), so one answer must
take well under the ~100 ms a person perceives as instant. Times `analyze` on every goal of the
labelled sets in tests/smart/ and on each prefix of the ten longest goals (as typing produces them),
and prints median, p95 and worst in ms. (Measured with the load on the machine of the moment: a
benchmark, never a unit test.)
"""

from __future__ import annotations

import csv
import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mentora.smart.analyzer import analyze  # noqa: E402


def goals() -> list[str]:
    found = []
    for path in sorted((ROOT / "tests" / "smart").glob("goals_*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            found.extend(row["goal"] for row in csv.DictReader(handle))
    return found


def timed(statements: list[str], today: datetime.date) -> list[float]:
    times = []
    for statement in statements:
        start = time.perf_counter()
        analyze(statement, today=today)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(f"{label:<44} {len(times):>6} calls  median {statistics.median(times):6.2f} ms  "
          f"p95 {p95:6.2f} ms  worst {ordered[-1]:6.2f} ms")


def main() -> None:
    today = datetime.date(2026, 9, 1)
    statements = goals()
    analyze("warm up the patterns", today=today)
    report("analyze, every labelled goal", timed(statements, today))
    longest = sorted(statements, key=len)[-10:]
    prefixes = [goal[:end] for goal in longest for end in range(1, len(goal) + 1)]
    report("analyze, each prefix while typing 10 goals", timed(prefixes, today))


if __name__ == "__main__":
    main()
