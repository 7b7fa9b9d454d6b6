from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentora.accounts"
    label = "accounts"

    def ready(self) -> None:
        # A password set from an emailed link confirms the address; in ready(): it imports models, which apps.py may not.
        from . import signals  # noqa: F401
