import datetime

import pytest

from mentora.core.academic_year import academic_year_of
from mentora.programs.selectors import user_roles
from tests.factories import MembershipFactory, MentorOfferFactory, NetworkFactory, UserFactory


def test_academic_year_starts_in_july():
    assert academic_year_of(datetime.date(2026, 6, 30)) == 2025
    assert academic_year_of(datetime.date(2026, 7, 1)) == 2026


@pytest.mark.django_db
def test_roles_from_memberships_and_networks():
    person = UserFactory()
    MembershipFactory(user=person, role="mentee")
    coordinator_of = MembershipFactory(user=person, role="coordinator").program
    network = NetworkFactory()
    network.coordinators.add(person)
    roles = user_roles(user=person)
    assert roles.is_mentee and roles.is_coordinator and roles.is_network_coordinator
    assert not roles.is_mentor and not roles.is_admin
    assert roles.coordinated_program_ids == frozenset({coordinator_of.pk})


@pytest.mark.django_db
def test_every_role_of_a_person_is_read_in_one_query(django_assert_num_queries):
    """Every page asks for the person's roles: memberships, networks and the mentor offer come in one query,
    and only this person's, this year's and the active ones count."""
    from mentora.core.academic_year import current_academic_year

    person, other = UserFactory(), UserFactory()
    mentee_in = MembershipFactory(user=person, role="mentee").program
    mentor_in = MembershipFactory(user=person, role="mentor").program
    directs = MembershipFactory(user=person, role="director").program
    MembershipFactory(user=person, role="coordinator", is_active=False)
    MembershipFactory(user=person, role="coordinator", academic_year=current_academic_year() + 1)
    MembershipFactory(user=other, role="coordinator")
    networks = NetworkFactory(), NetworkFactory()
    for network in networks:
        network.coordinators.add(person)
    NetworkFactory().coordinators.add(other)
    MentorOfferFactory(user=other)
    with django_assert_num_queries(1):
        roles = user_roles(user=person)
    assert roles.mentee_program_ids == {mentee_in.pk} and roles.mentor_program_ids == {mentor_in.pk}
    assert roles.coordinated_program_ids == {directs.pk}
    assert roles.coordinated_network_ids == {network.pk for network in networks}
    assert not roles.is_mentor_by_offer and not roles.is_admin
    MentorOfferFactory(user=person)
    assert user_roles(user=UserFactory._meta.model.objects.get(pk=person.pk)).is_mentor_by_offer
    assert user_roles(user=other).coordinated_network_ids == {NetworkFactory._meta.model.objects.exclude(
        pk__in=[network.pk for network in networks]).get().pk}


@pytest.mark.django_db
def test_last_years_membership_gives_no_role_this_year():
    from mentora.core.academic_year import current_academic_year

    person = UserFactory()
    MembershipFactory(user=person, role="coordinator", academic_year=current_academic_year() - 1)
    assert not user_roles(user=person).is_coordinator
