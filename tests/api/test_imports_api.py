"""Imports over the API: upload (multipart), preview as a dry run, mapping, commit as a job, the history; the
page's rules (one's own programs, the file checked by content), problem details for refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mentora.core.academic_year import current_academic_year
from mentora.dataio.models import ImportBatch
from mentora.programs.models import Membership

ROSTER = b"Email,Name,PGY\r\nnew.person@example.org,New Person,PGY-1\r\nbroken,No Mail,PGY-2\r\n"


def _upload(client, program, content=ROSTER, name="roster.csv"):
    return client.post("/api/imports", data={"program_id": program.pk, "kind": "mentees",
                                             "academic_year": current_academic_year(),
                                             "file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db(transaction=True)
def test_upload_preview_map_and_commit(cast, client, settings):
    client.force_login(cast["coordinator"])
    uploaded = _upload(client, cast["program"])
    assert uploaded.status_code == 201, uploaded.content
    preview = uploaded.json()
    assert preview["header"] == ["Email", "Name", "PGY"] and preview["mapping"]["email"] == "Email"
    assert preview["ok"] is False and preview["skippable"] is True
    assert preview["errors"][0]["row"] == 3
    batch_id = preview["id"]
    assert not Membership.objects.filter(user__email="new.person@example.org").exists()  # a dry run

    bad = client.put(f"/api/imports/{batch_id}/mapping", data={"mapping": {"email": "No such column"}},
                     content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    mapped = client.put(f"/api/imports/{batch_id}/mapping", data={"mapping": {
        "email": "Email", "full_name": "Name", "training_level": "PGY"}}, content_type="application/json")
    assert mapped.status_code == 200 and mapped.json()["mapping"]["full_name"] == "Name"

    refused = client.post(f"/api/imports/{batch_id}/commit", data={}, content_type="application/json")
    assert refused.status_code == 422  # problems, and the coordinator did not choose to skip them
    queued = client.post(f"/api/imports/{batch_id}/commit", data={"skip_errors": True}, content_type="application/json")
    assert queued.status_code == 202 and queued.json()["kind"] == "import"
    assert ImportBatch.objects.get(pk=batch_id).skip_errors is True

    history = client.get("/api/imports").json()
    assert [b["id"] for b in history["items"]] == [batch_id]
    client.force_login(cast["other_coordinator"])
    assert client.get("/api/imports").json()["count"] == 0
    assert client.get(f"/api/imports/{batch_id}").status_code == 403


@pytest.mark.django_db
def test_uploads_are_checked_like_the_pages(cast, client):
    client.force_login(cast["other_coordinator"])
    not_mine = _upload(client, cast["program"])
    assert not_mine.status_code == 422 and not_mine.json()["errors"][0]["location"] == "body.program_id"
    client.force_login(cast["coordinator"])
    fake = _upload(client, cast["program"], content=b"\x89PNG\r\n\x1a\n" + b"0" * 100, name="roster.csv")
    assert fake.status_code == 422
    assert client.post("/api/imports", data={}).status_code == 422
    client.force_login(cast["mentee_a"])
    assert _upload(client, cast["program"]).status_code == 403
    assert not ImportBatch.objects.exists()
