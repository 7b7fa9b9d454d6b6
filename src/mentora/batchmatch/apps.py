from django.apps import AppConfig


class BatchmatchConfig(AppConfig):
    name = "mentora.batchmatch"
    label = "batchmatch"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - stored previews forget a withdrawn consent
