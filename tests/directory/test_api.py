import pytest
from django.core.exceptions import PermissionDenied

from mentora.directory import services
from mentora.directory.models import MentorshipRequest
from mentora.relationships.models import Relationship
from tests.factories import NetworkFactory

from .helpers import consent, make_mentor, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "mentor": make_mentor(name="Dr Api", research="heart failure", languages=["en", "es"], country="IN",
                              capacity=1),
        "second": make_mentor(name="Dr Second", specialty="neurology"),
        "mentee": make_person(name="Mentee A", research="heart failure", country="IN"),
        "other": make_person(name="Mentee B"),
    }


def test_directory_search_filters_and_paginates(client, people):
    client.force_login(people["mentee"])
    body = client.get("/api/directory/mentors", {"language": "es", "limit": 1}).json()
    assert body["count"] == 1 and [m["full_name"] for m in body["items"]] == ["Dr Api"]
    assert body["items"][0]["load"] == 0 and body["items"][0]["capacity"] == 1
    assert client.get("/api/directory/mentors", {"specialty": "not-a-specialty"}).status_code == 400
    assert client.get("/api/directory/mentors").json()["count"] == 2


def test_recommendations_and_preferences(client, people):
    client.force_login(people["mentee"])
    ranked = client.get("/api/directory/recommendations").json()
    assert ranked[0]["full_name"] == "Dr Api"
    assert "Both trained in India" in [r["text"] for r in ranked[0]["reasons"]]
    response = client.put("/api/directory/preferences", {"specialty": 0, "languages": 5, "concordance_wanted": []},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["languages"] == 5
    bad = client.put("/api/directory/preferences", {"concordance_wanted": ["gender"]}, content_type="application/json")
    assert bad.status_code == 422  # no consented attributes to ask on
    assert client.put("/api/directory/preferences", {"languages": 9}, content_type="application/json").status_code == 422


def test_request_lifecycle_and_capacity_conflict(client, people):
    client.force_login(people["mentee"])
    response = client.post("/api/requests", {"mentor_id": people["mentor"].pk, "why": "w", "hopes": "h"},
                           content_type="application/json")
    assert response.status_code == 201
    request_id = response.json()["id"]
    second = services.request_create(by=people["other"], mentor=people["mentor"], kind="career", why="w",
                                     hopes="h")
    assert client.post(f"/api/requests/{request_id}/accept", {}, content_type="application/json").status_code == 403
    client.force_login(people["mentor"])
    accepted = client.post(f"/api/requests/{request_id}/accept", {"note": "Yes"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    full = client.post(f"/api/requests/{second.pk}/accept", {}, content_type="application/json")
    assert full.status_code == 409 and full["Content-Type"] == "application/problem+json"
    assert Relationship.objects.count() == 1
    client.force_login(people["mentee"])
    team = client.get("/api/directory/team").json()
    assert [member["mentor_name"] for member in team] == ["Dr Api"]


def test_a_mentee_never_sees_another_mentees_requests(client, people):
    request = services.request_create(by=people["mentee"], mentor=people["mentor"], kind="career",
                                      why="Private", hopes="Private")
    client.force_login(people["other"])
    assert client.get("/api/requests").json()["count"] == 0
    assert client.get(f"/api/requests/{request.pk}").status_code == 404
    assert client.post(f"/api/requests/{request.pk}/withdraw").status_code == 404
    client.force_login(people["mentee"])
    assert client.post(f"/api/requests/{request.pk}/withdraw").json()["status"] == "withdrawn"
    assert MentorshipRequest.objects.get().status == "withdrawn"


def test_a_mentee_never_sees_another_mentees_preferences_or_sensitive_fields(client, people):
    consent(people["mentee"], gender="woman", race_ethnicity="asian", concordance_wanted=["gender"])
    services.preferences_update(by=people["mentee"], weights={"languages": 5}, concordance_wanted=["gender"])
    client.force_login(people["other"])
    mine = client.get("/api/directory/preferences").json()
    assert mine["languages"] == 1 and mine["concordance_wanted"] == []
    body = client.get("/api/directory/mentors").content.decode().lower()
    assert "woman" not in body and "asian" not in body


def test_referrals_over_the_api(client, people):
    network = NetworkFactory()
    coordinator = make_person(name="Coordinator")
    network.coordinators.add(coordinator)
    client.force_login(people["mentee"])
    created = client.post("/api/referrals", {"network_id": network.pk, "looking_for": "Cardiology"},
                          content_type="application/json")
    assert created.status_code == 201
    referral_id = created.json()["id"]
    client.force_login(people["other"])
    assert client.get(f"/api/referrals/{referral_id}").status_code == 404
    client.force_login(coordinator)
    assert client.get("/api/referrals").json()["count"] == 1
    proposed = client.post(f"/api/referrals/{referral_id}/proposal",
                           {"mentor_ids": [people["mentor"].pk, people["second"].pk], "note": "Both"},
                           content_type="application/json")
    assert proposed.json()["status"] == "proposed"
    client.force_login(people["mentee"])
    picked = client.post(f"/api/referrals/{referral_id}/pick",
                         {"mentor_id": people["second"].pk, "why": "w", "hopes": "h"},
                         content_type="application/json")
    assert picked.status_code == 201 and picked.json()["mentor_id"] == people["second"].pk


def test_a_mentee_asks_only_their_own_programs_network_for_a_referral(client):
    """The referral form offers a mentee the networks of their programs only; the API did not check and let
    them write to any network's coordinators."""
    from mentora.directory.models import ReferralRequest
    from mentora.notifications.models import Notification
    from tests.factories import MembershipFactory, ProgramFactory

    own, elsewhere = NetworkFactory(), NetworkFactory()
    program = ProgramFactory(network=own)
    mentee = MembershipFactory(program=program, role="mentee").user
    stranger_coordinator = make_person(name="Coordinator Elsewhere")
    elsewhere.coordinators.add(stranger_coordinator)
    client.force_login(mentee)

    refused = client.post("/api/referrals", {"network_id": elsewhere.pk, "looking_for": "Anyone"},
                          content_type="application/json")
    assert refused.status_code == 403, refused.content
    assert "network of your program" in refused.json()["detail"]
    assert not ReferralRequest.objects.exists()
    assert not Notification.objects.filter(user=stranger_coordinator).exists()
    with pytest.raises(PermissionDenied):
        services.referral_create(by=mentee, network=elsewhere, kind="career", looking_for="Anyone")

    created = client.post("/api/referrals", {"network_id": own.pk, "looking_for": "Cardiology"},
                          content_type="application/json")
    assert created.status_code == 201 and ReferralRequest.objects.get().network == own
