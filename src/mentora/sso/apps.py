from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "mentora.sso"
    label = "sso"
    verbose_name = "Institutional single sign-on"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (confirmation email when an institution account is linked)
