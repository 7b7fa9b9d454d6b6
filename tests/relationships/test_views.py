import pytest
from django.urls import reverse

from mentora.notifications.models import Notification
from mentora.relationships.models import Relationship, RelationshipEvent
from tests.factories import MembershipFactory, MentorOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rel(cast):
    return Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])


def test_a_coordinator_closes_a_relationship_with_a_reason_from_its_page(client, cast, rel):
    client.force_login(cast["coordinator"])
    page = client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode()
    assert reverse("relationships:relationship_manage", args=[rel.pk, "close"]) in page
    assert reverse("relationships:relationship_manage", args=[rel.pk, "reassign"]) in page
    refused = client.post(reverse("relationships:relationship_manage", args=[rel.pk, "close"]), {"reason": ""})
    assert refused.status_code == 400
    response = client.post(reverse("relationships:relationship_manage", args=[rel.pk, "close"]),
                           {"reason": "The mentor leaves the program"})
    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.status == "closed" and rel.closing_reason == "The mentor leaves the program"
    for person in (cast["mentee_a"], cast["mentor_a"]):
        assert Notification.objects.filter(user=person, kind="relationship", body="The mentor leaves the program",
                                           title__contains="closed").exists()
    [event] = RelationshipEvent.objects.filter(relationship=rel)
    assert (event.action, event.by, event.reason) == ("closed", cast["coordinator"], "The mentor leaves the program")
    page = client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode()
    assert "The mentor leaves the program" in page and reverse("relationships:relationship_manage", args=[rel.pk, "close"]) not in page


def test_the_sides_do_not_see_the_coordinators_actions(client, cast, rel):
    for person in ("mentee_a", "mentor_a"):
        client.force_login(cast[person])
        page = client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode()
        assert reverse("relationships:relationship_manage", args=[rel.pk, "reassign"]) not in page
        assert "Reassign the mentee" not in page


def test_a_coordinator_pairs_two_people_by_hand_with_the_same_checks(client, cast):
    program = cast["program"]
    client.force_login(cast["coordinator"])
    url = reverse("relationships:relationship_pair", args=[program.pk])
    form = client.get(url)
    assert form.status_code == 200 and cast["mentee_b"].full_name in form.content.decode()
    full = MembershipFactory(program=program, role="mentor", training_level="faculty").user
    MentorOfferFactory(user=full, capacity=0)
    refused = client.post(url, {"mentee": cast["mentee_b"].pk, "mentor": full.pk, "kind": "career",
                                "reason": "Same research group"})
    assert refused.status_code == 400 and "places" in refused.content.decode()
    assert not Relationship.objects.filter(mentee=cast["mentee_b"]).exists()
    response = client.post(url, {"mentee": cast["mentee_b"].pk, "mentor": cast["mentor_a"].pk, "kind": "career",
                                 "reason": "Same research group"})
    started = Relationship.objects.get(mentee=cast["mentee_b"])
    assert response.status_code == 302 and response["Location"] == reverse("meetings:relationship_detail", args=[started.pk])
    assert (started.mentor, started.source, started.status) == (cast["mentor_a"], "manual", "active")
    assert Notification.objects.filter(user=cast["mentee_b"], title__contains="paired you").exists()
    assert Notification.objects.filter(user=cast["mentor_a"], title__contains="paired you").exists()
    assert RelationshipEvent.objects.get(relationship=started).reason == "Same research group"
