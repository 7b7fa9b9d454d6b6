"""Webhook subscriptions: a program's are managed by its coordinators and site admins; an institution's
(every program of it) by site admins only. Pages refuse with 403, the API answers 404 like a missing one."""

from django.urls import reverse

from mentora.webhooks.models import Delivery, Event, Subscription
from tests.trust.matrix import Row

URL = "https://rms.example.org/mentora-events"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _program_subscription(c) -> Subscription:
    return Subscription.objects.create(program=c.program, url=URL, event_kinds=["relationship.started"],
                                       secret=SECRET)


def _institution_subscription(c) -> Subscription:
    return Subscription.objects.create(institution=c.program.institution, url=URL + "/all",
                                       event_kinds=["relationship.started"], secret=SECRET)


def _delivery(subscription: Subscription) -> Delivery:
    event = Event.objects.create(kind="relationship.started", program=subscription.program, payload={"type": "x"})
    return Delivery.objects.create(event=event, subscription=subscription, status=Delivery.Status.FAILED, attempts=6)


def _page(name: str, make=_program_subscription):
    return lambda c: reverse(name, args=[make(c).pk])


def _api(suffix: str = "", make=_program_subscription):
    return lambda c: f"/api/webhooks/subscriptions/{make(c).pk}{suffix}"


def _new(c, *, institution: bool = False) -> dict:
    scope = {"institution_id": c.program.institution_id} if institution else {"program_id": c.program.pk}
    return {**scope, "url": URL, "event_kinds": ["relationship.started", "plan.signed_off"]}


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("webhooks:webhook_list", lambda c: (_program_subscription(c), reverse("webhooks:webhook_list"))[1], probe=lambda c: URL,
        note="a coordinator sees their programs' subscriptions only",
        expect="login 403   403   403   403   200+  200-  403   200+"),
    Row("webhooks:webhook_list", lambda c: reverse("webhooks:webhook_list"), method="POST",
        data=lambda c: {"scope": f"program:{c.program.pk}", "url": URL, "event_kinds": ["relationship.started"]},
        note="subscribe for a program: another program's coordinator cannot choose it",
        expect="login 403   403   403   403   201   422   403   201"),
    Row("webhooks:webhook_list", lambda c: reverse("webhooks:webhook_list"), method="POST",
        data=lambda c: {"scope": f"institution:{c.program.institution_id}", "url": URL,
                        "event_kinds": ["relationship.started"]},
        note="subscribe for an institution: site admins only",
        expect="login 403   403   403   403   422   422   403   201"),
    Row("webhooks:webhook_detail", _page("webhooks:webhook_detail"), expect="login 403   403   403   403   200   403   403   200"),
    Row("webhooks:webhook_detail", _page("webhooks:webhook_detail", _institution_subscription), note="an institution's",
        expect="login 403   403   403   403   403   403   403   200"),
    Row("webhooks:webhook_enable", _page("webhooks:webhook_enable"), method="POST",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("webhooks:webhook_enable", _page("webhooks:webhook_enable"), note="POST only",
        expect="login 405   405   405   405   405   405   405   405"),
    Row("webhooks:webhook_disable", _page("webhooks:webhook_disable"), method="POST",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("webhooks:webhook_disable", _page("webhooks:webhook_disable", _institution_subscription), method="POST", note="an institution's",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("webhooks:webhook_rotate_secret", _page("webhooks:webhook_rotate_secret"), method="POST",
        expect="login 403   403   403   403   200   403   403   200"),
    Row("webhooks:webhook_delete", _page("webhooks:webhook_delete"), method="POST",
        expect="login 403   403   403   403   302   403   403   302"),
    Row("webhooks:webhook_delivery_replay", lambda c: reverse("webhooks:webhook_delivery_replay", args=[_delivery(_program_subscription(c)).pk]),
        method="POST", expect="login 403   403   403   403   302   403   403   302"),
    Row("webhooks:webhook_delivery_replay",
        lambda c: reverse("webhooks:webhook_delivery_replay", args=[_delivery(_institution_subscription(c)).pk]),
        method="POST", note="an institution's", expect="login 403   403   403   403   403   403   403   302"),

    Row("GET /api/webhooks/event-kinds", lambda c: "/api/webhooks/event-kinds",
        "401   200   200   200   200   200   200   200   200"),
    Row("GET /api/webhooks/subscriptions", lambda c: (_program_subscription(c), "/api/webhooks/subscriptions")[1],
        probe=lambda c: URL, expect="401   200-  200-  200-  200-  200+  200-  200-  200+"),
    Row("POST /api/webhooks/subscriptions", lambda c: "/api/webhooks/subscriptions", data=_new,
        expect="401   403   403   403   403   201   403   403   201"),
    Row("POST /api/webhooks/subscriptions", lambda c: "/api/webhooks/subscriptions",
        data=lambda c: _new(c, institution=True), note="an institution's",
        expect="401   403   403   403   403   403   403   403   201"),
    Row("GET /api/webhooks/subscriptions/{subscription_id}", _api(),
        expect="401   404   404   404   404   200   404   404   200"),
    Row("GET /api/webhooks/subscriptions/{subscription_id}", _api(make=_institution_subscription),
        note="an institution's", expect="401   404   404   404   404   404   404   404   200"),
    Row("PATCH /api/webhooks/subscriptions/{subscription_id}", _api(), data={"description": "MedHub"},
        expect="401   404   404   404   404   200   404   404   200"),
    Row("DELETE /api/webhooks/subscriptions/{subscription_id}", _api(),
        expect="401   404   404   404   404   204   404   404   204"),
    Row("POST /api/webhooks/subscriptions/{subscription_id}/enable", _api("/enable"),
        expect="401   404   404   404   404   200   404   404   200"),
    Row("POST /api/webhooks/subscriptions/{subscription_id}/disable", _api("/disable"),
        expect="401   404   404   404   404   200   404   404   200"),
    Row("POST /api/webhooks/subscriptions/{subscription_id}/rotate-secret", _api("/rotate-secret"),
        expect="401   404   404   404   404   200   404   404   200"),
    Row("GET /api/webhooks/subscriptions/{subscription_id}/deliveries", _api("/deliveries"),
        expect="401   404   404   404   404   200   404   404   200"),
    Row("POST /api/webhooks/deliveries/{delivery_id}/replay",
        lambda c: f"/api/webhooks/deliveries/{_delivery(_program_subscription(c)).pk}/replay",
        expect="401   404   404   404   404   200   404   404   200"),
    Row("POST /api/webhooks/deliveries/{delivery_id}/replay",
        lambda c: f"/api/webhooks/deliveries/{_delivery(_institution_subscription(c)).pk}/replay",
        note="an institution's", expect="401   404   404   404   404   404   404   404   200"),
]
