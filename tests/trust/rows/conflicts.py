"""Conflicts of interest: evaluating roles (declared by mentors and coordinators) and program policy."""

from django.urls import reverse

from mentora.conflicts.models import EvaluatingRole
from tests.trust.matrix import Row

NOTE = "Probe role note of mentor A"


def _a_mentor_role(c) -> int:
    return EvaluatingRole.objects.create(mentor=c.mentor_a, role="ccc_member", program=c.program, note=NOTE).pk


def _roles_url(c) -> str:
    _a_mentor_role(c)
    return "/api/conflicts/roles"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("conflicts:conflicts_roles", lambda c: (_a_mentor_role(c), reverse("conflicts:conflicts_roles"))[1], probe=lambda c: NOTE,
        note="mentors, coordinators and the admin declare; each sees their own",
        expect="login 403   403   200+  200-  200-  200-  403   200-"),
    Row("conflicts:conflicts_roles", lambda c: reverse("conflicts:conflicts_roles"), method="POST", data={}, note="invalid form",
        expect="login 403   403   200   200   200   200   403   200"),
    Row("conflicts:conflicts_role_remove", lambda c: reverse("conflicts:conflicts_role_remove", args=[_a_mentor_role(c)]),
        method="POST", note="only one's own role",
        expect="login 403   403   302   403   403   403   403   403"),
    Row("conflicts:conflicts_policy", lambda c: reverse("conflicts:conflicts_policy", args=[c.program.slug]),
        "login 403   403   403   403   200   403   403   200"),
    Row("conflicts:conflicts_policy", lambda c: reverse("conflicts:conflicts_policy", args=[c.program.slug]), method="POST",
        data={"forbid_evaluator_pairs": "on"},
        expect="login 403   403   403   403   302   403   403   302"),
    Row("GET /api/conflicts/roles", _roles_url, probe=lambda c: NOTE,
        expect="401   200-  200-  200+  200-  200-  200-  200-  200-"),
    Row("POST /api/conflicts/roles", lambda c: "/api/conflicts/roles",
        data=lambda c: {"role": "rotation_evaluator", "mentee_id": c.mentee_b.pk, "note": "block 4"},
        expect="401   403   403   201   201   201   201   403   201"),
    Row("DELETE /api/conflicts/roles/{role_id}", lambda c: f"/api/conflicts/roles/{_a_mentor_role(c)}",
        expect="401   404   404   204   404   404   404   404   404"),
    Row("GET /api/conflicts/check", lambda c: f"/api/conflicts/check?mentor_id={c.mentor_a.pk}&mentee_id={c.mentee_a.pk}",
        expect="401   200   403   200   403   200   403   403   200"),
    Row("PUT /api/conflicts/programs/{slug}/policy", lambda c: f"/api/conflicts/programs/{c.program.slug}/policy",
        data={"forbid_evaluator_pairs": True},
        expect="401   403   403   403   403   200   403   403   200"),
]
