from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentora.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (a password set from an emailed link confirms the address)
