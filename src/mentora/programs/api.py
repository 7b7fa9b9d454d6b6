"""Program invitations over the API: the caller's own, and their answer (only they may give it)."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import permissions
from .models import MembershipInvitation
from .selectors import invitations_to_answer
from .services import membership_invitation_accept, membership_invitation_decline

router = Router(tags=["programs"])


class InvitationOut(Schema):
    id: int
    program_id: int
    program: str
    institution: str
    academic_year: int
    role: str
    training_level: str
    status: str
    invited_at: datetime.datetime
    answered_at: datetime.datetime | None


def _out(invitation: MembershipInvitation) -> dict:
    return {
        "id": invitation.pk, "program_id": invitation.program_id, "program": invitation.program.name,
        "institution": invitation.program.institution.name, "academic_year": invitation.academic_year,
        "role": invitation.role, "training_level": invitation.training_level, "status": invitation.status,
        "invited_at": invitation.invited_at, "answered_at": invitation.answered_at,
    }


@router.get("/invitations", response=list[InvitationOut], summary="Programs asking me to join (pending or declined)")
def my_invitations(request):
    return [_out(i) for i in invitations_to_answer(user=request.auth)]


def _answer(request, invitation_id: int, answer) -> dict:
    invitation = get_object_or_404(MembershipInvitation.objects.select_related("program__institution"),
                                   pk=invitation_id)
    if not permissions.can_answer_invitation(request.auth, invitation):
        # Someone else's invitation is nobody else's business: answered like one that does not exist.
        raise Http404("No such invitation.")
    answer(invitation=invitation, by=request.auth)
    invitation.refresh_from_db()
    return _out(invitation)


@router.post("/invitations/{invitation_id}/accept", response=InvitationOut,
             summary="Accept a program's invitation: I become a member")
def accept(request, invitation_id: int):
    return _answer(request, invitation_id, membership_invitation_accept)


@router.post("/invitations/{invitation_id}/decline", response=InvitationOut,
             summary="Decline a program's invitation: nothing is shared with it")
def decline(request, invitation_id: int):
    return _answer(request, invitation_id, membership_invitation_decline)
