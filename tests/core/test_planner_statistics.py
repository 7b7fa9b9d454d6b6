"""After a bulk load (demo, restore) the database knows the new sizes, and on PostgreSQL the tables are
vacuumed, so index-only scans read no table page (mentora.core.db.refresh_planner_statistics)."""

import pytest
from django.db import connection

from mentora.core.db import refresh_planner_statistics
from tests.factories import MembershipFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no vacuum statistics or visibility map")
def test_a_bulk_load_leaves_the_tables_vacuumed_on_postgresql():
    MembershipFactory()
    refresh_planner_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE relname = 'programs_membership'"
                       " AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL")
        assert cursor.fetchall() == [("programs_membership",)]


@pytest.mark.django_db
def test_inside_a_transaction_it_analyzes_only():
    """VACUUM cannot run in a transaction: a load inside one still gets its statistics."""
    MembershipFactory()
    refresh_planner_statistics()  # no error inside the test's transaction
