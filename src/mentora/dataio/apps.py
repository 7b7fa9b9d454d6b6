from django.apps import AppConfig


class DataioConfig(AppConfig):
    name = "mentora.dataio"
    label = "dataio"
    verbose_name = "Data in and out"

    def ready(self) -> None:
        from allauth.account.signals import password_reset
        from django.contrib.auth.signals import user_logged_in

        # An invited person who chose their password or logged in has accepted the invitation.
        user_logged_in.connect(_accepted, dispatch_uid="mentora_account_invitation_login")
        password_reset.connect(_accepted, dispatch_uid="mentora_account_invitation_password")


def _accepted(sender, *, user, **kwargs) -> None:
    from .services import account_invitations_accept

    account_invitations_accept(user=user)
