"""Work the worker does ahead of a page's first request: after data changes, it fills the caches that
the slowest first requests would otherwise fill themselves (the mentor side of recommendations, the
dashboard's panels, the coordinator's home rows), so the first person to look after a change finds
them ready.

A change queues the app's warm-up task once, after its transaction commits and a few seconds later,
so a burst of writes (an import, a batch publish) costs one run; the task clears its "queued" mark
when it starts, so a write during a run queues one more. The tasks only fill caches under the data
version they read, so running one twice, late or never changes nothing but how fast a page answers.
Off in tests (MENTORA_WARM_AHEAD), where a test turns it on to check it.

The caches can also be emptied with no change to the data (the cache server restarted, `cache.clear()`):
each warm-up leaves a mark in the cache when it runs, and the worker looks for it when it starts and every
minute after (`refill_if_emptied`); when the mark is gone, it queues every registered warm-up at once.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
DELAY_SECONDS = 3
# How long a queued mark holds if its task never starts (no worker running): then a change queues again.
QUEUED_SECONDS = 10 * 60


# When this process last queued each warm-up (a burst of writes then costs no cache round trip each).
_queued_here: dict[str, float] = {}
# Every app's warm-up, by name (register(), from the app's ready()).
_registered: dict[str, object] = {}
# Set by every warm-up when it runs, never expiring: gone only when the cache was emptied.
FILLED_KEY = "warmup:filled"


def _queued_key(name: str) -> str:
    return f"warmup:queued:{name}"


def enabled() -> bool:
    """Whether the worker computes ahead (MENTORA_WARM_AHEAD: on, except in tests)."""
    return getattr(settings, "MENTORA_WARM_AHEAD", False)


def schedule(task, *, name: str, delay_seconds: int = DELAY_SECONDS) -> None:
    """Queue `task` (which takes no arguments) to run `delay_seconds` after the current transaction commits,
    unless it is queued already and has not started yet. Under a steady stream of writes a warm-up runs at
    most about once per `delay_seconds`: give a costly one a longer delay."""
    if not enabled():
        return

    def enqueue() -> None:
        try:
            deferred = task.get_backend().supports_defer
            now = time.monotonic()
            if deferred and now - _queued_here.get(name, float("-inf")) < delay_seconds:
                return  # queued from this process less than delay_seconds ago: that run starts later than now
            if not cache.add(_queued_key(name), 1, QUEUED_SECONDS):
                return
            _queued_here[name] = now
            queued = task
            if deferred:
                queued = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds))
            queued.enqueue()
        except Exception:  # noqa: BLE001 - a warm-up not queued costs one slow first request, never the write
            logger.warning("could not queue the warm-up %s", name, exc_info=True)

    transaction.on_commit(enqueue)


def register(task, *, name: str) -> None:
    """Name an app's warm-up (a task that takes no arguments), so refill_if_emptied queues it too."""
    _registered[name] = task


def registered() -> dict[str, object]:
    return dict(_registered)


def started(name: str) -> None:
    """Called first by a warm-up task: a change from now on queues another run, and the caches are marked
    as filled by the worker."""
    cache.delete(_queued_key(name))
    cache.set(FILLED_KEY, 1, None)


def refill_if_emptied() -> bool:
    """Queue every registered warm-up, to run at once, when the caches were emptied since a warm-up last ran
    (or none ever ran); True if it did. Called by the worker when it starts and every minute after."""
    if not enabled() or cache.get(FILLED_KEY) is not None:
        return False
    for name, task in _registered.items():
        schedule(task, name=name, delay_seconds=0)
    return True
