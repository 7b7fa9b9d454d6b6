"""Database housekeeping shared by the bulk loaders (demo, restore)."""

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE Mentora's own tables after a bulk load, so the query planner knows the new sizes.

    SQLite has no statistics at all until ANALYZE runs, and without them it may choose an index
    that makes a dashboard query quadratic; PostgreSQL's autovacuum would get there, but later.
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
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
