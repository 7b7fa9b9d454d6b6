from django.apps import AppConfig


class IlpsConfig(AppConfig):
    name = "mentora.ilps"
    label = "ilps"
    verbose_name = "Individualized learning plans"
