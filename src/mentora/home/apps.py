from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "mentora.home"
    label = "home"

    def ready(self) -> None:
        # In ready(): both import models, which apps.py may not do at import time.
        from mentora.core import data_version

        from .tasks import coordinator_homes_warm_soon

        data_version.on_change(coordinator_homes_warm_soon)
