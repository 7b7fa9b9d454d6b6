"""The API's privacy operations: what is kept about me, my optional attributes and consent (each person their
own only), a program's data policy (its coordinators): the same rules as their pages (profiles.py, yearly.py)."""

from tests.trust.matrix import Row


def _a_consented(c):
    from django.utils import timezone

    from mentora.profiles.models import SensitiveAttributes

    SensitiveAttributes.objects.update_or_create(user=c.mentee_a, defaults={
        "consented_at": timezone.now(), "gender": "non_binary"})
    return "/api/privacy/sensitive-attributes"


def _policy(c):
    return f"/api/privacy/programs/{c.program.slug}/policy"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/privacy", lambda c: "/api/privacy",
        expect="401   200   200   200   200   200   200   200   200"),
    Row("GET /api/privacy/sensitive-attributes", _a_consented, probe=lambda c: "non_binary",
        note="each reads only their own", expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("PUT /api/privacy/sensitive-attributes", lambda c: "/api/privacy/sensitive-attributes",
        data={"consent": True, "gender": "woman", "concordance_wanted": ["gender"]},
        expect="401   200   200   200   200   200   200   200   200"),
    Row("PUT /api/privacy/sensitive-attributes", lambda c: "/api/privacy/sensitive-attributes",
        data={"consent": True, "gender": "no-such-gender"}, note="not a choice",
        expect="401   422   422   422   422   422   422   422   422"),
    Row("GET /api/privacy/programs/{slug}/policy", _policy,
        expect="401   403   403   403   403   200   403   403   200"),
    Row("PUT /api/privacy/programs/{slug}/policy", _policy,
        data={"keep_records_on_leave": False, "keep_mentor_records_on_erasure": True},
        expect="401   403   403   403   403   200   403   403   200"),
]
