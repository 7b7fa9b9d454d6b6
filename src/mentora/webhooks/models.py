"""Outbound webhooks: who is told (subscriptions), what happened (events) and each try to tell them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentora.core.links import WebLinkField

from .crypto import EncryptedSecretField


class Subscription(models.Model):
    """An address that receives events of one program, or of every program of one institution."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="webhook_subscriptions")
    institution = models.ForeignKey("programs.Institution", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="webhook_subscriptions")
    url = WebLinkField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    event_kinds = models.JSONField(default=list, help_text="The kinds of events (see events.EVENT_KINDS).")
    # The signing key (whsec_ + base64). Shown to its creator once; kept because every delivery is signed with
    # it, encrypted at rest (crypto.py): the column holds a Fernet token, the attribute the secret.
    secret = EncryptedSecretField()
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(institution__isnull=True))
                | (Q(program__isnull=True) & Q(institution__isnull=False)),
                name="webhook_subscription_program_or_institution",
            ),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.url} ({self.program or self.institution})"

    @property
    def scope(self):
        return self.program or self.institution


class Event(models.Model):
    """Something that happened in a program, recorded in the transaction that made it happen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"

    @property
    def message_id(self) -> str:
        """The `webhook-id`: the same on every try of this event, so receivers can drop duplicates."""
        return f"msg_{self.id.hex}"


class Delivery(models.Model):
    """One event for one subscription: sent until the receiver answers 2xx or the tries are spent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Failed, will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # While SENDING: until when the sender holds it (a sender that died is taken over after this).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once_per_subscription"),
        ]
        indexes = [models.Index(fields=["subscription", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription_id}: {self.status}"


class Attempt(models.Model):
    """One try of a delivery: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.at}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
