"""Confidential records (reason required, logged) and 'Who looked at my records'."""

from django.urls import reverse

from mentora.audit.models import AccessLog, ConfidentialNote
from tests.trust.matrix import Row

NOTE = "Probe wellbeing note about A"
REASON = "Probe reason for opening A"


def _a_records(c) -> int:
    ConfidentialNote.objects.create(subject=c.mentee_a, author=c.coordinator, program=c.program, kind="wellbeing",
                                    text=NOTE)
    return c.mentee_a.pk


def _a_shared_with_other_program(c) -> int:
    """A also trains in the other program, which may open A's records, but never reads A's program's note."""
    from tests.factories import MembershipFactory

    MembershipFactory(user=c.mentee_a, program=c.other_program, role="mentee")
    return _a_records(c)


def _a_opened(c):
    AccessLog.objects.create(actor=c.coordinator, actor_name="Coordinator", subject=c.mentee_a,
                             records=["notes"], reason=REASON)


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("audit:access_log_mine", lambda c: (_a_opened(c), reverse("audit:access_log_mine"))[1], probe=lambda c: REASON,
        note="only A sees who opened A's records",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("GET /api/privacy/access-log", lambda c: (_a_opened(c), "/api/privacy/access-log")[1],
        probe=lambda c: REASON,
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("audit:confidential_records", lambda c: reverse("audit:confidential_records", args=[_a_records(c)]),
        probe=lambda c: NOTE, note="without a reason: only A reads; coordinator and admin get the reason form",
        expect="login 200+  403   403   403   200-  403   403   200-"),
    Row("audit:confidential_records", lambda c: reverse("audit:confidential_records", args=[_a_records(c)]), method="POST",
        data={"reason": "Preparing the remediation meeting"}, probe=lambda c: NOTE, note="with a reason",
        expect="login 200+  403   403   403   200+  403   403   200+"),
    Row("audit:confidential_records", lambda c: reverse("audit:confidential_records", args=[_a_shared_with_other_program(c)]),
        method="POST", data={"reason": "Preparing the remediation meeting"}, probe=lambda c: NOTE,
        note="a member of both programs: a note stays with the program it was written in",
        expect="login 200+  403   403   403   200+  200-  403   200+"),
    Row("audit:confidential_records", lambda c: reverse("audit:confidential_records", args=[_a_records(c)]), method="POST",
        data={"reason": "   "}, probe=lambda c: NOTE, note="with a blank reason",
        expect="login 200+  403   403   403   422-  403   403   422-"),
    Row("audit:confidential_records", lambda c: reverse("audit:confidential_records", args=[c.mentor_a.pk]),
        note="a mentor's records: only the mentor (no program coordinates a mentor's confidential records)",
        expect="login 403   403   200   403   403   403   403   200"),
    Row("audit:confidential_note_create", lambda c: reverse("audit:confidential_note_create", args=[c.mentee_a.pk]),
        method="POST", data={"kind": "remediation", "text": "Meets weekly with the APD."},
        expect="login 403   403   403   403   302   403   403   302"),
    Row("audit:confidential_note_create", lambda c: reverse("audit:confidential_note_create", args=[c.mentee_a.pk]),
        note="POST only",
        expect="login 405   405   405   405   405   405   405   405"),
]
