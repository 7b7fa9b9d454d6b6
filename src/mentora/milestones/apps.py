from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "mentora.milestones"
    label = "milestones"
    verbose_name = "IMG milestones"
