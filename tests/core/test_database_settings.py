"""Settings of the database connection that the pages' speed depends on."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="just-in-time compilation is PostgreSQL's")
def test_postgresql_compiles_no_query_just_in_time():
    """The planner would compile the dashboards' counting queries at a network's size, which costs more
    than it saves there."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
