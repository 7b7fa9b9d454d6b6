"""Pages where coordinators manage their programs' webhook subscriptions (admins: institutions' too)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentora.programs.models import Institution, Program

from . import permissions, selectors, services
from .events import EVENT_KINDS
from .models import Delivery, Subscription


class SubscriptionForm(forms.Form):
    scope = forms.ChoiceField(label="Events of")
    url = forms.URLField(label="Address that receives the events", max_length=500, assume_scheme="https",
                         help_text="Mentora POSTs each event here as JSON, signed (see the documentation).")
    event_kinds = forms.MultipleChoiceField(label="Events", choices=list(EVENT_KINDS.items()),
                                            widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(max_length=200, required=False, help_text="What receives them, e.g. “MedHub”.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"program:{p.pk}", p.name) for p in selectors.programs_for_webhooks(user=user)]
        choices += [(f"institution:{i.pk}", f"{i.name} (every program)")
                    for i in selectors.institutions_for_webhooks(user=user)]
        self.fields["scope"].choices = choices

    def scope_objects(self) -> tuple[Program | None, Institution | None]:
        kind, _, pk = self.cleaned_data["scope"].partition(":")
        if kind == "program":
            return Program.objects.get(pk=pk), None
        return None, Institution.objects.get(pk=pk)


def _manages_any(user) -> bool:
    return (selectors.programs_for_webhooks(user=user).exists()
            or selectors.institutions_for_webhooks(user=user).exists())


def _subscription(request, subscription_id: int) -> Subscription:
    subscription = get_object_or_404(Subscription.objects.select_related("program", "institution"),
                                     pk=subscription_id)
    if not permissions.can_manage_subscription(request.user, subscription):
        raise PermissionDenied
    return subscription


@login_required
def webhook_list(request):
    if not _manages_any(request.user):
        raise PermissionDenied
    form = SubscriptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        program, institution = form.scope_objects()
        try:
            subscription, secret = services.subscription_create(
                by=request.user, url=form.cleaned_data["url"], event_kinds=form.cleaned_data["event_kinds"],
                program=program, institution=institution, description=form.cleaned_data["description"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _detail(request, subscription, new_secret=secret, status=201)
    return render(request, "webhooks/list.html", {
        "form": form, "subscriptions": selectors.subscriptions_visible_to(user=request.user),
    }, status=422 if request.method == "POST" else 200)


def _detail(request, subscription: Subscription, *, new_secret: str | None = None, status: int = 200):
    wanted = request.GET.get("status", "")
    deliveries = selectors.deliveries_of(subscription=subscription,
                                         status=wanted if wanted in Delivery.Status.values else None)
    return render(request, "webhooks/detail.html", {
        "subscription": subscription, "deliveries": deliveries[:50], "new_secret": new_secret,
        "statuses": Delivery.Status.choices, "wanted": wanted,
        "kinds": [(kind, EVENT_KINDS[kind]) for kind in subscription.event_kinds if kind in EVENT_KINDS],
    }, status=status)


@login_required
def webhook_detail(request, subscription_id: int):
    return _detail(request, _subscription(request, subscription_id))


@login_required
@require_POST
def webhook_set_active(request, subscription_id: int, active: bool):
    subscription = services.subscription_set_active(subscription=_subscription(request, subscription_id),
                                                    by=request.user, active=active)
    messages.success(request, "The subscription is on." if subscription.is_active else "The subscription is off.")
    return redirect("webhooks:webhook_detail", subscription.pk)


@login_required
@require_POST
def webhook_rotate_secret(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    secret = services.subscription_rotate_secret(subscription=subscription, by=request.user)
    messages.success(request, "A new secret signs the deliveries from now on; the old one no longer does.")
    return _detail(request, subscription, new_secret=secret)


@login_required
@require_POST
def webhook_delete(request, subscription_id: int):
    services.subscription_delete(subscription=_subscription(request, subscription_id), by=request.user)
    messages.success(request, "The subscription is deleted.")
    return redirect("webhooks:webhook_list")


@login_required
@require_POST
def webhook_delivery_replay(request, delivery_id: int):
    delivery = get_object_or_404(Delivery.objects.select_related("subscription__program"), pk=delivery_id)
    if not permissions.can_manage_subscription(request.user, delivery.subscription):
        raise PermissionDenied
    try:
        services.delivery_replay(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The delivery is queued to be sent again.")
    return redirect("webhooks:webhook_detail", delivery.subscription_id)


