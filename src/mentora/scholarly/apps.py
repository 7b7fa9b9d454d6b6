from django.apps import AppConfig


class ScholarlyConfig(AppConfig):
    name = "mentora.scholarly"
    label = "scholarly"
    verbose_name = "Scholarly projects"
