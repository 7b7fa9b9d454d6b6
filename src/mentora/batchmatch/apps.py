from django.apps import AppConfig


class BatchmatchConfig(AppConfig):
    name = "mentora.batchmatch"
    label = "batchmatch"

    def ready(self) -> None:
        # Stored previews forget a withdrawn consent; in ready(): it imports models, which apps.py may not.
        from . import signals  # noqa: F401
