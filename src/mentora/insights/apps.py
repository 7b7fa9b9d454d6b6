from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "mentora.insights"
    label = "insights"
    verbose_name = "Program insights"

    def ready(self) -> None:
        # In ready(): both import models, which apps.py may not do at import time.
        from django.contrib.auth.signals import user_logged_in

        from mentora.core import data_version, warmup

        from .tasks import WARMUP, dashboards_warm_at_sign_in, dashboards_warm_soon, dashboards_warm_task

        data_version.on_change(dashboards_warm_soon)
        warmup.register(dashboards_warm_task, name=WARMUP)
        user_logged_in.connect(dashboards_warm_at_sign_in, dispatch_uid="mentora_insights_warm_at_sign_in")
