"""The `cast` fixture (tests/conftest.py) is built once per module, and every test still starts from the cast
as make_cast built it: a test's writes and its changes to the instances never reach the next test; a test
without the cast sees none of it; a transactional test gets a cast of its own, outside the module's
transaction, even between tests that share one.

The steps run in the order of this file (`in_file_order`: pytest-django would run the transactional ones
last) and on one worker, since each compares what it finds with what the step before it saw.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from mentora.profiles.models import MentorOffer, Profile
from mentora.programs.models import Membership, Network, Program
from mentora.relationships.models import Relationship
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.in_file_order, pytest.mark.xdist_group("cast-fixture")]

TABLES = (get_user_model(), Profile, Membership, MentorOffer, Relationship, Program, Network)
# What the steps saw: the rows of the last build, how many builds there had been, whether a step without
# the cast (which closes the module's transaction) ran since.
SEEN: dict = {}


def _database(cast) -> dict:
    """The cast's rows as the database holds them, and how many rows each of its tables holds."""
    rows = {name: type(obj).objects.filter(pk=obj.pk).values().get() for name, obj in cast.items()}
    rows["coordinators of the network"] = sorted(cast["network"].coordinators.values_list("pk", flat=True))
    for model in TABLES:
        rows[model._meta.label] = model.objects.count()
    return rows


def _in_memory(cast) -> dict:
    return {name: {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
            for name, obj in cast.items()}


def _assert_as_built(cast, module_cast) -> None:
    database = _database(cast)
    assert _in_memory(cast) == {name: database[name] for name in cast}, "the instances differ from their rows"
    assert not hasattr(cast["coordinator"], "left_by_an_earlier_test")
    assert database[get_user_model()._meta.label] == 8 and database[Relationship._meta.label] == 1
    assert cast["mentee_a"].check_password(PASSWORD)
    expected_builds = SEEN.get("builds", 0) + 1 if SEEN.get("closed", True) else SEEN["builds"]
    assert module_cast.builds == expected_builds, "the cast was built again though nothing closed it"
    if not SEEN.get("closed", True):
        assert database == SEEN["rows"], "an earlier test's writes outlived it"
    SEEN.update(rows=database, builds=module_cast.builds, closed=False)


def _spoil(cast) -> None:
    """Writes and in-memory changes a test may make; none may reach the next test."""
    cast["mentee_a"].full_name = "Changed And Saved"
    cast["mentee_a"].set_password("another-long-password")
    cast["mentee_a"].save()
    cast["program"].name = "Changed in memory only"
    cast["coordinator"].left_by_an_earlier_test = True
    Relationship.objects.filter(mentee=cast["mentee_a"]).delete()
    Membership.objects.filter(user=cast["mentee_b"]).update(training_level="pgy3")
    cast["network"].coordinators.clear()
    UserFactory()
    Program.objects.filter(pk=cast["other_program"].pk).delete()


@pytest.mark.django_db
@pytest.mark.parametrize("then_spoil", [False, True, False, True], ids=["check", "spoil", "check-after", "spoil-again"])
def test_each_test_starts_from_the_cast_as_built(cast, _cast_of_module, then_spoil):
    assert _cast_of_module.is_open and connection.in_atomic_block
    _assert_as_built(cast, _cast_of_module)
    if then_spoil:
        _spoil(cast)


@pytest.mark.django_db
def test_a_test_without_the_cast_sees_none_of_it():
    assert get_user_model().objects.count() == 0 and Program.objects.count() == 0
    SEEN["closed"] = True


@pytest.mark.django_db
@pytest.mark.parametrize("then_spoil", [False, True], ids=["check", "spoil"])
def test_after_a_test_without_the_cast_it_is_built_again(cast, _cast_of_module, then_spoil):
    _assert_as_built(cast, _cast_of_module)
    if then_spoil:
        _spoil(cast)


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_a_cast_of_its_own_outside_any_transaction(cast, _cast_of_module):
    assert not connection.in_atomic_block and not _cast_of_module.is_open
    assert get_user_model().objects.count() == 8
    assert _in_memory(cast) == {name: type(obj).objects.filter(pk=obj.pk).values().get() for name, obj in cast.items()}
    _spoil(cast)  # committed: the database is flushed after this test
    SEEN["closed"] = True


@pytest.mark.django_db
@pytest.mark.parametrize("then_spoil", [False, True, False], ids=["check", "spoil", "check-after"])
def test_after_a_transactional_test_it_is_built_again(cast, _cast_of_module, then_spoil):
    _assert_as_built(cast, _cast_of_module)
    if then_spoil:
        _spoil(cast)


@pytest.mark.django_db
def test_the_program_fixture_is_the_cast_s_program(cast, program):
    assert program is cast["program"]


@pytest.mark.django_db
def test_last_a_test_without_the_cast_still_sees_none_of_it():
    assert get_user_model().objects.count() == 0 and Relationship.objects.count() == 0
