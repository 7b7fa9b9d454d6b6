from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mentora.core"
    label = "core"

    def ready(self) -> None:
        from . import data_version  # in ready(): it imports models, which apps.py may not at import time

        data_version.connect_signals()  # caches of figures move with the rows they read
