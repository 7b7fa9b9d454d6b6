import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentora.conflicts.models import EvaluatingRole
from mentora.conflicts.selectors import conflict_map, conflicts_between, forbidden_pairs, pair_is_forbidden
from mentora.conflicts.services import (
    ConflictOfInterest,
    conflict_policy_set,
    evaluating_role_declare,
    evaluating_role_remove,
    pair_check_allowed,
)
from mentora.relationships.services import relationship_start
from tests.factories import MembershipFactory, MentorOfferFactory, ProgramFactory


@pytest.fixture
def people(db):
    program = ProgramFactory(name="Riverside Internal Medicine")
    other = ProgramFactory(name="Lakeside Surgery")
    mentee = MembershipFactory(program=program, role="mentee").user
    outsider = MembershipFactory(program=other, role="mentee").user
    mentor = MembershipFactory(program=program, role="mentor", training_level="faculty").user
    return {"program": program, "other": other, "mentee": mentee, "outsider": outsider, "mentor": mentor}


def _coordinator(people):
    return MembershipFactory(program=people["program"], role="coordinator").user


def test_only_the_programs_coordinators_set_its_policy(people):

    for outsider in (people["mentor"], people["mentee"], MembershipFactory(program=people["other"],
                                                                            role="coordinator").user):
        with pytest.raises(PermissionDenied):
            conflict_policy_set(program=people["program"], forbid_evaluator_pairs=True, by=outsider)
    assert conflict_policy_set(program=people["program"], forbid_evaluator_pairs=True,
                               by=_coordinator(people)).forbid_evaluator_pairs


def test_no_conflict_without_a_role(people):
    assert conflicts_between(people["mentor"], people["mentee"]) == []
    assert not pair_is_forbidden(people["mentor"], people["mentee"])


def test_program_wide_role_covers_that_programs_mentees_only(people):
    evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"])
    [conflict] = conflicts_between(people["mentor"], people["mentee"])
    assert conflict.role == "ccc_member" and conflict.scope == "program"
    assert conflict.text == "Clinical competency committee member in Riverside Internal Medicine"
    assert not conflict.forbidden
    assert conflicts_between(people["mentor"], people["outsider"]) == []


def test_role_over_one_mentee(people):
    evaluating_role_declare(by=people["mentor"], role="rotation_evaluator", mentee=people["outsider"])
    [conflict] = conflicts_between(people["mentor"].pk, people["outsider"].pk)
    assert conflict.scope == "mentee" and conflict.role == "rotation_evaluator"
    assert conflicts_between(people["mentor"], people["mentee"]) == []


def test_program_director_membership_counts_without_declaring(people):
    director = MembershipFactory(program=people["program"], role="director", training_level="").user
    [conflict] = conflicts_between(director, people["mentee"])
    assert conflict.scope == "membership" and conflict.role == "program_director"


def test_last_years_membership_does_not_count(people):
    from mentora.core.academic_year import current_academic_year

    alumnus = MembershipFactory(role="mentee", academic_year=current_academic_year() - 1,
                                program=people["program"]).user
    evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"])
    assert conflicts_between(people["mentor"], alumnus) == []


def test_policy_forbids_and_forbidden_pairs_feed_matching(people):
    evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"])
    other_mentor = MembershipFactory(program=people["other"], role="mentor", training_level="faculty").user
    evaluating_role_declare(by=other_mentor, role="rotation_evaluator", mentee=people["outsider"])
    assert forbidden_pairs(mentee_ids=[people["mentee"].pk, people["outsider"].pk]) == []
    conflict_policy_set(program=people["program"], forbid_evaluator_pairs=True, by=_coordinator(people))
    assert pair_is_forbidden(people["mentor"], people["mentee"])
    assert forbidden_pairs(mentee_ids=[people["mentee"].pk, people["outsider"].pk]) == [
        (people["mentee"].pk, people["mentor"].pk)
    ]
    # The other program allows such pairs: only a warning there.
    assert not pair_is_forbidden(other_mentor, people["outsider"])
    assert conflicts_between(other_mentor, people["outsider"])


def test_relationship_start_refuses_a_forbidden_pair_and_writes_nothing(people):
    from mentora.relationships.models import Relationship

    MentorOfferFactory(user=people["mentor"])
    coordinator = MembershipFactory(program=people["program"], role="coordinator").user

    evaluating_role_declare(by=people["mentor"], role="program_director", program=people["program"])
    conflict_policy_set(program=people["program"], forbid_evaluator_pairs=True, by=_coordinator(people))
    with pytest.raises(ConflictOfInterest):
        relationship_start(mentee=people["mentee"], mentor=people["mentor"], program=people["program"],
                           kind="career", source="manual", by=coordinator)
    assert not Relationship.objects.exists()
    # Allowed (with the conflict returned as a warning) once the policy only warns.
    conflict_policy_set(program=people["program"], forbid_evaluator_pairs=False, by=_coordinator(people))
    assert len(pair_check_allowed(mentor=people["mentor"], mentee=people["mentee"])) == 1
    relationship_start(mentee=people["mentee"], mentor=people["mentor"], program=people["program"], kind="career",
                       source="manual", by=coordinator)


def test_conflict_map_uses_a_constant_number_of_queries(people):
    def run(n):
        mentees = [MembershipFactory(program=people["program"], role="mentee").user.pk for _ in range(n)]
        with CaptureQueriesContext(connection) as queries:
            found = conflict_map(mentee_ids=mentees)
        return len(queries), len(found)

    evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"])
    small_queries, small_found = run(2)
    big_queries, big_found = run(12)
    assert small_queries == big_queries
    assert (small_found, big_found) == (2, 12)


def test_declare_validates(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        evaluating_role_declare(by=people["mentor"], role="ccc_member")
    with pytest.raises(ValidationError):
        evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"],
                                mentee=people["mentee"])
    with pytest.raises(ValidationError):
        evaluating_role_declare(by=people["mentor"], role="judge", program=people["program"])
    with pytest.raises(ValidationError):
        evaluating_role_declare(by=people["mentor"], role="ccc_member", mentee=people["mentor"])
    role = evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"])
    with pytest.raises(ValidationError):
        evaluating_role_declare(by=people["mentor"], role="ccc_member", program=people["program"])
    assert not evaluating_role_remove(by=people["mentee"], role_id=role.pk)
    assert evaluating_role_remove(by=people["mentor"], role_id=role.pk)
    assert not EvaluatingRole.objects.exists()
