"""CompiledOnce: a query the ORM builds and compiles once, then runs with each call's own arguments."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Value
from django.test.utils import CaptureQueriesContext

from mentora.core.academic_year import current_academic_year
from mentora.core.db import CompiledOnce
from mentora.programs.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _memberships(*, person: int, year: int):
    return (Membership.objects.filter(user_id=person, academic_year=year).order_by("program_id")
            .annotate(kind=Value("m")).values_list("kind", "role", "program_id"))


def test_each_call_answers_what_the_orm_would_for_its_own_arguments():
    year = current_academic_year()
    first = MembershipFactory(role="mentee")
    second = MembershipFactory(role="mentor", training_level="faculty")
    MembershipFactory(user=second.user, role="coordinator", training_level="")
    MembershipFactory(user=first.user, role="mentee", academic_year=year - 1)
    query = CompiledOnce(_memberships)
    for person, at in [(first.user_id, year), (second.user_id, year), (first.user_id, year - 1), (0, year)]:
        expected = list(_memberships(person=person, year=at))
        assert query.rows(person=person, year=at) == [tuple(row) for row in expected]
    assert query.rows(person=second.user_id, year=year)[0][0] == "m"  # the query's own constant, kept
    assert len(query.rows(person=second.user_id, year=year)) == 2


def test_the_queryset_is_built_twice_then_never_again_and_each_call_is_one_query():
    people = [UserFactory() for _ in range(3)]
    built = []

    def named(*, person: int):
        built.append(person)
        return get_user_model().objects.filter(pk=person).values_list("full_name")

    query = CompiledOnce(named)
    assert query.rows(person=people[0].pk) == [(people[0].full_name,)]
    assert len(built) == 2  # the two marker compilations, not the call's own argument
    for person in people:
        with CaptureQueriesContext(connection) as queries:
            assert query.rows(person=person.pk) == [(person.full_name,)]
        assert len(queries) == 1
    assert len(built) == 2


def test_an_argument_the_orm_changes_or_writes_into_the_sql_is_refused():
    shifted = CompiledOnce(lambda *, person: get_user_model().objects.filter(pk=person + 1).values_list("pk"))
    with pytest.raises(ValueError, match="must each reach the SQL as a parameter"):
        shifted.rows(person=1)
    limited = CompiledOnce(lambda *, person: get_user_model().objects.values_list("pk")[:person])
    with pytest.raises(ValueError, match="must each reach the SQL as a parameter"):
        limited.rows(person=1)
    unused = CompiledOnce(lambda *, person, year: get_user_model().objects.filter(pk=person).values_list("pk"))
    with pytest.raises(ValueError, match="must each reach the SQL as a parameter"):
        unused.rows(person=1, year=2)


def test_a_count_by_person_is_no_row_for_none():
    person = UserFactory()
    counted = CompiledOnce(lambda *, person: Membership.objects.filter(user_id=person).order_by()
                           .values("user_id").annotate(n=Count("pk")).values_list("n"))
    assert counted.rows(person=person.pk) == []
    MembershipFactory(user=person)
    assert counted.rows(person=person.pk) == [(1,)]


def test_instances_are_the_model_s_own_rows_and_values_are_not_instances():
    person = UserFactory(full_name="Ama Mensah")
    whole = CompiledOnce(lambda *, email: get_user_model().objects.filter(email=email))
    [found] = whole.instances(email=person.email)
    assert found == person and found.full_name == "Ama Mensah" and found.date_joined == person.date_joined
    assert whole.instances(email="nobody@example.org") == []
    with pytest.raises(ValueError, match="answers values"):
        CompiledOnce(_memberships).instances(person=person.pk, year=current_academic_year())
