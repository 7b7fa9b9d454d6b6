from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import Notification, NotificationPreference

EXEMPT["notifications.EmailTemplate"] = "a program's wording of its emails (its editor is only recorded)"


@person_section("notifications", models=["notifications.Notification", "notifications.NotificationPreference"])
def notifications(user):
    return {
        "notices": rows(Notification.objects.filter(user=user), exclude=["user_id", "key"]),
        "preferences": rows(NotificationPreference.objects.filter(user=user), exclude=["id", "user_id"]),
    }
