from mentora.core.export_registry import person_section, rows

from .models import PrivacyEvent


@person_section("privacy_actions", models=["privacy.PrivacyEvent"])
def privacy_actions(user):
    return rows(PrivacyEvent.objects.filter(user=user))
