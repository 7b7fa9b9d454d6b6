"""Time /api/openapi.json in a fresh process: the first (cold) request and the next ones (warm).

    PYTHONPATH=src python bench/openapi_document.py

Each measurement starts a new Python process that loads the application as a server does
(mentora.config.wsgi, which builds the document at start), then times the requests.
"""

import os
import statistics
import subprocess
import sys

CHILD = r"""
import os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
started = time.perf_counter()
from mentora.config.wsgi import application
from django.test import Client
start_s = time.perf_counter() - started
client = Client(HTTP_HOST="localhost")
times = []
for _ in range(21):
    t = time.perf_counter()
    response = client.get("/api/openapi.json")
    times.append(time.perf_counter() - t)
    assert response.status_code == 200
print(start_s, times[0], sorted(times[1:])[10], len(response.content))
"""


def main() -> None:
    rows = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONPATH": "src"}).stdout.split()
        rows.append([float(x) for x in out])
    print(f"load average: {os.getloadavg()}")
    print(f"process start (incl. building the document): {statistics.median(r[0] for r in rows) * 1000:.0f} ms")
    print(f"first request (cold): {statistics.median(r[1] for r in rows) * 1000:.1f} ms")
    print(f"later requests (warm, median): {statistics.median(r[2] for r in rows) * 1000:.1f} ms")
    print(f"document: {int(rows[0][3]):,} bytes")


if __name__ == "__main__":
    main()
