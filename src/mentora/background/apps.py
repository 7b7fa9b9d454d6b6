from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django_tasks.signals import task_finished


class BackgroundConfig(AppConfig):
    name = "mentora.background"
    label = "background"
    verbose_name = "Background work"

    def ready(self) -> None:
        from .services import task_retry_after_failure  # imports models: only once the registry is ready

        # After the worker records a failure, a task whose policy says retrying is safe is queued again.
        # Every app's tasks declare their retry policy and label when imported; the web process needs them too.
        autodiscover_modules("tasks")
        task_finished.connect(task_retry_after_failure, dispatch_uid="mentora_task_retry")
