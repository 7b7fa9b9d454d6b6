from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "mentora.insights"
    label = "insights"
    verbose_name = "Program insights"

    def ready(self) -> None:
        from .version import connect_signals

        connect_signals()
