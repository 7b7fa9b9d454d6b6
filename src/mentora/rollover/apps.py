from django.apps import AppConfig


class RolloverConfig(AppConfig):
    name = "mentora.rollover"
    label = "rollover"
    verbose_name = "Academic-year rollover"
