"""The database the process tests begin with (the `migrated_sqlite` fixture of tests/conftest.py): what
`mentora migrate` leaves in a new file."""

import sqlite3

import pytest
from django.db.migrations.loader import MigrationLoader


def test_the_process_tests_begin_with_every_migration_applied_and_no_rows(migrated_sqlite):
    latest = set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    database = sqlite3.connect(migrated_sqlite)
    try:
        applied = set(database.execute("SELECT app, name FROM django_migrations"))
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        people = database.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]
    finally:
        database.close()
    assert latest and latest <= applied, sorted(latest - applied)
    assert "mentora_cache" not in tables  # `make run` makes it with createcachetable
    assert people == 0


@pytest.mark.django_db
def test_the_suite_s_database_has_every_migration_applied():
    """Each worker's test database, migrated or loaded from the first worker's (tests/conftest.py,
    _migrate_sqlite_once), has nothing left to migrate."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
