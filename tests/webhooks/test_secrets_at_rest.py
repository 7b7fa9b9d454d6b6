"""Signing secrets are encrypted at rest, readable with any configured key, re-encrypted on rotation; a
subscription switched off after failures tells the people who manage it."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from mentora.notifications.models import Notification
from mentora.webhooks.crypto import derived_key
from mentora.webhooks.models import Subscription
from mentora.webhooks.services import subscription_create, subscription_rotate_secret


def _stored(subscription) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_subscription WHERE id = %s", [subscription.pk])
        return cursor.fetchone()[0]


def _subscribe(cast):
    return subscription_create(by=cast["coordinator"], program=cast["program"], url="https://rms.example.org/h",
                               event_kinds=["relationship.started"])


@pytest.mark.django_db
def test_the_column_holds_no_secret_only_a_token_the_key_opens(cast, settings):
    settings.WEBHOOK_SECRET_KEYS = []
    subscription, secret = _subscribe(cast)
    stored = _stored(subscription)
    assert secret.startswith("whsec_")
    assert secret not in stored and "whsec_" not in stored
    assert Fernet(derived_key(settings.SECRET_KEY).encode()).decrypt(stored.encode()).decode() == secret
    assert Subscription.objects.get(pk=subscription.pk).secret == secret

    rotated = subscription_rotate_secret(subscription=subscription, by=cast["coordinator"])
    assert rotated != secret and rotated not in _stored(subscription)
    assert Subscription.objects.get(pk=subscription.pk).secret == rotated


@pytest.mark.django_db
def test_a_new_key_in_front_reads_the_old_tokens_and_the_command_moves_them(cast, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WEBHOOK_SECRET_KEYS = [old]
    subscription, secret = _subscribe(cast)
    settings.WEBHOOK_SECRET_KEYS = [new, old]
    assert Subscription.objects.get(pk=subscription.pk).secret == secret  # still readable
    call_command("webhook_secrets_reencrypt", stdout=io.StringIO())
    assert Fernet(new.encode()).decrypt(_stored(subscription).encode()).decode() == secret
    settings.WEBHOOK_SECRET_KEYS = [new]  # the old key dropped
    assert Subscription.objects.get(pk=subscription.pk).secret == secret


@pytest.mark.django_db
def test_a_secret_stored_before_encryption_is_read_then_encrypted(cast):
    subscription, _secret = _subscribe(cast)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE webhooks_subscription SET secret = %s WHERE id = %s", ["whsec_plain", subscription.pk])
    assert Subscription.objects.get(pk=subscription.pk).secret == "whsec_plain"
    call_command("webhook_secrets_reencrypt", stdout=io.StringIO())
    assert "whsec_plain" not in _stored(subscription)
    assert Subscription.objects.get(pk=subscription.pk).secret == "whsec_plain"


@pytest.mark.django_db
def test_switched_off_after_failures_the_coordinators_are_told(cast, settings, monkeypatch):
    from mentora.webhooks import services
    from mentora.webhooks.models import Delivery, Event

    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    monkeypatch.setattr(services, "_post", lambda url, body, headers: 500)
    subscription, _secret = _subscribe(cast)
    event = Event.objects.create(kind="relationship.started", program=cast["program"], payload={"type": "x"})
    delivery = Delivery.objects.create(event=event, subscription=subscription)
    for _ in range(2):
        Delivery.objects.filter(pk=delivery.pk).update(status="retrying")
        services.delivery_attempt(delivery_id=delivery.pk)
    subscription.refresh_from_db()
    assert not subscription.is_active
    told = Notification.objects.filter(kind="webhooks")
    assert {n.user_id for n in told} == {cast["coordinator"].pk}
    notice = told.get()
    assert subscription.url in notice.body and "2 failed deliveries" in notice.body
    assert notice.url == f"/webhooks/{subscription.pk}/"
    # The other program's coordinator, the mentors and mentees hear nothing.
    assert not Notification.objects.filter(kind="webhooks", user=cast["other_coordinator"]).exists()
