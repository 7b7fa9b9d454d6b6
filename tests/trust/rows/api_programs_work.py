"""The API's operations for a program's people (list, invited, add by hand), its account invitations
(list, resend), and the background-work queue (site admins): the same rules as their pages (programs.py,
background.py)."""

from tests.trust.matrix import Row
from tests.trust.rows.background import _failed_task, _invitation
from tests.trust.rows.programs import _add
from tests.trust.rows.programs import _invitation as _asked_to_join


def _people(suffix=""):
    return lambda c: f"/api/programs/{c.program.pk}/people{suffix}"


def _account_invitations(suffix=""):
    return lambda c: f"/api/programs/{c.program.pk}/account-invitations{suffix}"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/programs/{program_id}/people", _people(), probe=lambda c: c.mentee_a.email,
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("GET /api/programs/{program_id}/people/invited",
        lambda c: (_asked_to_join(c), f"/api/programs/{c.other_program.pk}/people/invited")[1],
        probe=lambda c: c.mentee_a.email, note="the other program sees its pending invitation of A",
        expect="401   403   403   403   403   403   200+  403   200+"),
    Row("POST /api/programs/{program_id}/people", _people(), data=_add("someone.new@example.org"),
        note="someone new", expect="401   403   403   403   403   201   403   403   201"),
    Row("POST /api/programs/{program_id}/people", _people(), data=lambda c: _add(c.other_mentor.email)(c),
        note="an existing account: asked, not attached",
        expect="401   403   403   403   403   201   403   403   201"),
    Row("GET /api/programs/{program_id}/account-invitations",
        lambda c: (_invitation(c), _account_invitations()(c))[1], probe=lambda c: "invited.person@example.org",
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("POST /api/programs/{program_id}/account-invitations/resend", _account_invitations("/resend"),
        data=lambda c: {"invitation_ids": [_invitation(c).pk]},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/programs/{program_id}/account-invitations/{invitation_id}/resend",
        lambda c: _account_invitations(f"/{_invitation(c).pk}/resend")(c),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("GET /api/background/counts", lambda c: "/api/background/counts",
        expect="401   403   403   403   403   403   403   403   200"),
    Row("GET /api/background/tasks", lambda c: (_failed_task(c), "/api/background/tasks?status=failed")[1],
        probe=lambda c: "SMTPServerDisconnected",
        expect="401   403   403   403   403   403   403   403   200+"),
    Row("POST /api/background/tasks/{task_id}/retry", lambda c: f"/api/background/tasks/{_failed_task(c)}/retry",
        expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/background/tasks/retry-failed", lambda c: (_failed_task(c), "/api/background/tasks/retry-failed")[1],
        expect="401   403   403   403   403   403   403   403   200"),
]
