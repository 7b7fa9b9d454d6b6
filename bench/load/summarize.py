"""Prints p50/p95/p99 per page, errors and throughput from locust's --csv output.

    python bench/load/summarize.py RESULTS_PREFIX   (reads RESULTS_PREFIX_stats.csv, _failures.csv)
"""

import csv
import sys


def main(prefix: str) -> int:
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"{'page':45} {'requests':>9} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}")
    for r in sorted(pages, key=lambda r: -int(r["Request Count"])):
        print(f"{r['Type'] + ' ' + r['Name']:45.45} {r['Request Count']:>9} {r['Failure Count']:>7} "
              f"{r['50%']:>7} {r['95%']:>7} {r['99%']:>7} {float(r['Requests/s']):>7.2f}")
    print(f"{'ALL':45} {total['Request Count']:>9} {total['Failure Count']:>7} {total['50%']:>7} "
          f"{total['95%']:>7} {total['99%']:>7} {float(total['Requests/s']):>7.2f}")
    try:
        with open(f"{prefix}_failures.csv") as handle:
            failures = list(csv.DictReader(handle))
    except FileNotFoundError:
        failures = []
    for failure in failures[:20]:
        print(f"FAILURE {failure['Method']} {failure['Name']}: {failure['Error']} x{failure['Occurrences']}")
    return 1 if int(total["Failure Count"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
