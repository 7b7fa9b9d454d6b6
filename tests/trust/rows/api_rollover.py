"""The API's rollover operations: a program's preview, steps, renewals, exceptions and confirmation (its
coordinators and the admin); a renewal's answer (its mentee and mentor). The same rules as the pages
(yearly.py)."""

from tests.trust.matrix import Row
from tests.trust.rows.yearly import _membership_of_a, _renewal_of_a


def _program(suffix=""):
    return lambda c: f"/api/rollover/programs/{c.program.slug}{suffix}"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/rollover/programs/{slug}", _program(),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("GET /api/rollover/programs/{slug}/steps", _program("/steps"), probe=lambda c: c.mentee_a.full_name,
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("GET /api/rollover/programs/{slug}/renewals", lambda c: (_renewal_of_a(c), _program("/renewals")(c))[1],
        probe=lambda c: '"mentee_answer": "pending"',
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("POST /api/rollover/programs/{slug}/overrides", _program("/overrides"),
        data=lambda c: {"membership_ids": [_membership_of_a(c)], "action": "repeat"},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/rollover/programs/{slug}/commit", _program("/commit"), data={"confirm": False},
        note="not confirmed: nothing changes", expect="401   403   403   403   403   422   403   403   422"),
    Row("POST /api/rollover/programs/{slug}/commit", _program("/commit"), data={"confirm": True},
        note="confirmed: the job is queued", expect="401   403   403   403   403   202   403   403   202"),
    Row("GET /api/rollover/renewals/{renewal_id}", lambda c: f"/api/rollover/renewals/{_renewal_of_a(c)}",
        expect="401   200   403   200   403   403   403   403   403"),
    Row("POST /api/rollover/renewals/{renewal_id}/answer", lambda c: f"/api/rollover/renewals/{_renewal_of_a(c)}/answer",
        data={"answer": "continue"}, expect="401   200   403   200   403   403   403   403   403"),
    Row("POST /api/rollover/renewals/{renewal_id}/answer", lambda c: f"/api/rollover/renewals/{_renewal_of_a(c)}/answer",
        data={"answer": "maybe"}, note="invalid answer",
        expect="401   422   403   422   403   403   403   403   403"),
]
