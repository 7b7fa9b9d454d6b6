"""Every service checks its own permission (docs/architecture.md): called directly, as someone who may not
act, it refuses with PermissionDenied and writes nothing, whatever entry point (page, API, command, a
future one) forgot to check first."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from mentora.conflicts.models import EvaluatingRole
from mentora.conflicts.services import evaluating_role_declare, evaluating_role_remove
from mentora.directory import services as directory
from mentora.directory.models import MentorshipRequest, ReferralRequest
from mentora.milestones.models import PlanMilestone
from mentora.milestones.services import milestone_add, milestone_remove, milestone_update
from mentora.profiles.models import MentorOffer, Profile, SensitiveAttributes
from mentora.profiles.services import profile_ensure, profile_update, sensitive_attributes_update
from mentora.scholarly.models import ScholarlyProject
from mentora.scholarly.services import project_create, project_move, project_update

pytestmark = pytest.mark.django_db
SOON = datetime.date.today() + datetime.timedelta(days=60)


def _request(cast) -> MentorshipRequest:
    return directory.request_create(by=cast["mentee_b"], mentor=cast["mentor_a"], kind="career",
                                    why="Your heart failure work", hopes="A first paper")


@pytest.mark.parametrize("answer", [directory.request_accept, directory.request_decline])
def test_only_the_mentor_asked_answers_a_request(cast, answer):
    request = _request(cast)
    with pytest.raises(PermissionDenied):
        answer(request_id=request.pk, by=cast["other_mentor"])
    request.refresh_from_db()
    assert request.status == MentorshipRequest.Status.PENDING


def test_only_the_mentee_who_asked_withdraws_a_request(cast):
    request = _request(cast)
    with pytest.raises(PermissionDenied):
        directory.request_withdraw(request_id=request.pk, by=cast["mentee_a"])
    request.refresh_from_db()
    assert request.status == MentorshipRequest.Status.PENDING


def _referral(cast) -> ReferralRequest:
    return directory.referral_create(by=cast["mentee_b"], network=cast["network"], kind="career",
                                     looking_for="Cardiology research")


@pytest.mark.parametrize("who", ["other_coordinator", "mentee_a", "mentor_a"])
def test_only_a_coordinator_of_the_network_proposes_mentors(cast, who):
    referral = _referral(cast)
    with pytest.raises(PermissionDenied):
        directory.referral_propose(referral_id=referral.pk, by=cast[who], mentor_ids=[cast["mentor_a"].pk])
    referral.refresh_from_db()
    assert referral.status == ReferralRequest.Status.OPEN and not referral.proposals.exists()


def test_only_the_mentee_who_asked_picks_or_cancels_a_referral(cast):
    referral = _referral(cast)
    directory.referral_propose(referral_id=referral.pk, by=cast["network_coordinator"],
                               mentor_ids=[cast["mentor_a"].pk])
    with pytest.raises(PermissionDenied):
        directory.referral_pick(referral_id=referral.pk, by=cast["mentee_a"], mentor_id=cast["mentor_a"].pk,
                                why="x", hopes="y")
    with pytest.raises(PermissionDenied):
        directory.referral_cancel(referral_id=referral.pk, by=cast["mentee_a"])
    referral.refresh_from_db()
    assert referral.status == ReferralRequest.Status.PROPOSED


def _project(cast) -> ScholarlyProject:
    return project_create(by=cast["mentee_a"], title="Sepsis bundle compliance", kind="quality_improvement",
                          owners=[cast["mentee_a"]], mentors=[cast["mentor_a"]], program=cast["program"])


def test_a_stranger_cannot_start_a_project_for_a_mentee(cast):
    with pytest.raises(PermissionDenied):
        project_create(by=cast["other_mentor"], title="Not mine", kind="quality_improvement",
                       owners=[cast["mentee_a"]], mentors=[])
    assert not ScholarlyProject.objects.exists()


def test_a_stranger_cannot_edit_or_move_a_project(cast):
    project = _project(cast)
    with pytest.raises(PermissionDenied):
        project_update(project=project, title="Taken over", kind="quality_improvement", summary="",
                       target_venue="", abstract_deadline=None, submission_deadline=None, mentors=[],
                       by=cast["other_mentor"])
    with pytest.raises(PermissionDenied):
        project_move(project=project, stage="proposal", by=cast["other_coordinator"])
    project.refresh_from_db()
    assert project.title == "Sepsis bundle compliance" and project.stage == "idea"
    assert project.stage_changes.count() == 1


def test_a_mentee_cannot_declare_evaluating_roles_nor_remove_a_mentors(cast):
    with pytest.raises(PermissionDenied):
        evaluating_role_declare(by=cast["mentee_b"], role=EvaluatingRole.Role.values[0], mentee=cast["mentee_a"])
    assert not EvaluatingRole.objects.exists()
    role = evaluating_role_declare(by=cast["mentor_a"], role=EvaluatingRole.Role.values[0], mentee=cast["mentee_b"])
    assert not evaluating_role_remove(by=cast["mentee_b"], role_id=role.pk)  # only one's own: not found
    assert EvaluatingRole.objects.filter(pk=role.pk).exists()


def test_only_the_owner_changes_or_removes_a_milestone(cast):
    milestone = milestone_add(by=cast["mentee_a"], template_key="usmle_step3", due_on=SOON)
    for someone in (cast["mentor_a"], cast["coordinator"], cast["admin"]):
        with pytest.raises(PermissionDenied):
            milestone_update(milestone=milestone, due_on=SOON + datetime.timedelta(days=1), note="moved",
                             by=someone)
        with pytest.raises(PermissionDenied):
            milestone_remove(milestone=milestone, by=someone)
    milestone.refresh_from_db()
    assert milestone.due_on == SOON and milestone.note == ""
    assert PlanMilestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize("who", ["mentor_a", "coordinator", "admin", "mentee_b"])
def test_only_the_person_edits_their_profile(cast, who):
    """Their mentor, their program's coordinator, a site admin or a peer: none edits another's profile."""
    person = cast["mentee_a"]
    name = person.full_name
    with pytest.raises(PermissionDenied):
        profile_update(person=person, full_name="Renamed", profile_data={"headline": "Taken over"},
                       offer_data={"capacity": 9}, by=cast[who])
    with pytest.raises(PermissionDenied):
        profile_ensure(person=person, by=cast[who])
    person.refresh_from_db()
    assert person.full_name == name
    assert not Profile.objects.filter(user=person, headline="Taken over").exists()
    assert not MentorOffer.objects.filter(user=person, capacity=9).exists()


@pytest.mark.parametrize("who", ["mentor_a", "coordinator", "admin"])
def test_only_the_person_gives_or_withdraws_their_optional_attributes(cast, who):
    person = cast["mentee_a"]
    with pytest.raises(PermissionDenied):
        sensitive_attributes_update(person=person, consent=True, data={"race_ethnicity": "black"}, by=cast[who])
    assert not SensitiveAttributes.objects.filter(user=person).exists()
    sensitive_attributes_update(person=person, consent=True, data={"race_ethnicity": "black"}, by=person)
    with pytest.raises(PermissionDenied):
        sensitive_attributes_update(person=person, consent=False, data={}, by=cast[who])
    assert SensitiveAttributes.objects.get(user=person).race_ethnicity == "black"


def test_asking_a_mentor_or_a_network_needs_someone_signed_in(cast):
    """The person asking is `by`: no one signed in, no request and no referral, whatever the entry point."""
    with pytest.raises(PermissionDenied):
        directory.request_create(by=AnonymousUser(), mentor=cast["mentor_a"], kind="career", why="w", hopes="h")
    with pytest.raises(PermissionDenied):
        directory.referral_create(by=AnonymousUser(), network=cast["network"], kind="career", looking_for="x")
    assert not MentorshipRequest.objects.exists() and not ReferralRequest.objects.exists()
