"""The API's site admin console (site admins only, like the console's pages in console.py), a network's dashboard
(its coordinators and site admins, figures only) and putting away one's first-steps checklist (everyone signed in)."""

from tests.factories import NetworkFactory, UserFactory
from tests.trust.matrix import Row

REASON = {"reason": "Asked by the program director in writing"}


def _with_mfa(c):
    from allauth.mfa.models import Authenticator

    person = UserFactory()
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": "matrix"})
    return f"/api/console/people/{person.pk}/mfa-reset"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/console/people", lambda c: f"/api/console/people?q={c.mentee_a.email}", probe=lambda c: c.mentee_a.email,
        expect="401   403   403   403   403   403   403   403   200+"),
    Row("GET /api/console/people/{user_id}", lambda c: f"/api/console/people/{c.mentee_a.pk}",
        "401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/people/{user_id}/deactivate", lambda c: f"/api/console/people/{c.mentee_b.pk}/deactivate",
        method="POST", data=REASON, expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/people/{user_id}/reactivate",
        lambda c: f"/api/console/people/{UserFactory(is_active=False).pk}/reactivate",
        method="POST", data=REASON, expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/people/{user_id}/mfa-reset", _with_mfa,
        method="POST", data=REASON, expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/people/{user_id}/site-admin/grant",
        lambda c: f"/api/console/people/{c.other_mentor.pk}/site-admin/grant",
        method="POST", data=REASON, expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/people/{user_id}/site-admin/revoke",
        lambda c: f"/api/console/people/{UserFactory(is_superuser=True, is_staff=True).pk}/site-admin/revoke",
        method="POST", data=REASON, expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/invitations", lambda c: "/api/console/invitations", method="POST",
        data=lambda c: {"email": "invited.by.api@example.org", "full_name": "Invited", "role": "mentee",
                        "program_id": c.program.pk, "training_level": "pgy1"},
        expect="401   403   403   403   403   403   403   403   201"),
    Row("GET /api/console/audit-log", lambda c: "/api/console/audit-log?action=person",
        "401   403   403   403   403   403   403   403   200"),
    Row("GET /api/console/records/{kind}", lambda c: f"/api/console/records/programs?q={c.program.name}",
        probe=lambda c: c.program.name, expect="401   403   403   403   403   403   403   403   200+"),
    Row("POST /api/console/records/{kind}", lambda c: "/api/console/records/networks", method="POST",
        data={"name": "Matrix network", "slug": "matrix-network"},
        expect="401   403   403   403   403   403   403   403   201"),
    Row("GET /api/console/records/{kind}/{record_id}", lambda c: f"/api/console/records/networks/{c.network.pk}",
        "401   403   403   403   403   403   403   403   200"),
    Row("PATCH /api/console/records/{kind}/{record_id}",
        lambda c: f"/api/console/records/institutions/{c.program.institution.pk}", method="PATCH",
        data={"name": "Renamed"}, expect="401   403   403   403   403   403   403   403   200"),
    Row("POST /api/console/backups", lambda c: "/api/console/backups", method="POST",
        expect="401   403   403   403   403   403   403   403   202"),
    Row("GET /api/console/backups", lambda c: "/api/console/backups",
        "401   403   403   403   403   403   403   403   200"),
    Row("GET /api/console/backups/{name}", lambda c: "/api/console/backups/none.backup", note="a file that is not listed",
        expect="401   403   403   403   403   403   403   403   404"),
    Row("GET /api/insights/networks", lambda c: "/api/insights/networks", probe=lambda c: c.network.name,
        expect="401   403   403   403   403   403   403   200+  200+"),
    Row("GET /api/insights/networks/{network_id}", lambda c: f"/api/insights/networks/{c.network.pk}",
        probe=lambda c: c.program.name, expect="401   403   403   403   403   403   403   200+  200+"),
    Row("GET /api/insights/networks/{network_id}", lambda c: f"/api/insights/networks/{NetworkFactory().pk}",
        note="a network one does not coordinate", expect="401   403   403   403   403   403   403   404   200"),
    Row("POST /api/onboarding/first-steps/dismiss", lambda c: "/api/onboarding/first-steps/dismiss", method="POST",
        data={"role": "mentee"}, note="one's own checklist",
        expect="401   200   200   200   200   200   200   200   200"),
]
