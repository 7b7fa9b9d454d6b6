"""Shared fixtures. Django imports stay inside fixtures so the pure libraries' tests
(tests/matching, tests/smart) also run with `pytest -p no:django`."""

import pytest

# A local OpenID Connect provider (oidc_server, set_identity, riverside_sign_on) for the sign-on tests.
pytest_plugins = ["tests.oidc_provider"]


@pytest.fixture
def program(db):
    from .factories import ProgramFactory

    return ProgramFactory()


@pytest.fixture
def cast(db, program):
    """The people of one program and one outsider program, as the permission tests need them.

    `network` holds `program` (not `other_program`); `network_coordinator` coordinates it and holds
    no membership. Every authorization test (tests/trust/) runs against exactly these people.
    """
    from .factories import (
        MembershipFactory,
        MentorOfferFactory,
        NetworkFactory,
        ProgramFactory,
        RelationshipFactory,
        UserFactory,
    )

    network = NetworkFactory()
    program.network = network
    program.save(update_fields=["network"])
    other_program = ProgramFactory()
    mentee_a = MembershipFactory(program=program, role="mentee").user
    mentee_b = MembershipFactory(program=program, role="mentee").user
    mentor_a = MembershipFactory(program=program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=mentor_a)
    other_mentor = MembershipFactory(program=other_program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=other_mentor)
    coordinator = MembershipFactory(program=program, role="coordinator", training_level="").user
    other_coordinator = MembershipFactory(program=other_program, role="coordinator", training_level="").user
    admin = UserFactory(is_superuser=True, is_staff=True)
    network_coordinator = UserFactory()
    network.coordinators.add(network_coordinator)
    RelationshipFactory(mentee=mentee_a, mentor=mentor_a, program=program)
    return {
        "mentee_a": mentee_a, "mentee_b": mentee_b, "mentor_a": mentor_a, "other_mentor": other_mentor,
        "coordinator": coordinator, "other_coordinator": other_coordinator, "admin": admin,
        "network_coordinator": network_coordinator,
        "program": program, "other_program": other_program, "network": network,
    }


@pytest.fixture
def demo_network(db):
    """A small generated demo network with the fixed demo logins."""
    from mentora.core.demo import generate_demo

    return generate_demo(mentees=60, mentors=15, seed=7)
