"""Writes of outbound webhooks: subscriptions, the events the domain services emit, and each delivery.

A delivery is signed the Standard Webhooks way (the `standardwebhooks` package): the headers
`webhook-id` (the event's id, the same on every try), `webhook-timestamp` and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 over "id.timestamp.body" with the subscription's secret). It is tried by
the worker (`tasks.deliver_webhook`) until the receiver answers 2xx; a failure is retried with the
background policy's back-off. After WEBHOOK_DISABLE_AFTER_FAILURES failed tries in a row a
subscription is switched off (its coordinators see why, and switch it on again when fixed).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from mentora.core.academic_year import current_academic_year
from mentora.core.links import clean_web_link
from mentora.notifications.services import Notice, notify_many
from mentora.programs.models import Membership

from . import permissions, tasks
from .events import EVENT_KINDS, PAYLOAD_VERSION
from .models import Attempt, Delivery, Event, Subscription
from .selectors import subscriptions_for_event

TIMEOUT_SECONDS = 10


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _clean_url(url: str) -> str:
    url = clean_web_link(url, field="url")
    if not url:
        raise ValidationError({"url": "Enter the address that receives the events."})
    return url


def _clean_kinds(event_kinds: list[str]) -> list[str]:
    unknown = sorted(set(event_kinds) - set(EVENT_KINDS))
    if unknown:
        raise ValidationError({"event_kinds": f"Unknown event kinds: {', '.join(unknown)}."})
    if not event_kinds:
        raise ValidationError({"event_kinds": "Choose at least one kind of event."})
    return [kind for kind in EVENT_KINDS if kind in event_kinds]


@transaction.atomic
def subscription_create(*, by, url: str, event_kinds: list[str], program=None, institution=None,
                        description: str = "") -> tuple[Subscription, str]:
    """A new subscription and its secret (returned once: the pages and the API show it only now)."""
    if (program is None) == (institution is None):
        raise ValidationError({"program": "Choose either a program or an institution."})
    allowed = (permissions.can_manage_program_webhooks(by, program) if program is not None
               else permissions.can_manage_institution_webhooks(by, institution))
    if not allowed:
        raise PermissionDenied("You may not manage the webhooks of this program or institution.")
    subscription = Subscription.objects.create(
        program=program, institution=institution, url=_clean_url(url),
        event_kinds=_clean_kinds(event_kinds), description=description.strip()[:200], secret=_new_secret(),
        created_by=by,
    )
    return subscription, subscription.secret


def _require_manager(by, subscription: Subscription) -> None:
    if not permissions.can_manage_subscription(by, subscription):
        raise PermissionDenied("You may not manage this webhook subscription.")


@transaction.atomic
def subscription_update(*, subscription: Subscription, by, url: str | None = None,
                        event_kinds: list[str] | None = None, description: str | None = None) -> Subscription:
    _require_manager(by, subscription)
    if url is not None:
        subscription.url = _clean_url(url)
    if event_kinds is not None:
        subscription.event_kinds = _clean_kinds(event_kinds)
    if description is not None:
        subscription.description = description.strip()[:200]
    subscription.save(update_fields=["url", "event_kinds", "description"])
    return subscription


@transaction.atomic
def subscription_set_active(*, subscription: Subscription, by, active: bool) -> Subscription:
    """Switch a subscription off, or on again (which forgets its failures in a row)."""
    _require_manager(by, subscription)
    subscription.is_active = active
    subscription.consecutive_failures = 0 if active else subscription.consecutive_failures
    subscription.disabled_at = None if active else timezone.now()
    subscription.disabled_reason = "" if active else f"Switched off by {by.display_name}."
    subscription.save(update_fields=["is_active", "consecutive_failures", "disabled_at", "disabled_reason"])
    return subscription


@transaction.atomic
def subscription_rotate_secret(*, subscription: Subscription, by) -> str:
    """A new secret for the subscription (returned once); the old one stops signing at once."""
    _require_manager(by, subscription)
    subscription.secret = _new_secret()
    subscription.save(update_fields=["secret"])
    return subscription.secret


def subscription_secrets_reencrypt() -> int:
    """For the system (key rotation): every stored secret encrypted again with the newest key. Returns how many."""
    count = 0
    with transaction.atomic():
        for pk, stored in Subscription.objects.select_for_update().values_list("pk", "secret"):
            # values_list decrypts; saving writes the secret under the first key again.
            Subscription.objects.filter(pk=pk).update(secret=stored)
            count += 1
    return count


@transaction.atomic
def subscription_delete(*, subscription: Subscription, by) -> None:
    _require_manager(by, subscription)
    subscription.delete()


def webhook_event_emit(*, kind: str, program, data: dict) -> Event | None:
    """Record that `kind` happened in `program` and queue a delivery per subscription that asked for it.

    Called by the domain services inside the transaction of the change itself: the event exists if and
    only if the change does, and the deliveries are queued when it commits. Nothing is recorded when
    nobody listens, or when the change belongs to no program.
    """
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown webhook event kind {kind!r}")
    if program is None:
        return None
    subscriptions = subscriptions_for_event(kind=kind, program=program)
    if not subscriptions:
        return None
    now = timezone.now()
    event = Event.objects.create(kind=kind, program=program, payload={})
    # The body every receiver gets, byte for byte the same on each try (it is what is signed).
    event.payload = json.loads(json.dumps({
        "type": kind, "timestamp": now.isoformat(), "version": PAYLOAD_VERSION,
        "data": {"id": event.message_id, "program": {"id": program.pk, "name": program.name,
                                                     "institution_id": program.institution_id}, **data},
    }, cls=DjangoJSONEncoder))
    event.save(update_fields=["payload"])
    deliveries = Delivery.objects.bulk_create([Delivery(event=event, subscription=s) for s in subscriptions])
    ids = [delivery.pk for delivery in deliveries] if all(d.pk for d in deliveries) else list(
        Delivery.objects.filter(event=event).values_list("pk", flat=True))
    transaction.on_commit(lambda: _enqueue(ids))
    return event


def _enqueue(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        tasks.deliver_webhook.enqueue(delivery_id)


@transaction.atomic
def delivery_replay(*, delivery: Delivery, by) -> Delivery:
    """Send a delivery again (after the receiver was mended): the same event, the same webhook-id."""
    _require_manager(by, delivery.subscription)
    if not delivery.subscription.is_active:
        raise ValidationError("Switch the subscription on before replaying its deliveries.")
    updated = Delivery.objects.filter(pk=delivery.pk).exclude(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING, attempts=0, claimed_until=None)
    if not updated:
        raise ValidationError("This delivery is being sent right now.")
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


def _managers(subscription: Subscription):
    """Who manages a subscription (permissions.can_manage_subscription): a program's coordinators and
    directors of this academic year, and site admins for an institution's."""
    people = get_user_model().objects.filter(is_active=True)
    if subscription.program_id is None:
        return people.filter(is_superuser=True)
    return people.filter(
        memberships__program_id=subscription.program_id, memberships__academic_year=current_academic_year(),
        memberships__is_active=True,
        memberships__role__in=[Membership.Role.COORDINATOR, Membership.Role.DIRECTOR],
    ).distinct()


def _tell_managers_switched_off(subscription: Subscription) -> int:
    """A notice to the subscription's managers: it is switched off, why, and where to switch it on again."""
    stamp = int(subscription.disabled_at.timestamp()) if subscription.disabled_at else 0
    title = f"A webhook of {subscription.scope} is switched off"
    body = (f"Deliveries to {subscription.url} kept failing. {subscription.disabled_reason} "
            "Mend the receiver, then switch the subscription on again and send the failed deliveries again.")
    url = reverse("webhooks:webhook_detail", args=[subscription.pk])
    return notify_many(kind="webhooks", notices=[
        Notice(user_id=person.pk, key=f"webhook_switched_off:{subscription.pk}:{stamp}", title=title[:200],
               body=body, url=url)
        for person in _managers(subscription)])


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer like any other non-2xx: the receiver must be at its address


def _refuse_private_address(url: str) -> None:
    """In production a subscription reaches the internet only, not this server's own network."""
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False):
        return
    host = urlsplit(url).hostname or ""
    for info in socket.getaddrinfo(host, None):
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise OSError(f"{host} is a private address ({address})")


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    _refuse_private_address(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def delivery_attempt(*, delivery_id: int) -> bool:
    """One try of a delivery. True when nothing is left to do (delivered, given up, or someone else holds
    it); False when it failed and should be tried again later."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        Q(status__in=[Delivery.Status.PENDING, Delivery.Status.RETRYING])
        | Q(status=Delivery.Status.SENDING, claimed_until__lt=now),  # its sender died
        pk=delivery_id,
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1,
             claimed_until=now + datetime.timedelta(seconds=TIMEOUT_SECONDS * 3))
    if not claimed:
        return True
    delivery = Delivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    subscription, event = delivery.subscription, delivery.event
    if not subscription.is_active:
        Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.FAILED, claimed_until=None,
                                                        last_error="The subscription is switched off.")
        return True
    body = json.dumps(event.payload, separators=(",", ":")).encode()
    sent_at = timezone.now()
    headers = {
        "Content-Type": "application/json", "User-Agent": "Mentora-Webhooks/1",
        "webhook-id": event.message_id, "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(subscription.secret).sign(event.message_id, sent_at, body),
    }
    status_code, error = None, ""
    started = time.monotonic()
    try:
        status_code = _post(subscription.url, body, headers)
    except (OSError, ValueError) as failure:  # refused, timed out, no such host, a private address
        error = str(failure)[:500] or failure.__class__.__name__
    duration_ms = int((time.monotonic() - started) * 1000)
    succeeded = status_code is not None and 200 <= status_code < 300
    if not succeeded and not error:
        error = f"The receiver answered {status_code}."
    return _record(delivery, subscription, status_code=status_code, error=error, duration_ms=duration_ms,
                   succeeded=succeeded)


@transaction.atomic
def _record(delivery: Delivery, subscription: Subscription, *, status_code, error: str, duration_ms: int,
            succeeded: bool) -> bool:
    Attempt.objects.create(delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms)
    if succeeded:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), claimed_until=None,
            last_status_code=status_code, last_error="")
        Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return True
    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    limit = int(getattr(settings, "WEBHOOK_DISABLE_AFTER_FAILURES", 15))
    switched_off = Subscription.objects.filter(
        pk=subscription.pk, is_active=True, consecutive_failures__gte=limit,
    ).update(is_active=False, disabled_at=timezone.now(),
             disabled_reason=f"Switched off after {limit} failed deliveries in a row (last: {error})"[:300])
    if switched_off:
        _tell_managers_switched_off(Subscription.objects.select_related("program", "institution").get(
            pk=subscription.pk))
    gave_up = switched_off or delivery.attempts >= tasks.DELIVERY_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED if gave_up else Delivery.Status.RETRYING, claimed_until=None,
        last_status_code=status_code, last_error=error)
    return bool(gave_up)
