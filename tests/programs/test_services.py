"""Program invitations: asked once, answered only by the person, asked again after they left."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentora.core.academic_year import current_academic_year
from mentora.notifications.models import Notification
from mentora.programs.models import Membership, MembershipInvitation
from mentora.programs.selectors import invitations_to_answer, program_roster
from mentora.programs.services import (
    Ask,
    membership_invitation_accept,
    membership_invitation_decline,
    membership_invitations_create,
)
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR = current_academic_year()


def ask(program, person, by=None, role="mentee"):
    return membership_invitations_create(program=program, academic_year=YEAR, by=by,
                                         asks=[Ask(user_id=person.pk, role=role, training_level="pgy2")])


def test_asked_once_answered_once_by_the_person_only():
    program, person, stranger = ProgramFactory(), UserFactory(), UserFactory()
    [invitation] = ask(program, person)
    assert ask(program, person) == []  # already open: not asked (nor told) twice
    assert Notification.objects.filter(user=person, kind="invitation").count() == 1
    assert list(invitations_to_answer(user=person)) == [invitation]
    for someone in (stranger, UserFactory(is_superuser=True)):
        with pytest.raises(PermissionDenied):
            membership_invitation_accept(invitation=invitation, by=someone)
    assert not Membership.objects.exists()
    membership_invitation_accept(invitation=invitation, by=person)
    with pytest.raises(ValidationError):
        membership_invitation_accept(invitation=invitation, by=person)
    with pytest.raises(ValidationError):
        membership_invitation_decline(invitation=invitation, by=person)
    assert Membership.objects.get(user=person, program=program).training_level == "pgy2"
    assert list(invitations_to_answer(user=person)) == []


def test_declined_stays_listed_and_may_still_be_accepted():
    program, person = ProgramFactory(), UserFactory()
    [invitation] = ask(program, person)
    membership_invitation_decline(invitation=invitation, by=person)
    roster = program_roster(program=program, academic_year=YEAR)
    assert [i.status for i in roster.invitations] == ["declined"] and not roster.members.exists()
    assert list(invitations_to_answer(user=person)) == [invitation]
    membership_invitation_accept(invitation=invitation, by=person)
    assert program_roster(program=program, academic_year=YEAR).members.get().user == person


def test_after_leaving_the_person_is_asked_again_and_their_membership_comes_back_on_acceptance():
    from mentora.privacy.services import program_leave

    program, person = ProgramFactory(), UserFactory()
    [invitation] = ask(program, person)
    membership_invitation_accept(invitation=invitation, by=person)
    program_leave(program=program, by=person)
    roster = program_roster(program=program, academic_year=YEAR)
    assert [m.user for m in roster.left] == [person] and not roster.members.exists()
    [again] = ask(program, person)
    assert again.pk == invitation.pk and again.status == MembershipInvitation.Status.PENDING
    assert Notification.objects.filter(user=person, kind="invitation").count() == 2  # told again
    membership_invitation_accept(invitation=again, by=person)
    assert Membership.objects.get(user=person, program=program).is_active
