"""Writes about memberships: a program's invitation of an existing account, and the person's answer.

A program never attaches someone who already has an account (an import or a coordinator adding
them by hand): it asks, and the Membership exists only once they accept. Until then the program
sees of them only what any member sees in the directory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentora.core.errors import StateConflict

from . import permissions
from .models import Membership, MembershipInvitation, Program
from .signals import membership_invitation_accepted, membership_invited

User = get_user_model()


@dataclass(frozen=True)
class Ask:
    """One person a program asks to join, in one role for one academic year."""

    user_id: int
    role: str
    training_level: str = ""
    external_id: str = ""


def invitation_notice(invitation: MembershipInvitation) -> dict[str, str]:
    """The notice (and email) that tells a person a program asks them to join: once per asking."""
    program = invitation.program
    role = "a mentee" if invitation.role == Membership.Role.MENTEE else f"a {invitation.get_role_display().lower()}"
    return dict(
        kind="invitation",
        key=f"membership-invitation:{invitation.pk}:{invitation.invited_at:%Y%m%d%H%M%S%f}",
        title=f"{program.name} asks you to join it on Mentora",
        body=(
            f"{program.name} ({program.institution.name}) asks you to join the program as {role} for "
            f"{invitation.academic_year_label}.\n\n"
            "Nothing changes until you answer. If you accept, the program's coordinators see your profile, "
            "your learning plan in the program, and, each time with a reason you can read, your confidential "
            "records; your mentors in the program are matched with you. If you decline, the program sees only "
            "what everyone sees in the directory.\n\n"
            "You can leave a program at any time from Privacy."
        ),
        url=reverse("programs:membership_invitations"),
    )


@transaction.atomic
def membership_invitations_create(
    *, program: Program, academic_year: int, asks: Iterable[Ask], by=None, source: str = MembershipInvitation.Source.IMPORT,
    import_batch=None,
) -> list[MembershipInvitation]:
    """Ask each person to join (again); one notice each. An open invitation is left as it is."""
    asks = list(asks)
    found = {(i.user_id, i.role): i for i in MembershipInvitation.objects.select_for_update().filter(
        program=program, academic_year=academic_year, user_id__in=[a.user_id for a in asks])}
    now = timezone.now()
    new, again = [], []
    for ask in asks:
        invitation = found.get((ask.user_id, ask.role))
        if invitation is None:
            new.append(MembershipInvitation(
                user_id=ask.user_id, program=program, academic_year=academic_year, role=ask.role,
                training_level=ask.training_level, external_id=ask.external_id, invited_by=by, source=source,
                import_batch=import_batch, invited_at=now))
        elif invitation.status != MembershipInvitation.Status.PENDING:
            invitation.status = MembershipInvitation.Status.PENDING
            invitation.training_level = ask.training_level
            invitation.external_id = ask.external_id
            invitation.invited_by, invitation.source, invitation.import_batch = by, source, import_batch
            invitation.invited_at, invitation.answered_at = now, None
            again.append(invitation)
    MembershipInvitation.objects.bulk_create(new, batch_size=2000)
    MembershipInvitation.objects.bulk_update(
        again, ["status", "training_level", "external_id", "invited_by", "source", "import_batch", "invited_at",
                "answered_at"], batch_size=2000)
    invitations = list(MembershipInvitation.objects.filter(
        program=program, academic_year=academic_year, invited_at=now,
        user_id__in=[a.user_id for a in asks]).select_related("user", "program__institution"))
    for invitation in invitations:  # the notifications app tells each person (invitation_notice)
        membership_invited.send(sender=MembershipInvitation, invitation=invitation)
    return invitations


def _locked(invitation: MembershipInvitation, by) -> MembershipInvitation:
    invitation = MembershipInvitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    if not permissions.can_answer_invitation(by, invitation):
        raise PermissionDenied
    return invitation


@transaction.atomic
def membership_invitation_accept(*, invitation: MembershipInvitation, by) -> Membership:
    """The person joins: their membership of that year is created (or made active again)."""
    invitation = _locked(invitation, by)
    if invitation.status == MembershipInvitation.Status.ACCEPTED:
        raise StateConflict("You have accepted this invitation already.")
    membership, created = Membership.objects.get_or_create(
        user_id=invitation.user_id, program=invitation.program, academic_year=invitation.academic_year,
        role=invitation.role, defaults={"training_level": invitation.training_level},
    )
    if not created:
        membership.is_active = True
        membership.training_level = invitation.training_level or membership.training_level
        membership.save(update_fields=["is_active", "training_level"])
    membership_invitation_accepted.send(sender=MembershipInvitation, invitation=invitation)
    invitation.status = MembershipInvitation.Status.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return membership


@transaction.atomic
def membership_invitation_decline(*, invitation: MembershipInvitation, by) -> MembershipInvitation:
    """The person says no: nothing is attached, and an import does not ask them again that year."""
    invitation = _locked(invitation, by)
    if invitation.status != MembershipInvitation.Status.PENDING:
        raise StateConflict("This invitation is answered already.")
    invitation.status = MembershipInvitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation
