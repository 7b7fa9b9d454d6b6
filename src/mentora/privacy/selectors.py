from django.db.models import QuerySet

from mentora.core.academic_year import current_academic_year
from mentora.profiles.models import SensitiveAttributes
from mentora.programs.models import Membership

from .models import PrivacyEvent


def privacy_overview(*, user) -> dict:
    return {
        "memberships": list(
            Membership.objects.filter(user=user, academic_year__gte=current_academic_year(), is_active=True)
            .select_related("program").order_by("program__name")
        ),
        "has_sensitive": SensitiveAttributes.objects.filter(user=user).exists(),
        "events": list(privacy_events_of(user=user)[:20]),
    }


def privacy_events_of(*, user) -> QuerySet[PrivacyEvent]:
    return PrivacyEvent.objects.filter(user=user).select_related("program")
