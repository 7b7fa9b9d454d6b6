"""Garbage collection around a process's start.

Starting Mentora (Django's apps and models, the URLs, the API and its schemas) makes objects that live as
long as the process: about 130,000 for a command, 220,000 for the web application, counted by the collector
once started. Python's cyclic garbage collector scans every tracked object
again at each full collection, and full collections come more often while objects pile up: during the
start itself (about a sixth of `mentora check`'s time) and afterwards in every request that allocates a
lot. So the collector pauses while the process starts (`starting`), and once it has started (`started`)
the garbage is collected once and what is left moves to the permanent generation (`gc.freeze`), which no
collection scans again (the collector's time in a run of the matrix, meetings and directory tests: 12.8 ->
9.1 s). Python's documentation recommends the same before forking workers (gunicorn's --preload), so that
collections in the workers do not touch and copy the memory they share with the parent.

Called by the `mentora` command (mentora.cli), the WSGI application (mentora.config.wsgi) and the test
suite (tests/conftest.py). Only the garbage collector's bookkeeping changes: objects still go as soon as
nothing refers to them, and garbage made after the start is collected as before.
"""

import gc


def starting() -> None:
    """The process starts importing and setting up: no cyclic collection until `started`."""
    gc.disable()


def started() -> None:
    """The process has started: collect once, freeze what survives, and collect as usual from now on."""
    gc.collect()
    gc.freeze()
    gc.enable()
