"""The data version the caches of figures are kept under (mentora.core.data_version): it moves with every
write to a watched table, however the write is made, and reading it reads none of them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mentora.core import data_version as dv
from mentora.programs.models import Membership
from tests.factories import MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [f"{dv.TRIGGER}_%"])
        else:
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                           " WHERE t.tgname = %s", [dv.TRIGGER])
        return {name for (name,) in cursor.fetchall()}


def test_every_watched_table_has_the_trigger_after_migrate():
    assert len(dv.watched_tables()) == len(dv.WATCHED)
    assert set(dv.watched_tables()) <= _triggered_tables()


def test_install_again_changes_nothing():
    before = dv.data_version()
    dv.install()
    assert dv.data_version() == before
    assert set(dv.watched_tables()) <= _triggered_tables()


def test_reading_the_version_reads_no_watched_table():
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        dv.data_version()
        dv.data_version()
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert captured.captured_queries
    assert [table for table in dv.watched_tables() if table in read] == []


def test_writes_that_bypass_model_saves_move_the_version():
    """Queryset updates, bulk inserts, deletes and raw SQL send no signal: the version moves all the same,
    at once (a cache keyed on it must not show figures from before the write)."""
    program = ProgramFactory()
    membership = MembershipFactory(program=program, role="mentee")
    seen = {dv.data_version()}

    def moved() -> bool:
        version = dv.data_version()
        fresh = version not in seen
        seen.add(version)
        return fresh

    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert moved()
    Membership.objects.bulk_create([Membership(program=program, user=UserFactory(), role="mentee",
                                               academic_year=membership.academic_year)])
    assert moved()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Membership._meta.db_table} SET is_active = %s WHERE id = %s", [True, membership.pk])
    assert moved()
    Membership.objects.filter(program=program).delete()
    assert moved()
    assert not moved()  # and only then


def test_a_rolled_back_write_never_gives_its_version_to_the_next_one():
    """Figures computed inside a transaction that rolled back may be in a cache outside the database: the
    next write that commits must not land on their version."""
    membership = MembershipFactory(role="mentee")
    try:
        with transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(is_active=False)
            inside = dv.data_version()
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert dv.data_version() != inside


def test_folding_the_appended_changes_keeps_the_version():
    membership = MembershipFactory(role="mentee")
    for active in (False, True, False):
        Membership.objects.filter(pk=membership.pk).update(is_active=active)
    before = dv.data_version()
    dv.compact()
    assert dv.data_version() == before
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {dv.CHANGE_TABLE}")
        assert cursor.fetchone()[0] == 0
    Membership.objects.filter(pk=membership.pk).update(is_active=True)
    assert dv.data_version() != before
