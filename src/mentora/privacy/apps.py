from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mentora.privacy"
    label = "privacy"
    verbose_name = "Offboarding and privacy rights"
