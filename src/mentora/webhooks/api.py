"""Webhook subscriptions and their delivery log in the REST API (the same services and rules as the pages)."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from mentora.api.pagination import paginated
from mentora.core.links import WebLink
from mentora.programs.models import Institution, Program

from . import permissions, selectors, services
from .events import EVENT_KINDS
from .models import Delivery, Subscription

router = Router(tags=["webhooks"])


class EventKindOut(Schema):
    kind: str
    description: str


class SubscriptionOut(Schema):
    id: int
    program_id: int | None
    institution_id: int | None
    url: str
    description: str
    event_kinds: list[str]
    is_active: bool
    disabled_at: datetime.datetime | None
    disabled_reason: str
    consecutive_failures: int
    created_at: datetime.datetime


class SubscriptionWithSecretOut(SubscriptionOut):
    secret: str = Field(description="The signing secret (whsec_…). Shown only in this answer: keep it now.")


class SubscriptionIn(Schema):
    program_id: int | None = None
    institution_id: int | None = None
    url: WebLink = Field(max_length=500)
    event_kinds: list[str]
    description: str = Field("", max_length=200)


class SubscriptionChange(Schema):
    url: WebLink = Field("", max_length=500, description="A new receiving address; empty or left out: unchanged")
    event_kinds: list[str] | None = None
    description: str | None = Field(None, max_length=200)


class SubscriptionFilters(Schema):
    program_id: int | None = None
    institution_id: int | None = None
    is_active: bool | None = None


class AttemptOut(Schema):
    at: datetime.datetime
    status_code: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_kind: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime
    payload: dict
    log: list[AttemptOut]

    @staticmethod
    def resolve_event_id(delivery: Delivery) -> str:
        return delivery.event.message_id

    @staticmethod
    def resolve_event_kind(delivery: Delivery) -> str:
        return delivery.event.kind

    @staticmethod
    def resolve_payload(delivery: Delivery) -> dict:
        return delivery.event.payload

    @staticmethod
    def resolve_log(delivery: Delivery) -> list:
        return list(delivery.attempt_log.all())


class DeliveryFilters(Schema):
    status: Literal["pending", "sending", "retrying", "delivered", "failed"] | None = None


def _subscription(request, subscription_id: int) -> Subscription:
    subscription = get_object_or_404(Subscription.objects.select_related("program", "institution"),
                                     pk=subscription_id)
    if not permissions.can_manage_subscription(request.auth, subscription):
        raise Http404  # like a missing one
    return subscription


@router.get("/event-kinds", response=list[EventKindOut], summary="The kinds of events a subscription can ask for")
def event_kinds(request):
    return [{"kind": kind, "description": description} for kind, description in EVENT_KINDS.items()]


@router.get("/subscriptions", response=list[SubscriptionOut], summary="The subscriptions you manage")
@paginated
def subscription_list(request, filters: Query[SubscriptionFilters]):
    subscriptions = selectors.subscriptions_visible_to(user=request.auth)
    if filters.program_id is not None:
        subscriptions = subscriptions.filter(program_id=filters.program_id)
    if filters.institution_id is not None:
        subscriptions = subscriptions.filter(institution_id=filters.institution_id)
    if filters.is_active is not None:
        subscriptions = subscriptions.filter(is_active=filters.is_active)
    return subscriptions


@router.post("/subscriptions", response={201: SubscriptionWithSecretOut},
             summary="Subscribe an address to events of a program or an institution (the secret is shown once)")
def subscription_create(request, payload: SubscriptionIn):
    program = institution = None
    if payload.program_id is not None:
        program = Program.objects.filter(pk=payload.program_id).first()
        if program is None:
            raise ValidationError({"program_id": "No such program."})
    if payload.institution_id is not None:
        institution = Institution.objects.filter(pk=payload.institution_id).first()
        if institution is None:
            raise ValidationError({"institution_id": "No such institution."})
    subscription, secret = services.subscription_create(
        by=request.auth, url=payload.url, event_kinds=payload.event_kinds, program=program,
        institution=institution, description=payload.description)
    return 201, {**SubscriptionOut.from_orm(subscription).dict(), "secret": secret}


@router.get("/subscriptions/{subscription_id}", response=SubscriptionOut, summary="A subscription")
def subscription_detail(request, subscription_id: int):
    return _subscription(request, subscription_id)


@router.patch("/subscriptions/{subscription_id}", response=SubscriptionOut, summary="Change a subscription")
def subscription_update(request, subscription_id: int, payload: SubscriptionChange):
    changes = payload.dict()
    changes["url"] = changes["url"] or None  # empty: keep the current address
    return services.subscription_update(subscription=_subscription(request, subscription_id), by=request.auth,
                                        **changes)


@router.delete("/subscriptions/{subscription_id}", response={204: None}, summary="Delete a subscription")
def subscription_delete(request, subscription_id: int):
    services.subscription_delete(subscription=_subscription(request, subscription_id), by=request.auth)
    return 204, None


@router.post("/subscriptions/{subscription_id}/enable", response=SubscriptionOut,
             summary="Switch a subscription on (again)")
def subscription_enable(request, subscription_id: int):
    return services.subscription_set_active(subscription=_subscription(request, subscription_id),
                                            by=request.auth, active=True)


@router.post("/subscriptions/{subscription_id}/disable", response=SubscriptionOut,
             summary="Switch a subscription off")
def subscription_disable(request, subscription_id: int):
    return services.subscription_set_active(subscription=_subscription(request, subscription_id),
                                            by=request.auth, active=False)


@router.post("/subscriptions/{subscription_id}/rotate-secret", response=SubscriptionWithSecretOut,
             summary="Replace the signing secret (the new one is shown once)")
def subscription_rotate_secret(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    secret = services.subscription_rotate_secret(subscription=subscription, by=request.auth)
    return {**SubscriptionOut.from_orm(subscription).dict(), "secret": secret}


@router.get("/subscriptions/{subscription_id}/deliveries", response=list[DeliveryOut],
            summary="The delivery log of a subscription, newest first")
@paginated
def delivery_list(request, subscription_id: int, filters: Query[DeliveryFilters]):
    subscription = _subscription(request, subscription_id)
    return selectors.deliveries_of(subscription=subscription, status=filters.status)


@router.post("/deliveries/{delivery_id}/replay", response=DeliveryOut, summary="Send a delivery again")
def delivery_replay(request, delivery_id: int):
    delivery = get_object_or_404(Delivery.objects.select_related("subscription__program", "event"), pk=delivery_id)
    if not permissions.can_manage_subscription(request.auth, delivery.subscription):
        raise Http404
    return services.delivery_replay(delivery=delivery, by=request.auth)
