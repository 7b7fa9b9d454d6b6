"""The API's operations for a program's email wording and a person's confidential records and notes: the same
rules as their pages (notifications.py, audit.py)."""

from tests.trust.matrix import Row
from tests.trust.rows.audit import NOTE, _a_records, _a_shared_with_other_program


def _emails(suffix=""):
    return lambda c: f"/api/notifications/programs/{c.program.pk}/emails{suffix}"


EMAIL = {"subject": "Hi {{ person_name }}", "body": "Please {{ what }}."}

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/notifications/programs/{program_id}/emails", _emails(),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("GET /api/notifications/programs/{program_id}/emails/{kind}", _emails("/nudge"),
        expect="401   403   403   403   403   200   403   403   200"),
    Row("PUT /api/notifications/programs/{program_id}/emails/{kind}", _emails("/nudge"), data=EMAIL,
        expect="401   403   403   403   403   200   403   403   200"),
    Row("PUT /api/notifications/programs/{program_id}/emails/{kind}", _emails("/nudge"), note="unknown placeholder",
        data={"subject": "Hi {{ password }}", "body": "x"},
        expect="401   403   403   403   403   422   403   403   422"),
    Row("DELETE /api/notifications/programs/{program_id}/emails/{kind}", _emails("/nudge"),
        expect="401   403   403   403   403   204   403   403   204"),
    Row("POST /api/notifications/programs/{program_id}/emails/{kind}/preview", _emails("/nudge/preview"), data=EMAIL,
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/privacy/people/{user_id}/confidential-records",
        lambda c: f"/api/privacy/people/{_a_records(c)}/confidential-records",
        data={"reason": "Preparing the remediation meeting"}, probe=lambda c: NOTE,
        expect="401   200+  403   403   403   200+  403   403   200+"),
    Row("POST /api/privacy/people/{user_id}/confidential-records",
        lambda c: f"/api/privacy/people/{_a_shared_with_other_program(c)}/confidential-records",
        data={"reason": "Preparing the remediation meeting"}, probe=lambda c: NOTE,
        note="a member of both programs: a note stays with the program it was written in",
        expect="401   200+  403   403   403   200+  200-  403   200+"),
    Row("POST /api/privacy/people/{user_id}/confidential-records",
        lambda c: f"/api/privacy/people/{_a_records(c)}/confidential-records", data={"reason": "  "},
        note="with a blank reason", expect="401   200   403   403   403   422   403   403   422"),
    Row("POST /api/privacy/people/{user_id}/confidential-records",
        lambda c: f"/api/privacy/people/{c.mentor_a.pk}/confidential-records", data={"reason": "Looking at it now"},
        note="a mentor's records: only the mentor", expect="401   403   403   200   403   403   403   403   200"),
    Row("POST /api/privacy/people/{user_id}/confidential-notes",
        lambda c: f"/api/privacy/people/{c.mentee_a.pk}/confidential-notes",
        data={"kind": "remediation", "text": "Meets weekly with the APD."},
        expect="401   403   403   403   403   201   403   403   201"),
]
