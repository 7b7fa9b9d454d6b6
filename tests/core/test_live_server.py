"""The live server the browser journeys use answers requests that come at the same time, as a browser sends
them (a dashboard's charts, a page's images), without a database error.

On SQLite the suite's database lives in memory, and each of the live server's threads has its own connection to
it: two requests at once could run a write on a table while the other's read of it was still open, and SQLite
refuses that at once ("database table is locked"). A dashboard journey failed so, now and then, when its
charts' requests wrote the cache together.
"""

import threading
import urllib.request

import pytest


@pytest.mark.urls("tests.core.live_server_urls")
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_that_write_the_same_table_all_succeed(live_server):
    failures: list[str] = []
    start = threading.Barrier(8)

    def client(n: int) -> None:
        start.wait()
        for _ in range(10):
            try:
                with urllib.request.urlopen(f"{live_server.url}/test-cache-churn/{n}/", timeout=30) as answer:
                    answer.read()
            except Exception as error:  # an HTTP 500 raises HTTPError
                failures.append(f"{type(error).__name__}: {error}")

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    assert not failures, f"{len(failures)} of 80 requests failed, first: {failures[0]}"
