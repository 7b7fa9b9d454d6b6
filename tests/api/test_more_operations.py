"""Resources and the mentor portfolio through the API, with the pages' rules."""

import pytest

from mentora.meetings.models import Resource


@pytest.mark.django_db
def test_a_coordinator_adds_and_removes_a_program_resource(cast, client):
    client.force_login(cast["coordinator"])
    added = client.post("/api/mentoring/resources", data={
        "topic": "wellbeing", "title": "Peer support line", "description": "Call any time",
        "url": "https://support.example.org", "program_id": cast["program"].pk}, content_type="application/json")
    assert added.status_code == 201, added.content
    client.force_login(cast["mentee_a"])
    listed = client.get("/api/mentoring/resources?topic=wellbeing").json()
    assert [r["title"] for r in listed["items"]] == ["Peer support line"]
    assert client.delete(f"/api/mentoring/resources/{added.json()['id']}").status_code == 403
    bad = client.post("/api/mentoring/resources", data={
        "topic": "wellbeing", "title": "x", "description": "d", "url": "javascript:alert(1)"},
        content_type="application/json")
    assert bad.status_code == 422
    client.force_login(cast["coordinator"])
    assert client.delete(f"/api/mentoring/resources/{added.json()['id']}").status_code == 204
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_the_portfolio_has_the_rows_of_its_download(cast, client):
    client.force_login(cast["mentor_a"])
    portfolio = client.get("/api/portfolio").json()
    assert portfolio["mentee_count"] == 1
    assert any(row["section"] == "mentee" and row["item"] == cast["mentee_a"].display_name
               for row in portfolio["rows"])
    client.force_login(cast["mentee_a"])
    assert client.get("/api/portfolio").status_code == 403


@pytest.mark.django_db
def test_a_mentee_leaves_the_program_and_withdraws_consent(cast, client):
    from mentora.profiles.models import SensitiveAttributes
    from mentora.relationships.models import Relationship
    from tests.factories import SensitiveAttributesFactory

    SensitiveAttributesFactory(user=cast["mentee_a"])
    client.force_login(cast["mentee_a"])
    withdrawn = client.post("/api/privacy/withdraw-consent").json()
    assert withdrawn["done"] is True
    assert not SensitiveAttributes.objects.filter(user=cast["mentee_a"]).exists()
    assert client.post("/api/privacy/withdraw-consent").json()["done"] is False
    left = client.post(f"/api/privacy/programs/{cast['program'].slug}/leave")
    assert left.status_code == 200, left.content
    assert not Relationship.objects.filter(mentee=cast["mentee_a"], status="active").exists()
    again = client.post(f"/api/privacy/programs/{cast['program'].slug}/leave")
    assert again.status_code == 422 and "no active membership" in again.json()["detail"]
