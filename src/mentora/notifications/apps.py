from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentora.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the receivers
