"""A transactional test ends with the suite's flush (tests/conftest.py, flush_and_restore): the database as
Django's flush and post_migrate leave it, without sending post_migrate after the first flush.

The steps run in the order of this file, on one worker: the first writes rows of every kind a test writes
(people, a permission and a content type of its own) and ends as every transactional test ends; the second
finds what a newly flushed database holds, and nothing of the first's.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from tests.conftest import flush_and_restore
from tests.factories import UserFactory

pytestmark = [pytest.mark.in_file_order, pytest.mark.xdist_group("flush")]


def _contents() -> dict[str, set]:
    """Every model's rows, by natural key where a row is only what post_migrate writes."""
    contents = {
        "content types": set(ContentType.objects.values_list("app_label", "model")),
        "permissions": set(Permission.objects.values_list("content_type__app_label", "content_type__model",
                                                          "codename", "name")),
    }
    for model in apps.get_models(include_auto_created=True):
        if model not in (ContentType, Permission):
            contents[model._meta.label] = set(model._base_manager.values_list("pk", flat=True))
    return contents


def _expected_by_the_models() -> dict[str, set]:
    """What the installed models alone call for: a content type each and their default permissions."""
    models = apps.get_models()
    return {
        "content types": {(model._meta.app_label, model._meta.model_name) for model in models},
        "permissions": {codename for model in models for action in model._meta.default_permissions
                        for codename in [f"{action}_{model._meta.model_name}"]},
    }


def _written_by_a_test() -> None:
    UserFactory.create_batch(3)
    own = ContentType.objects.create(app_label="flush_test", model="thing")
    Permission.objects.create(content_type=own, codename="touch_thing", name="Can touch thing")


@pytest.mark.django_db(transaction=True)
def test_the_flush_leaves_what_djangos_flush_and_post_migrate_leave():
    _written_by_a_test()
    flush_and_restore()  # the first in this process is Django's own; a later one restores what it left
    _written_by_a_test()
    flush_and_restore()
    restored = _contents()
    restored_ids = set(ContentType.objects.values_list("pk", flat=True))

    _written_by_a_test()
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=False)
    assert _contents() == restored
    assert restored["content types"] >= _expected_by_the_models()["content types"]
    assert {codename for *_, codename, _name in restored["permissions"]} >= _expected_by_the_models()["permissions"]
    assert ("flush_test", "thing") not in restored["content types"]
    assert all(not rows for label, rows in restored.items() if label not in ("content types", "permissions"))

    flush_and_restore()
    assert set(ContentType.objects.values_list("pk", flat=True)) == restored_ids  # the same rows, as read once
    assert ContentType.objects.get_for_model(Permission).pk in restored_ids  # the cache follows them


@pytest.mark.django_db(transaction=True)
def test_after_the_first_flush_no_post_migrate_is_sent():
    flush_and_restore()  # Django's own, if it is the first in this process
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with CaptureQueriesContext(connection) as flush:
        flush_and_restore()
    emptied = [query for query in flush.captured_queries if query["sql"].startswith("DELETE")]
    rest = [query["sql"].split()[0] for query in flush.captured_queries if query not in emptied]
    assert len(emptied) == len(tables)
    # Django's flush with post_migrate: about 300 queries of content types and permissions after the DELETEs;
    # this one: the table list, the transactions, and the rows inserted a few hundred at a time.
    assert len(rest) <= 10, rest
    assert rest.count("INSERT") >= 2
    assert TransactionTestCase._fixture_teardown.__qualname__.startswith("_restoring_post_migrate_rows")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_ends_with_that_flush():
    """Its rows are the next test's to see if the test's end is not the suite's flush."""
    _written_by_a_test()


@pytest.mark.django_db(transaction=True)
def test_the_next_test_finds_the_database_as_a_flush_leaves_it():
    contents = _contents()
    assert ("flush_test", "thing") not in contents["content types"]
    assert "touch_thing" not in {codename for *_, codename, _name in contents["permissions"]}
    assert contents["content types"] >= _expected_by_the_models()["content types"]
    assert {codename for *_, codename, _name in contents["permissions"]} >= _expected_by_the_models()["permissions"]
    assert all(not rows for label, rows in contents.items() if label not in ("content types", "permissions"))
