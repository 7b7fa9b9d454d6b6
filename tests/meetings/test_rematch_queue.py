"""The coordinator's rematch queue: a rematch request's notice opens its item, with the actions."""

import pytest
from django.urls import reverse

from mentora.meetings import services
from mentora.meetings.models import RematchRequest
from mentora.notifications.models import Notification
from mentora.relationships.models import Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def rel(cast):
    return Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])


def test_the_rematch_notice_opens_the_queue_item_with_its_actions(client, cast, rel):
    services.rematch_request(relationship=rel, by=cast["mentee_a"], reason="We never find a time to meet")
    item = RematchRequest.objects.get()
    [notice] = Notification.objects.filter(user=cast["coordinator"], title__contains="rematch")
    assert notice.url == reverse("meetings:rematch_queue", args=[cast["program"].pk]) + f"#rematch-{item.pk}"
    client.force_login(cast["coordinator"])
    page = client.get(notice.url.split("#")[0]).content.decode()
    assert f'id="rematch-{item.pk}"' in page and "We never find a time to meet" in page
    for action in ("close", "reassign", "pause"):
        assert reverse("relationships:relationship_manage", args=[rel.pk, action]) in page
    assert reverse("relationships:relationship_pair", args=[cast["program"].pk]) + f"?mentee={rel.mentee_id}" in page
    client.post(reverse("meetings:rematch_queue", args=[cast["program"].pk]), {"action": "handle", "request_id": item.pk})
    item.refresh_from_db()
    assert item.handled_at is not None
    assert f'id="rematch-{item.pk}"' not in client.get(notice.url.split("#")[0]).content.decode()


def test_bulk_nudge_tells_both_sides_of_each_ticked_relationship(client, cast, rel):
    client.force_login(cast["coordinator"])
    response = client.post(reverse("meetings:rematch_queue", args=[cast["program"].pk]),
                           {"action": "nudge", "relationship": [rel.pk], "message": "How are things going?"})
    assert response.status_code == 302
    for person in (cast["mentee_a"], cast["mentor_a"]):
        [notice] = Notification.objects.filter(user=person, title__contains="checks in")
        assert notice.body.startswith("How are things going?")


def test_nobody_else_sees_the_queue_or_its_buttons(client, cast, rel):
    services.rematch_request(relationship=rel, by=cast["mentee_a"], reason="Private reason")
    for person in ("mentee_a", "mentor_a", "other_coordinator"):
        client.force_login(cast[person])
        assert client.get(reverse("meetings:rematch_queue", args=[cast["program"].pk])).status_code == 403


def test_the_demo_coordinator_finds_rematch_requests_in_the_queue(client, demo_network):
    from mentora.core.demo import DEMO_LOGINS
    from mentora.programs.models import Membership

    coordinator = Membership.objects.filter(user__email=DEMO_LOGINS["coordinator"], role="coordinator").first()
    assert RematchRequest.objects.filter(relationship__program=coordinator.program, handled_at__isnull=True).exists()
    client.force_login(coordinator.user)
    page = client.get(reverse("meetings:rematch_queue", args=[coordinator.program_id])).content.decode()
    assert "asks for a rematch" in page
