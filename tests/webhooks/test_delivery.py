"""Webhooks end to end: a receiver in the test process (pytest-httpserver) checks every signature with the
Standard Webhooks library, answers 500 once, sees the retry, and takes each event exactly once."""

import datetime
import json
import threading
import uuid

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError
from werkzeug import Response

from mentora.meetings.models import Meeting
from mentora.meetings.services import meeting_set_status, relationship_close_with_feedback
from mentora.relationships.services import relationship_start
from mentora.webhooks.models import Delivery, Event, Subscription
from tests.background.queue import run_queued, use_db_queue

KINDS = ["relationship.started", "relationship.closed", "meeting.held"]


class Receiver:
    """Verifies each request's signature; answers `fail_first` requests with 500, then 200."""

    def __init__(self, secret: str, *, fail_first: int = 1, fail_always: bool = False):
        self.webhook = Webhook(secret)
        self.fail_first, self.fail_always = fail_first, fail_always
        self.requests: list[tuple[str, str, int]] = []  # (webhook-id, type, status answered)
        self.bad_signatures = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        try:
            payload = self.webhook.verify(request.get_data(), dict(request.headers))
        except WebhookVerificationError:
            with self.lock:
                self.bad_signatures += 1
            return Response("bad signature", status=400)
        with self.lock:
            status = 500 if self.fail_always or len(self.requests) < self.fail_first else 200
            self.requests.append((request.headers["webhook-id"], payload["type"], status))
        return Response("", status=status)

    def taken(self) -> list[tuple[str, str]]:
        return [(message_id, kind) for message_id, kind, status in self.requests if status == 200]


def _subscribe(client, coordinator, program, url: str, kinds=KINDS) -> tuple[int, str]:
    client.force_login(coordinator)
    response = client.post("/api/webhooks/subscriptions", data={
        "program_id": program.pk, "url": url, "event_kinds": kinds, "description": "residency system"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    return body["id"], body["secret"]


def _drain() -> int:
    ran = 0
    while True:
        now = run_queued(include_delayed=True)
        if not now:
            return ran
        ran += now


def _start(cast, mentee: str, mentor: str, kind: str = "career"):
    """The program's coordinator pairs two of its people (a relationship starts)."""
    return relationship_start(mentee=cast[mentee], mentor=cast[mentor], kind=kind, source="manual",
                              program=cast["program"], by=cast["coordinator"])


def _story(cast):
    """Three changes in the program: a relationship starts, meets, and closes."""
    relationship = _start(cast, "mentee_b", "mentor_a")
    meeting = Meeting.objects.create(relationship=relationship, starts_at=timezone.now() - datetime.timedelta(hours=2))
    meeting_set_status(meeting=meeting, by=cast["mentor_a"], status="held")
    relationship_close_with_feedback(relationship=relationship, by=cast["mentee_b"], reason="Goals reached")
    return relationship


@pytest.mark.django_db(transaction=True)
def test_signed_events_are_retried_after_a_500_and_taken_exactly_once(cast, client, httpserver, settings):
    use_db_queue(settings)
    subscription_id, secret = _subscribe(client, cast["coordinator"], cast["program"], httpserver.url_for("/hooks"))
    receiver = Receiver(secret, fail_first=1)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(receiver)

    relationship = _story(cast)
    _drain()

    assert receiver.bad_signatures == 0
    events = list(Event.objects.order_by("created_at").values_list("id", "kind"))
    assert [kind for _id, kind in events] == ["relationship.started", "meeting.held", "relationship.closed"]
    # The first try was answered 500, and the same message came again (same webhook-id).
    first_id, first_kind, first_status = receiver.requests[0]
    assert first_status == 500
    assert [r for r in receiver.requests if r[0] == first_id] == [(first_id, first_kind, 500), (first_id, first_kind, 200)]
    # Each event was taken exactly once.
    taken = receiver.taken()
    assert sorted(taken) == sorted((f"msg_{event_id.hex}", kind) for event_id, kind in events)
    assert len(set(taken)) == len(taken) == 3
    assert len(receiver.requests) == 4
    # The payload names the change.
    payload = Event.objects.get(kind="relationship.closed").payload
    assert payload["data"]["relationship"]["id"] == relationship.pk
    assert payload["data"]["mentee"]["email"] == cast["mentee_b"].email
    # The delivery log: one delivery per event, the retried one with both tries.
    deliveries = Delivery.objects.filter(subscription_id=subscription_id)
    assert {d.status for d in deliveries} == {"delivered"}
    retried = deliveries.get(event__id=uuid.UUID(first_id.removeprefix("msg_")))
    assert [a.status_code for a in retried.attempt_log.order_by("at", "pk")] == [500, 200]
    # Nothing is sent again by a later run of the worker.
    _drain()
    assert len(receiver.requests) == 4

    listed = client.get(f"/api/webhooks/subscriptions/{subscription_id}/deliveries?status=delivered").json()
    assert listed["count"] == 3
    assert "secret" not in client.get(f"/api/webhooks/subscriptions/{subscription_id}").json()


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_is_switched_off_then_replayed(cast, client, httpserver, settings):
    use_db_queue(settings)
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    subscription_id, secret = _subscribe(client, cast["coordinator"], cast["program"], httpserver.url_for("/hooks"))
    receiver = Receiver(secret, fail_always=True)
    httpserver.expect_request("/hooks", method="POST").respond_with_handler(receiver)

    _story(cast)
    _drain()

    subscription = Subscription.objects.get(pk=subscription_id)
    assert not subscription.is_active
    assert "3 failed deliveries in a row" in subscription.disabled_reason
    assert len(receiver.requests) == 3  # then it stopped trying
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}

    # Switched off: a new event is not even recorded for it.
    _start(cast, "mentee_a", "other_mentor", kind="research")
    assert Delivery.objects.count() == 3

    # The receiver is mended; the coordinator switches the subscription on and replays a failed delivery.
    receiver.fail_always = False
    assert client.post(f"/api/webhooks/subscriptions/{subscription_id}/enable").json()["is_active"] is True
    failed = Delivery.objects.filter(status="failed").order_by("pk").first()
    assert client.post(f"/api/webhooks/deliveries/{failed.pk}/replay").status_code == 200
    _drain()
    failed.refresh_from_db()
    assert failed.status == "delivered"
    assert receiver.taken() == [(failed.event.message_id, failed.event.kind)]


@pytest.mark.django_db(transaction=True)
def test_in_production_a_private_address_is_refused(cast, client, httpserver, settings):
    use_db_queue(settings)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    _subscribe(client, cast["coordinator"], cast["program"], httpserver.url_for("/hooks"))
    _start(cast, "mentee_b", "mentor_a")
    run_queued()
    delivery = Delivery.objects.get()
    assert delivery.status == "retrying"
    assert "private address" in delivery.last_error
    assert len(httpserver.log) == 0


@pytest.mark.django_db
def test_nobody_listening_records_nothing(cast):
    _start(cast, "mentee_b", "mentor_a")
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_unknown_kinds_and_other_programs(cast, client):
    client.force_login(cast["coordinator"])
    response = client.post("/api/webhooks/subscriptions", data={
        "program_id": cast["program"].pk, "url": "https://rms.example.org/hooks", "event_kinds": ["no.such"]},
        content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "no.such" in json.dumps(response.json())
    response = client.post("/api/webhooks/subscriptions", data={
        "program_id": cast["other_program"].pk, "url": "https://rms.example.org/hooks",
        "event_kinds": ["relationship.started"]}, content_type="application/json")
    assert response.status_code == 403
    response = client.post("/api/webhooks/subscriptions", data={
        "program_id": cast["program"].pk, "url": "javascript:alert(1)", "event_kinds": ["relationship.started"]},
        content_type="application/json")
    assert response.status_code == 422


@pytest.mark.django_db
def test_the_page_shows_the_secret_once(cast, client):
    client.force_login(cast["coordinator"])
    response = client.post("/webhooks/", data={
        "scope": f"program:{cast['program'].pk}", "url": "https://rms.example.org/hooks",
        "event_kinds": ["relationship.started", "plan.signed_off"], "description": "MedHub"})
    assert response.status_code == 201
    subscription = Subscription.objects.get()
    assert subscription.secret in response.content.decode()
    again = client.get(f"/webhooks/{subscription.pk}/")
    assert again.status_code == 200
    assert subscription.secret not in again.content.decode()
    assert "MedHub" in client.get("/webhooks/").content.decode()
