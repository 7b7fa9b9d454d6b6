import csv
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from mentora.api.tokens import token_create
from mentora.core.export_registry import EXEMPT, covered_models, export_person, person_related_models
from mentora.meetings.models import Meeting, PrivateNote, SharedNote
from mentora.relationships.models import Relationship
from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory


def test_every_model_about_a_person_is_exported_or_exempt_with_a_reason():
    """A new model pointing at a person or a relationship needs a section in its app's export_sections.py."""
    missing = [label for label in person_related_models() if label not in covered_models() and label not in EXEMPT]
    assert missing == [], (
        f"Add these to a @person_section (or EXEMPT with the reason) in <app>/export_sections.py: {missing}")


@pytest.fixture
def meeting_with_notes(cast):
    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    meeting = Meeting.objects.create(relationship=relationship, starts_at=timezone.now(), created_by=cast["mentor_a"])
    SharedNote.objects.create(meeting=meeting, author=cast["mentor_a"], body="Shared: draft the personal statement")
    PrivateNote.objects.create(meeting=meeting, author=cast["mentor_a"], body="MENTOR-PRIVATE worried about visa")
    PrivateNote.objects.create(meeting=meeting, author=cast["mentee_a"], body="MENTEE-PRIVATE ask about research")
    return meeting


def test_a_persons_copy_has_their_data_but_never_other_peoples_private_notes(cast, meeting_with_notes):
    mentee = cast["mentee_a"]
    ImgDetailsFactory(user=mentee, medical_school="Universidad Nacional Autónoma de México")
    SensitiveAttributesFactory(user=mentee, gender="woman")
    document = export_person(mentee)
    text = json.dumps(document, default=str, ensure_ascii=False)
    assert document["account"]["email"] == mentee.email
    assert document["img_details"]["medical_school"] == "Universidad Nacional Autónoma de México"
    assert document["sensitive_attributes"]["gender"] == "woman"
    assert [r["mentor_id"] for r in document["relationships"]] == [cast["mentor_a"].pk]
    assert document["memberships"]["memberships"][0]["role"] == "mentee"
    assert [n["body"] for n in document["mentoring"]["shared_notes"]] == ["Shared: draft the personal statement"]
    assert [n["body"] for n in document["my_private_notes"]] == ["MENTEE-PRIVATE ask about research"]
    assert "MENTOR-PRIVATE" not in text
    assert mentee.password not in text
    mentor_copy = json.dumps(export_person(cast["mentor_a"]), default=str)
    assert "MENTOR-PRIVATE" in mentor_copy and "MENTEE-PRIVATE" not in mentor_copy


def test_my_data_download_page_and_api_need_the_export_scope(client, cast, meeting_with_notes):
    client.force_login(cast["mentee_a"])
    response = client.get("/data/export/me.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["person_id"] == cast["mentee_a"].pk
    _, read_only = token_create(by=cast["mentee_a"], name="r", scopes=["read"])
    _, exporter = token_create(by=cast["mentee_a"], name="e", scopes=["read", "export"])
    api = Client()
    refused = api.get("/api/export/me", HTTP_AUTHORIZATION=f"Bearer {read_only}")
    assert refused.status_code == 403 and "'export' scope" in refused.json()["detail"]
    body = api.get("/api/export/me", HTTP_AUTHORIZATION=f"Bearer {exporter}").json()
    assert body["account"]["email"] == cast["mentee_a"].email and "MENTOR-PRIVATE" not in json.dumps(body)


def test_program_export_is_for_its_coordinators_only_and_has_no_sensitive_attributes(client, cast):
    SensitiveAttributesFactory(user=cast["mentee_a"], gender="nonbinary", race_ethnicity="hispanic_latino")
    program = cast["program"]
    for person, expected in [("coordinator", 200), ("other_coordinator", 403), ("mentee_a", 403),
                             ("mentor_a", 403), ("admin", 200)]:
        client.force_login(cast[person])
        assert client.get(f"/data/export/programs/{program.pk}.json").status_code == expected, person
        assert client.get(f"/data/export/programs/{program.pk}.csv").status_code == expected, person
    client.force_login(cast["coordinator"])
    document = json.loads(client.get(f"/data/export/programs/{program.pk}.json").content)
    emails = {m["email"] for m in document["members"]}
    assert cast["mentee_a"].email in emails and cast["other_mentor"].email not in emails
    assert document["member_counts"] == {"mentee": 2, "mentor": 1, "coordinator": 1}
    text = json.dumps(document)
    assert "nonbinary" not in text and "hispanic" not in text and "sensitive" not in text
    members = client.get(f"/data/export/programs/{program.pk}.csv?table=members").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(members)))
    assert {row["email"] for row in table} == emails and "gender" not in table[0]
    relationships = client.get(f"/data/export/programs/{program.pk}.csv?table=relationships")
    assert list(csv.DictReader(io.StringIO(relationships.content.decode("utf-8-sig"))))[0]["status"] == "active"
    assert client.get(f"/data/export/programs/{program.pk}.csv?table=secrets").status_code == 404


def test_program_export_api_follows_the_same_rule(cast):
    program = cast["program"]
    _, coordinator = token_create(by=cast["coordinator"], name="e", scopes=["read", "export"])
    _, outsider = token_create(by=cast["other_coordinator"], name="e", scopes=["read", "export"])
    api = Client()
    assert api.get(f"/api/export/programs/{program.pk}", HTTP_AUTHORIZATION=f"Bearer {outsider}").status_code == 403
    body = api.get(f"/api/export/programs/{program.pk}", HTTP_AUTHORIZATION=f"Bearer {coordinator}").json()
    assert body["program"]["slug"] == program.slug and len(body["relationships"]) == 1
    assert api.get("/api/export/programs/999999", HTTP_AUTHORIZATION=f"Bearer {coordinator}").status_code == 404
