from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "mentora.core"
    label = "core"

    def ready(self) -> None:
        from . import data_version  # in ready(): it imports models, which apps.py may not at import time

        data_version.connect_signals()  # apps that act on a change of the figures' rows hear of it
        # The version's tables and triggers, after every migrate (a table rebuilt by a migration loses them).
        post_migrate.connect(data_version.install, sender=self, dispatch_uid="data-version-install")
