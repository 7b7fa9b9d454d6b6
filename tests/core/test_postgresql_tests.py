"""The PostgreSQL backend of the test settings: a transactional test's flush empties every table by DELETE."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, RelationshipFactory


def _operations():
    from mentora.core.postgresql_tests.base import DatabaseOperations

    return DatabaseOperations(connection=None)


def test_flush_deletes_from_every_table_with_the_foreign_keys_deferred():
    sql = _operations().sql_flush(no_style(), ["accounts_user", "programs_membership"])
    assert sql == ["SET CONSTRAINTS ALL DEFERRED;", 'DELETE FROM "accounts_user";',
                   'DELETE FROM "programs_membership";']


@pytest.mark.parametrize("option", ["reset_sequences", "allow_cascade"])
def test_a_flush_that_resets_sequences_or_cascades_is_django_s_truncate(option):
    sql = _operations().sql_flush(no_style(), ["accounts_user"], **{option: True})
    assert len(sql) == 1 and sql[0].startswith('TRUNCATE "accounts_user"')


def test_nothing_to_flush_is_no_statement():
    assert _operations().sql_flush(no_style(), []) == []


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_flush_empties_related_tables_and_keeps_the_sequences():
    if connection.vendor != "postgresql":
        pytest.skip("the test settings' PostgreSQL backend")
    from mentora.core.postgresql_tests.base import DatabaseWrapper

    assert isinstance(connections["default"], DatabaseWrapper)
    relationship = RelationshipFactory()  # people, a program and memberships that refer to each other
    MembershipFactory(program=relationship.program, user=relationship.mentee, role="mentee")
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    # as a transactional test ends (django.test.TransactionTestCase._fixture_teardown)
    with CaptureQueriesContext(connection) as flush:
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
    statements = [query["sql"].split()[0] for query in flush.captured_queries]
    assert "TRUNCATE" not in statements and statements.count("DELETE") == len(tables)
    with connection.cursor() as cursor:
        filled = []
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            if cursor.fetchone()[0]:
                filled.append(table)
    assert filled == []
    assert RelationshipFactory().pk > relationship.pk  # the flush left the sequences where they were
