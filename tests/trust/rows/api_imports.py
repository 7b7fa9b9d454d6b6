"""The API's imports: the history, upload, preview, mapping and commit, for the coordinators of the program
and the admin. The same rules as the pages (dataio.py). The matrix sends JSON, so the upload row checks who
is refused; tests/api/test_imports_api.py uploads real files."""

from mentora.core.academic_year import current_academic_year
from mentora.dataio.services import import_batch_create
from tests.trust.matrix import Row
from tests.trust.rows.dataio import ROSTER


def _batch(suffix=""):
    def url(c):
        batch = import_batch_create(program=c.program, by=c.coordinator, kind="mentees",
                                    academic_year=current_academic_year(), filename="roster.csv", content=ROSTER)
        return f"/api/imports/{batch.pk}{suffix}"

    return url


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("GET /api/imports", lambda c: (_batch()(c), "/api/imports")[1], probe=lambda c: "roster.csv",
        note="only the imports into one's own programs",
        expect="401   403   403   403   403   200+  200-  403   200+"),
    Row("POST /api/imports", lambda c: "/api/imports", data={"kind": "mentees"}, note="no file",
        expect="401   403   403   403   403   422   422   403   422"),
    Row("GET /api/imports/{batch_id}", _batch(), probe=lambda c: "new.person@example.org",
        expect="401   403   403   403   403   200+  403   403   200+"),
    Row("PUT /api/imports/{batch_id}/mapping", _batch("/mapping"),
        data={"mapping": {"email": "Email", "full_name": "Name", "training_level": "PGY"}},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("PUT /api/imports/{batch_id}/value-mapping", _batch("/value-mapping"),
        data={"value_mapping": {"specialty": {"x": "pathology"}}},
        expect="401   403   403   403   403   200   403   403   200"),
    Row("POST /api/imports/{batch_id}/commit", _batch("/commit"), data={"skip_errors": False},
        expect="401   403   403   403   403   202   403   403   202"),
]
