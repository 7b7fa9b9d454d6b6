"""Program membership and consent: a person's invitations (only they answer them), a program's people
page and adding someone by hand (its coordinators and admins)."""

from django.urls import reverse

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import MembershipInvitation
from tests.trust.matrix import Row


def _invitation(c) -> MembershipInvitation:
    """The other program asks mentee A to join it."""
    return MembershipInvitation.objects.create(user=c.mentee_a, program=c.other_program,
                                               academic_year=current_academic_year(), role="mentee",
                                               invited_by=c.other_coordinator)


def _add(email: str):
    return lambda c: {"email": email, "full_name": "Added By Hand", "role": "mentee", "training_level": "pgy1",
                      "academic_year": current_academic_year()}


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("programs:membership_invitations", lambda c: (_invitation(c), reverse("programs:membership_invitations"))[1],
        probe=lambda c: c.other_program.name, note="each sees only the invitations they were sent",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("programs:membership_invitation_accept", lambda c: reverse("programs:membership_invitation_accept", args=[_invitation(c).pk]),
        method="POST", note="only the person asked answers; nobody answers for them, not even an admin",
        expect="login 302   403   403   403   403   403   403   403"),
    Row("programs:membership_invitation_accept", lambda c: reverse("programs:membership_invitation_accept", args=[_invitation(c).pk]),
        note="POST only",
        expect="login 405   405   405   405   405   405   405   405"),
    Row("programs:membership_invitation_decline", lambda c: reverse("programs:membership_invitation_decline", args=[_invitation(c).pk]),
        method="POST",
        expect="login 302   403   403   403   403   403   403   403"),
    Row("programs:membership_invitation_decline", lambda c: reverse("programs:membership_invitation_decline", args=[_invitation(c).pk]),
        note="POST only",
        expect="login 405   405   405   405   405   405   405   405"),
    Row("programs:program_people", lambda c: reverse("programs:program_people", args=[c.program.pk]),
        probe=lambda c: c.mentee_a.display_name,
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("programs:program_people", lambda c: (_invitation(c), reverse("programs:program_people", args=[c.other_program.pk]))[1],
        probe=lambda c: c.mentee_a.email, note="the other program sees its pending invitation of A, not A's name",
        expect="login 403   403   403   403   403   200+  403   200+"),
    Row("dataio:program_person_add", lambda c: reverse("dataio:program_person_add", args=[c.program.pk]),
        "login 403   403   403   403   200   403   403   200"),
    Row("dataio:program_person_add", lambda c: reverse("dataio:program_person_add", args=[c.program.pk]), method="POST",
        data=_add("someone.new@example.org"), note="someone new",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("dataio:program_person_add", lambda c: reverse("dataio:program_person_add", args=[c.program.pk]), method="POST",
        data=lambda c: _add(c.other_mentor.email)(c), note="an existing account: asked, not attached",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("GET /api/programs/invitations", lambda c: (_invitation(c), "/api/programs/invitations")[1],
        probe=lambda c: c.other_program.name,
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("POST /api/programs/invitations/{invitation_id}/accept",
        lambda c: f"/api/programs/invitations/{_invitation(c).pk}/accept", method="POST", data={},
        expect="401   200   404   404   404   404   404   404   404"),
    Row("POST /api/programs/invitations/{invitation_id}/decline",
        lambda c: f"/api/programs/invitations/{_invitation(c).pk}/decline", method="POST", data={},
        expect="401   200   404   404   404   404   404   404   404"),
]
