from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "mentora.directory"
    label = "directory"

    def ready(self) -> None:
        # Keeps the recommendation cache in step with the data; in ready(): it imports models, which apps.py may not.
        from . import signals  # noqa: F401
