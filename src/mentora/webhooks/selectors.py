"""Reads of webhook subscriptions and their delivery log."""

from django.db.models import Q, QuerySet

from mentora.programs.models import Institution, Program
from mentora.programs.selectors import user_roles

from .models import Delivery, Subscription


def subscriptions_visible_to(*, user) -> QuerySet[Subscription]:
    """The subscriptions a person manages: every one for a site admin, their programs' for a coordinator."""
    subscriptions = Subscription.objects.select_related("program", "institution").order_by("pk")
    roles = user_roles(user=user)
    if roles.is_admin:
        return subscriptions
    return subscriptions.filter(program_id__in=roles.coordinated_program_ids)


def programs_for_webhooks(*, user) -> QuerySet[Program]:
    roles = user_roles(user=user)
    programs = Program.objects.order_by("name")
    return programs if roles.is_admin else programs.filter(pk__in=roles.coordinated_program_ids)


def institutions_for_webhooks(*, user) -> QuerySet[Institution]:
    return Institution.objects.order_by("name") if user_roles(user=user).is_admin else Institution.objects.none()


def subscriptions_for_event(*, kind: str, program: Program) -> list[Subscription]:
    """The active subscriptions told about `kind` in `program`: its own and its institution's."""
    found = Subscription.objects.filter(
        Q(program=program) | Q(institution_id=program.institution_id), is_active=True,
    ).order_by("pk")
    # The kinds are a short JSON list: filtered here, so SQLite and PostgreSQL behave the same.
    return [subscription for subscription in found if kind in subscription.event_kinds]


def deliveries_of(*, subscription: Subscription, status: str | None = None) -> QuerySet[Delivery]:
    deliveries = subscription.deliveries.select_related("event").prefetch_related("attempt_log")
    return deliveries.filter(status=status) if status else deliveries
