"""Webhooks in the demo: the demo program sends its events to its residency management system.

The demo coordinator finds one subscription on the Webhooks page with a delivery log that shows the
three outcomes: delivered at once, delivered after a retry (the receiver answered 500 first), and
failed after six tries (with "Send again"). Its address is an example one: new events in the demo are tried and fail, as the log shows.
"""

import base64
import datetime
import uuid

from django.utils import timezone

from .events import EVENT_KINDS, PAYLOAD_VERSION
from .models import Attempt, Delivery, Event, Subscription


def generate(context) -> None:
    program, coordinator = context.demo_program, context.logins["coordinator"]
    subscription = Subscription.objects.create(
        program=program, url="https://rms.example.org/medhub/mentora-events", description="MedHub (example)",
        event_kinds=list(EVENT_KINDS), created_by=coordinator,
        # The same seed gives the same demo: its example secret and event ids come from the demo's generator.
        secret="whsec_" + base64.b64encode(context.rng.randbytes(24)).decode())
    now = timezone.now()
    mentee, mentor = context.logins["mentee"], context.logins["mentor"]
    stories = [
        ("relationship.started", [200], Delivery.Status.DELIVERED, 3),
        ("plan.submitted", [500, 200], Delivery.Status.DELIVERED, 2),
        ("meeting.held", [None, None, None, None, None, 503], Delivery.Status.FAILED, 1),
    ]
    for kind, answers, status, days_ago in stories:
        at = now - datetime.timedelta(days=days_ago, hours=1)
        event = Event.objects.create(id=uuid.UUID(int=context.rng.getrandbits(128), version=4), kind=kind,
                                     program=program, payload={})
        event.payload = {"type": kind, "timestamp": at.isoformat(), "version": PAYLOAD_VERSION,
                         "data": {"id": event.message_id, "program": {"id": program.pk, "name": program.name},
                                  "mentee": {"id": mentee.pk, "email": mentee.email},
                                  "mentor": {"id": mentor.pk, "email": mentor.email}}}
        event.save(update_fields=["payload"])
        Event.objects.filter(pk=event.pk).update(created_at=at)
        last = answers[-1]
        delivery = Delivery.objects.create(
            event=event, subscription=subscription, status=status, attempts=len(answers), last_status_code=last,
            last_error="" if last == 200 else f"The receiver answered {last}.",
            delivered_at=at + datetime.timedelta(minutes=2) if status == Delivery.Status.DELIVERED else None)
        Delivery.objects.filter(pk=delivery.pk).update(created_at=at)
        for number, answer in enumerate(answers):
            attempt = Attempt.objects.create(
                delivery=delivery, status_code=answer, duration_ms=180 + 40 * number,
                error="" if answer == 200 else ("Connection refused" if answer is None else f"The receiver answered {answer}."))
            Attempt.objects.filter(pk=attempt.pk).update(at=at + datetime.timedelta(minutes=2 * 4 ** number - 2))
