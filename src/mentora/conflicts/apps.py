from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "mentora.conflicts"
    label = "conflicts"
    verbose_name = "Conflicts of interest"
