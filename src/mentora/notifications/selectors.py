from django.db.models import QuerySet

from .models import Notification


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user, in_app=True)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at")


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()
