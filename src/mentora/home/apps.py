from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "mentora.home"
    label = "home"

    def ready(self) -> None:
        # In ready(): both import models, which apps.py may not do at import time.
        from mentora.core import data_version, warmup

        from .tasks import WARMUP, coordinator_homes_warm_soon, coordinator_homes_warm_task

        data_version.on_change(coordinator_homes_warm_soon)
        warmup.register(coordinator_homes_warm_task, name=WARMUP)
