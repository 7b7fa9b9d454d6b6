"""Database housekeeping shared by the bulk loaders (demo, restore)."""

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE Mentora's own tables after a bulk load, so the query planner knows the new sizes.

    SQLite has no statistics at all until ANALYZE runs, and without them it may choose an index
    that makes a dashboard query quadratic; PostgreSQL's autovacuum would get there, but later.
    On PostgreSQL also VACUUM (outside a transaction, where it can run): until a table is vacuumed
    its visibility map is empty, and the dashboards' index-only scans (goal counts, last held
    meetings) read every row's page as well; the first computation of a dashboard at 50,000
    mentees took a quarter longer until then.
    Only the application's tables: a database-wide ANALYZE on PostgreSQL also visits the shared
    catalogs, and waits there for any other session's transaction that holds a lock on them.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        if tables:
            command = "ANALYZE " if connection.in_atomic_block else "VACUUM (ANALYZE) "
            cursor.execute(command + ", ".join(connection.ops.quote_name(table) for table in tables))
