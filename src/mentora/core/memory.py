"""Building large read-only structures in a request without paying for the garbage collector.

Python's cyclic garbage collector runs after every few hundred new objects and, every so often, walks
every object the process holds (a Django process holds hundreds of thousands). Building the
recommendations' mentor side (tens of thousands of small dicts, lists and sets) or reading it back
from the cache triggers many such walks, which found nothing to free: half of the build's time at
the design's scale. `collector_paused()` holds the collector off for such a burst; it runs again
afterwards as usual (no object is kept alive by the pause, only collected a little later).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (as it was before, after the block)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
