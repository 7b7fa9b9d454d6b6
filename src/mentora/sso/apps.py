from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "mentora.sso"
    label = "sso"
    verbose_name = "Institutional single sign-on"

    def ready(self) -> None:
        # Confirmation email when an institution account is linked; in ready(): it imports models, which apps.py may not.
        from . import signals  # noqa: F401
