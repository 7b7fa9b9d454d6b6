from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "mentora.directory"
    label = "directory"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - keeps the recommendation cache in step with the data
