"""SQLite as Mentora runs it: web requests and workers writing to one file at the same time.

WAL lets readers and one writer work together; the busy timeout makes a writer wait for another
one; ``transaction_mode = IMMEDIATE`` takes the write lock when a transaction begins, so a
transaction never has to upgrade a read lock it holds (which SQLite refuses without waiting).
Two ways to fail with "database is locked" remained, and this backend closes both:

- ``QuerySet.iterator()`` reads its rows in chunks from a SELECT that stays open between chunks,
  and in autocommit an open SELECT holds its WAL snapshot. A loop that writes while it iterates
  (the import's invitations, the reminder scans) then needs that snapshot upgraded to a write lock,
  and if any other connection committed since the SELECT began (a web request saving a session)
  SQLite fails at once (SQLITE_BUSY_SNAPSHOT): the busy timeout does not apply. Here ``iterator()``
  reads the whole result before the loop body runs, as Django does for backends without chunked
  reads. Mentora's SQLite databases are a program's, not a national network's: the rows fit in memory.
- A write that waits longer than the busy timeout (behind a long transaction: a rollover of
  thousands of members on a busy machine took 109 s) fails. Outside a transaction, a statement
  that failed for a lock did nothing, and a ``BEGIN`` that failed began nothing, so both are safe
  to try again: a process that may wait (the worker, where nobody is waiting on a page) calls
  `wait_for_locks` and its writes keep waiting up to that long instead of failing the task.
"""

import sqlite3
import time

from django.db.backends.sqlite3 import base, features

_patience = {"seconds": 0.0}


def wait_for_locks(*, seconds: float) -> None:
    """Let this process's writes outside a transaction (and each BEGIN) wait up to `seconds` for the lock."""
    _patience["seconds"] = seconds


class DatabaseFeatures(features.DatabaseFeatures):
    can_use_chunked_reads = False


class PatientCursorWrapper(base.SQLiteCursorWrapper):
    owner = None  # the DatabaseWrapper, to know whether a transaction is open

    def execute(self, query, params=None):
        return self._patiently(super().execute, query, params)

    def executemany(self, query, param_list):
        if _patience["seconds"]:
            param_list = list(param_list)  # a retry needs the rows again
        return self._patiently(super().executemany, query, param_list)

    def _patiently(self, call, *arguments):
        deadline, pause = None, 0.05
        while True:
            try:
                return call(*arguments)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or not _patience["seconds"] or self.owner.in_atomic_block:
                    raise
                deadline = deadline or time.monotonic() + _patience["seconds"]
                if time.monotonic() >= deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=PatientCursorWrapper)
        cursor.owner = self
        return cursor
