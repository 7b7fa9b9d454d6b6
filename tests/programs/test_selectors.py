import datetime

import pytest

from mentora.core.academic_year import academic_year_of
from mentora.programs.selectors import user_roles
from tests.factories import MembershipFactory, NetworkFactory, UserFactory


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
def test_last_years_membership_gives_no_role_this_year():
    from mentora.core.academic_year import current_academic_year

    person = UserFactory()
    MembershipFactory(user=person, role="coordinator", academic_year=current_academic_year() - 1)
    assert not user_roles(user=person).is_coordinator
