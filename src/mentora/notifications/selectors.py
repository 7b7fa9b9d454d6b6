from django.db.models import Count, QuerySet

from mentora.core.db import CompiledOnce

from .models import Notification


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user, in_app=True)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at")


def unread_count(*, user) -> int:
    """The badge in every page's navigation: compiled once (_UNREAD)."""
    found = _UNREAD.rows(person=user.pk)
    return found[0][0] if found else 0


def _unread(*, person: int) -> QuerySet:
    """One row, (count,), for a person with unread notifications; none for a person with none."""
    return (Notification.objects.filter(user_id=person, in_app=True, read_at__isnull=True).order_by()
            .values("user_id").annotate(n=Count("pk")).values_list("n"))


_UNREAD = CompiledOnce(_unread)
