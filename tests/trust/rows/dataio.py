"""Import (coordinators of the program and admins), exports (own data: everyone; a program's: its
coordinators and admins), over pages and the API."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentora.core.academic_year import current_academic_year
from mentora.dataio.services import import_batch_create
from tests.trust.matrix import Row

ROSTER = b"Email,Name,PGY\r\nnew.person@example.org,New Person,PGY-1\r\n"


def _upload(c):
    return {"program": c.program.pk, "kind": "mentees", "academic_year": current_academic_year(),
            "file": SimpleUploadedFile("roster.csv", ROSTER)}


def _batch_url(c):
    batch = import_batch_create(program=c.program, by=c.coordinator, kind="mentees",
                                academic_year=current_academic_year(), filename="roster.csv", content=ROSTER)
    return reverse("dataio:import_preview", args=[batch.pk])


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("dataio:import_start", lambda c: reverse("dataio:import_start"),
        "login 403   403   403   403   200   200   403   200"),
    Row("dataio:import_start", lambda c: reverse("dataio:import_start"), method="POST", data=_upload,
        note="a file for A's program: coordinators of other programs cannot choose it",
        expect="login 403   403   403   403   302   422   403   302"),
    Row("dataio:import_preview", _batch_url, probe=lambda c: "new.person@example.org",
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("dataio:import_preview", _batch_url, method="POST", data={"action": "commit"},
        expect="login 403   403   403   403   302   403   403   302"),
    Row("dataio:import_preview", _batch_url, method="POST", data={"action": "values", "value-specialty-x": "pathology"},
        note="map unknown values", expect="login 403   403   403   403   302   403   403   302"),
    Row("dataio:import_preview", _batch_url, method="POST", data={"action": "commit", "skip_errors": "yes"},
        note="commit skipping bad rows", expect="login 403   403   403   403   302   403   403   302"),
    Row("dataio:import_history", lambda c: (_batch_url(c), reverse("dataio:import_history"))[1],
        probe=lambda c: "roster.csv", note="only the imports into one's own programs",
        expect="login 403   403   403   403   200+  200-  403   200+"),
    Row("dataio:import_history", lambda c: (_batch_url(c), reverse("dataio:import_history") + "?export=csv")[1],
        probe=lambda c: "roster.csv", note="CSV export",
        expect="login 403   403   403   403   200+  200-  403   200+"),
    Row("dataio:export_page", lambda c: reverse("dataio:export_page"), probe=lambda c: c.program.name,
        note="program downloads listed for its coordinators only",
        expect="login 200-  200-  200-  200-  200+  200-  200-  200+"),
    Row("dataio:export_me", lambda c: reverse("dataio:export_me"), probe=lambda c: c.mentee_a.email,
        note="each downloads only their own data",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("dataio:export_program_json", lambda c: reverse("dataio:export_program_json", args=[c.program.pk]),
        "login 403   403   403   403   200   403   403   200"),
    Row("dataio:export_program_csv", lambda c: reverse("dataio:export_program_csv", args=[c.program.pk]),
        probe=lambda c: c.mentee_a.email,
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("GET /api/export/me", lambda c: "/api/export/me", probe=lambda c: c.mentee_a.email,
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("GET /api/export/programs/{program_id}", lambda c: f"/api/export/programs/{c.program.pk}",
        probe=lambda c: c.mentee_a.email,
        expect="401   403   403   403   403   200+  403   403   200+"),
]
