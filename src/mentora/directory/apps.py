from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "mentora.directory"
    label = "directory"

    def ready(self) -> None:
        # Keeps the recommendation cache in step with the data; in ready(): it imports models, which apps.py may not.
        from mentora.core import warmup

        from . import signals  # noqa: F401
        from .tasks import WARMUP, mentor_side_warm_task

        warmup.register(mentor_side_warm_task, name=WARMUP)
