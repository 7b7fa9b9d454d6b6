import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mentora.conflicts.services import ConflictOfInterest, conflict_policy_set, evaluating_role_declare
from mentora.core.errors import StateConflict
from mentora.notifications.models import Notification
from mentora.relationships import services
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load, relationships_of_mentee
from mentora.relationships.services import (
    AlreadyOpen,
    CapacityFull,
    relationship_start,
    relationship_start_many,
)
from tests.factories import MembershipFactory, MentorOfferFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(name="Riverside Internal Medicine")


@pytest.fixture
def coordinator(program):
    return MembershipFactory(program=program, role="coordinator").user


def mentor_with(capacity=3, program=None):
    mentor = UserFactory()
    MentorOfferFactory(user=mentor, capacity=capacity)
    if program is not None:
        MembershipFactory(user=mentor, program=program, role="mentor", training_level="faculty")
    return mentor


def mentee_in(program):
    return MembershipFactory(program=program, role="mentee").user


def start(mentee, mentor, program, by, kind="career"):
    return relationship_start(mentee=mentee, mentor=mentor, kind=kind, source=Relationship.Source.MANUAL,
                              program=program, by=by)


def test_start_makes_an_active_relationship_the_mentor_carries(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    relationship = start(mentee, mentor, program, coordinator, kind="research")
    assert relationship.status == "active" and relationship.started_on is not None
    assert relationship.source == "manual" and relationship.program == program
    assert list(relationships_of_mentee(mentee=mentee)) == [relationship]
    assert mentor_load(mentor=mentor) == 1
    assert mentor_load(mentor_ids=[mentor.pk]) == {mentor.pk: 1}
    assert list(Relationship.objects.open()) == [relationship]


def test_one_open_relationship_per_pair_and_kind(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    start(mentee, mentor, program, coordinator, kind="career")
    with pytest.raises(AlreadyOpen):
        start(mentee, mentor, program, coordinator, kind="career")
    start(mentee, mentor, program, coordinator, kind="research")  # another kind is fine
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database refuses a second open one
        Relationship.objects.create(mentee=mentee, mentor=mentor, kind="career", status="active")


def test_closed_relationship_allows_a_new_one(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    first = start(mentee, mentor, program, coordinator)
    services.relationship_close(relationship=first, by=coordinator, reason="A new start")
    start(mentee, mentor, program, coordinator)
    assert Relationship.objects.filter(mentee=mentee).count() == 2
    assert Relationship.objects.open().count() == 1


def test_nobody_mentors_themselves(program, coordinator):
    person = mentor_with(program=program)
    with pytest.raises(ValidationError):
        start(person, person, program, coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(mentee=person, mentor=person)


def test_start_never_goes_beyond_the_mentors_places(program, coordinator):
    mentor = mentor_with(capacity=1, program=program)
    start(mentee_in(program), mentor, program, coordinator)
    with pytest.raises(CapacityFull) as refused:
        start(mentee_in(program), mentor, program, coordinator)
    assert isinstance(refused.value, StateConflict)
    assert f"places of {mentor.display_name} are taken" in refused.value.messages[0]
    assert mentor_load(mentor=mentor) == 1


def test_a_mentor_without_an_offer_has_no_place(program, coordinator):
    with pytest.raises(CapacityFull, match="does not offer mentorship"):
        start(mentee_in(program), UserFactory(), program, coordinator)


def test_only_the_programs_coordinators_pair_by_hand(program):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    other_coordinator = MembershipFactory(role="coordinator").user
    for outsider in (other_coordinator, mentee, mentor):
        with pytest.raises(PermissionDenied):
            start(mentee, mentor, program, outsider)
    # A request is started by the mentor asked, and by nobody else.
    with pytest.raises(PermissionDenied):
        relationship_start(mentee=mentee, mentor=mentor, kind="career", source="request", program=program, by=mentee)
    relationship_start(mentee=mentee, mentor=mentor, kind="career", source="request", program=program, by=mentor)
    assert not Relationship.objects.filter(source="manual").exists()


def test_the_conflict_policy_applies_to_manual_pairing(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    evaluating_role_declare(by=mentor, role="program_director", program=program)
    conflict_policy_set(program=program, forbid_evaluator_pairs=True, by=coordinator)
    with pytest.raises(ConflictOfInterest):
        start(mentee, mentor, program, coordinator)
    assert not Relationship.objects.exists()


def test_many_start_together_or_not_at_all(program, coordinator):
    mentees = [mentee_in(program) for _ in range(3)]
    roomy, tight = mentor_with(capacity=5, program=program), mentor_with(capacity=1, program=program)
    pairs = [(mentees[0].pk, roomy.pk), (mentees[1].pk, tight.pk), (mentees[2].pk, tight.pk)]
    with pytest.raises(CapacityFull, match=tight.display_name):
        relationship_start_many(pairs=pairs, kind="career", source="batch_match", program=program, by=coordinator)
    assert not Relationship.objects.exists()
    created = relationship_start_many(pairs=pairs[:2], kind="career", source="batch_match", program=program,
                                      by=coordinator)
    assert {(r.mentee_id, r.mentor_id) for r in created} == set(pairs[:2])
    assert mentor_load(mentor_ids=[roomy.pk, tight.pk]) == {roomy.pk: 1, tight.pk: 1}


def test_a_batch_never_pairs_a_mentor_with_someone_they_evaluate_whatever_the_policy(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    evaluating_role_declare(by=mentor, role="program_director", program=program)  # the policy only warns
    with pytest.raises(ConflictOfInterest, match="conflicts of interest"):
        relationship_start_many(pairs=[(mentee.pk, mentor.pk)], kind="career", source="batch_match",
                                program=program, by=coordinator)
    assert not Relationship.objects.exists()


def _titles(person):
    return list(Notification.objects.filter(user=person, kind="relationship").order_by("pk")
                .values_list("title", flat=True))


def test_a_side_pauses_resumes_and_closes_and_the_other_side_hears_of_it(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    relationship = start(mentee, mentor, program, coordinator)
    services.relationship_pause(relationship=relationship, by=mentee)
    with pytest.raises(StateConflict):
        services.relationship_pause(relationship=relationship, by=mentor)
    services.relationship_resume(relationship=relationship, by=mentor)
    with pytest.raises(ValidationError):
        services.relationship_close(relationship=relationship, by=mentee, reason=" ")
    closed = services.relationship_close(relationship=relationship, by=mentee, reason="Goals met")
    assert (closed.status, closed.closing_reason) == ("closed", "Goals met") and closed.ended_on
    name = mentee.display_name
    assert _titles(mentor) == [f"{name} paused your mentoring relationship",
                               f"{name} closed your mentoring relationship"]
    assert _titles(mentee) == [f"{mentor.display_name} resumed your mentoring relationship"]


def test_only_the_sides_and_the_programs_coordinators_change_a_relationship(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    relationship = start(mentee, mentor, program, coordinator)
    for outsider in (UserFactory(), MembershipFactory(role="coordinator").user, mentee_in(program)):
        for change in (services.relationship_pause, services.relationship_resume):
            with pytest.raises(PermissionDenied):
                change(relationship=relationship, by=outsider)
        with pytest.raises(PermissionDenied):
            services.relationship_close(relationship=relationship, by=outsider, reason="No")
    relationship.refresh_from_db()
    assert relationship.status == "active"


def test_a_coordinator_closes_with_a_reason_both_sides_hear(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    relationship = start(mentee, mentor, program, coordinator)
    services.relationship_close(relationship=relationship, by=coordinator, reason="The mentor moves abroad")
    for person in (mentee, mentor):
        [notice] = Notification.objects.filter(user=person, kind="relationship", title__contains="closed")
        assert "program coordinator" in notice.title and notice.body == "The mentor moves abroad"


def test_a_coordinator_reassigns_the_mentee_with_the_same_checks(program, coordinator):
    mentee, mentor = mentee_in(program), mentor_with(program=program)
    full = mentor_with(capacity=0, program=program)
    new_mentor = mentor_with(program=program)
    relationship = start(mentee, mentor, program, coordinator)
    with pytest.raises(PermissionDenied):
        services.relationship_reassign(relationship=relationship, by=mentee, mentor=new_mentor, reason="Better fit")
    with pytest.raises(CapacityFull):
        services.relationship_reassign(relationship=relationship, by=coordinator, mentor=full, reason="Better fit")
    relationship.refresh_from_db()
    assert relationship.status == "active"  # the refused reassignment closed nothing
    started = services.relationship_reassign(relationship=relationship, by=coordinator, mentor=new_mentor,
                                             reason="Better fit")
    relationship.refresh_from_db()
    assert relationship.status == "closed" and relationship.closing_reason == "Better fit"
    assert (started.mentee, started.mentor, started.status, started.source) == (mentee, new_mentor, "active", "manual")
    assert Notification.objects.filter(user=new_mentor, kind="relationship", title__contains="paired you").exists()
    assert Notification.objects.filter(user=mentee, kind="relationship", title__contains="paired you").exists()
