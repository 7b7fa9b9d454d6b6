"""A person's privacy over the API: what is kept, optional attributes with consent (withdrawal deletes them and
is logged), a program's data policy: the pages' services and rules."""

import pytest

from mentora.privacy.models import PrivacyEvent, ProgramDataPolicy
from mentora.profiles.models import SensitiveAttributes


@pytest.mark.django_db
def test_optional_attributes_need_consent_and_withdrawal_deletes_them(cast, client):
    client.force_login(cast["mentee_a"])
    url = "/api/privacy/sensitive-attributes"
    assert client.get(url).json()["consent"] is False
    stored = client.put(url, data={"consent": True, "gender": "woman", "gender_visibility": "mentors",
                                   "lgbtq_identity": False, "concordance_wanted": ["gender"]},
                        content_type="application/json")
    assert stored.status_code == 200, stored.content
    body = stored.json()
    assert (body["consent"], body["gender"], body["lgbtq_identity"], body["concordance_wanted"]) == (
        True, "woman", False, ["gender"])
    attributes = SensitiveAttributes.objects.get(user=cast["mentee_a"])
    assert attributes.consented_at is not None and attributes.gender_visibility == "mentors"
    bad = client.put(url, data={"consent": True, "concordance_wanted": ["salary"]}, content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"

    overview = client.get("/api/privacy").json()
    assert overview["has_sensitive"] is True
    assert [m["program_id"] for m in overview["memberships"]] == [cast["program"].pk]

    withdrawn = client.put(url, data={"consent": False}, content_type="application/json").json()
    assert withdrawn["consent"] is False
    assert not SensitiveAttributes.objects.filter(user=cast["mentee_a"]).exists()
    assert PrivacyEvent.objects.filter(user=cast["mentee_a"], action="withdraw_consent").exists()
    assert client.get("/api/privacy").json()["events"][0]["action"] == "withdraw_consent"


@pytest.mark.django_db
def test_a_program_sets_its_data_policy(cast, client):
    url = f"/api/privacy/programs/{cast['program'].slug}/policy"
    client.force_login(cast["coordinator"])
    assert client.get(url).json() == {"keep_records_on_leave": True, "keep_mentor_records_on_erasure": True}
    client.put(url, data={"keep_records_on_leave": False, "keep_mentor_records_on_erasure": True},
               content_type="application/json")
    assert ProgramDataPolicy.objects.get(program=cast["program"]).keep_records_on_leave is False
    assert client.get(f"/api/privacy/programs/{cast['other_program'].slug}/policy").status_code == 403
