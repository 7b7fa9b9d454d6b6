"""Database housekeeping shared by the bulk loaders (demo, restore)."""

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE after a bulk load, so the query planner knows the new sizes at once.

    SQLite has no statistics at all until ANALYZE runs, and without them it may choose an index
    that makes a dashboard query quadratic; PostgreSQL's autovacuum would get there, but later.
    """
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
