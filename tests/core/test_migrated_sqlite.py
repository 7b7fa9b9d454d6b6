"""The database the process tests begin with (the `migrated_sqlite` fixture of tests/conftest.py): what
`mentora migrate` leaves in a new file."""

import sqlite3

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
