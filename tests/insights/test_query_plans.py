"""The dashboard's per-membership questions use an index that needs no planner statistics.

A SQLite database that was never ANALYZEd (a fresh one, or one grown by hand) has no statistics;
the planner then picks the index that matches the most columns. With only (program, status) to
choose, "has this mentee an open relationship here" scanned the program's every relationship for
each mentee: 54 s for the cold dashboard of a 15,000-mentee program.
"""

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from mentora.programs.models import Membership
from mentora.relationships.models import Relationship


@pytest.mark.django_db
def test_open_relationship_of_a_mentee_is_looked_up_by_mentee_program_and_status(program):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps statistics itself (autovacuum)")
    open_relationship = Relationship.objects.filter(
        mentee=OuterRef("user_id"), program=OuterRef("program_id"), status__in=Relationship.OPEN_STATUSES)
    query = Membership.objects.filter(program=program, role="mentee").filter(Exists(open_relationship))
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:  # the situation under test is "no statistics" (rolled back after)
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")  # makes the planner reload the (now empty) statistics
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    index = next(i.name for i in Relationship._meta.indexes if i.fields == ["mentee", "program", "status"])
    assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan
