from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentora.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Connects the receivers; in ready(): it imports models, which apps.py may not.
        from . import receivers  # noqa: F401
