"""The site admin console: every page and action for site admins only."""

from django.urls import reverse

from tests.factories import NetworkFactory
from tests.trust.matrix import Row

REASON = {"action": "deactivate", "reason": "Left the institution in November"}

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("console:home", lambda c: reverse("console:home"),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:people", lambda c: reverse("console:people") + f"?q={c.mentee_a.email}",
        "login 403   403   403   403   403   403   403   200+", probe=lambda c: c.mentee_a.email),
    Row("console:person_detail", lambda c: reverse("console:person_detail", args=[c.mentee_a.pk]),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:person_detail", lambda c: reverse("console:person_detail", args=[c.mentee_b.pk]), method="POST",
        data=REASON, note="deactivate",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("console:person_invite", lambda c: reverse("console:person_invite"),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:person_invite", lambda c: reverse("console:person_invite"), method="POST",
        data=lambda c: {"email": "invited.by.console@example.org", "full_name": "Invited", "role": "mentee",
                        "program": c.program.pk, "training_level": "pgy1"},
        expect="login 403   403   403   403   403   403   403   302"),
    Row("console:audit_log", lambda c: reverse("console:audit_log"),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:records", lambda c: reverse("console:records", args=["programs"]) + f"?q={c.program.name}",
        "login 403   403   403   403   403   403   403   200+", probe=lambda c: c.program.name),
    Row("console:record_new", lambda c: reverse("console:record_new", args=["networks"]),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:record_new", lambda c: reverse("console:record_new", args=["networks"]), method="POST",
        data={"name": "Matrix network", "slug": "matrix-network", "description": "", "website": ""},
        expect="login 403   403   403   403   403   403   403   302"),
    Row("console:record_edit", lambda c: reverse("console:record_edit", args=["networks", NetworkFactory().pk]),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:record_edit", lambda c: reverse("console:record_edit", args=["institutions",
                                                                               c.program.institution.pk]),
        method="POST", data=lambda c: {"name": "Renamed", "slug": c.program.institution.slug, "country": "US"},
        expect="login 403   403   403   403   403   403   403   302"),
]

ROWS += [
    Row("console:backups", lambda c: reverse("console:backups"),
        "login 403   403   403   403   403   403   403   200"),
    Row("console:backups", lambda c: reverse("console:backups"), method="POST", note="start a backup",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("console:backup_download", lambda c: reverse("console:backup_download", args=["none.backup"]),
        note="a file that is not listed", expect="login 403   403   403   403   403   403   403   404"),
]
