"""Mentora's SQLite backend: the two ways a write failed with "database is locked" under concurrency."""

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError, transaction
from django.db.utils import ConnectionHandler

from mentora.core.sqlite.base import wait_for_locks


@pytest.fixture
def database(tmp_path, django_db_blocker):
    path = tmp_path / "locks.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(1000)])
    setup.commit()
    setup.close()
    handler = ConnectionHandler({"default": {
        "ENGINE": "mentora.core.sqlite", "NAME": str(path),
        "OPTIONS": {"timeout": 0.2, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=200"},
    }})
    connection = handler["default"]
    with django_db_blocker.unblock():  # a database of its own, not the test database
        yield path, connection
        wait_for_locks(seconds=0)
        connection.close()


def _hold_the_write_lock(path, seconds: float) -> threading.Thread:
    locked = threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (-1)")
        locked.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


def test_iterator_reads_its_rows_before_the_loop_writes(database):
    # An open chunked SELECT holds a stale snapshot that a later write cannot upgrade: the invitation
    # task failed that way (tests/core/test_worker_processes.py runs the real thing).
    _, connection = database
    assert connection.features.can_use_chunked_reads is False


def test_a_patient_process_waits_out_a_transaction_longer_than_the_busy_timeout(database):
    path, connection = database
    holder = _hold_the_write_lock(path, 0.3 + 0.2)
    with pytest.raises(OperationalError, match="locked"), connection.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")  # 0.2 s busy timeout, no patience: fails
    holder.join()

    wait_for_locks(seconds=10)
    holder = _hold_the_write_lock(path, 1.0)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (100002)")  # outside a transaction: tried again until the lock is free
    assert time.monotonic() - started >= 0.5
    holder.join()

    holder = _hold_the_write_lock(path, 1.0)
    started = time.monotonic()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:  # BEGIN waits too
        cursor.execute("INSERT INTO t VALUES (100003)")
    assert time.monotonic() - started >= 0.5
    holder.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t WHERE x IN (100002, 100003)")
        assert cursor.fetchone()[0] == 2
