from allauth.account.signals import password_reset
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from mentora.programs.signals import membership_invitation_accepted


class DataioConfig(AppConfig):
    name = "mentora.dataio"
    label = "dataio"
    verbose_name = "Data in and out"

    def ready(self) -> None:
        # An invited person who chose their password or logged in has accepted the invitation.
        user_logged_in.connect(_accepted, dispatch_uid="mentora_account_invitation_login")
        password_reset.connect(_accepted, dispatch_uid="mentora_account_invitation_password")
        # An accepted program invitation that carried an external id (from an import) records it.
        membership_invitation_accepted.connect(_invitation_accepted, dispatch_uid="mentora_external_id_on_accept")


def _accepted(sender, *, user, **kwargs) -> None:
    # The services load when a signal arrives: they import models, and apps.py is imported before those load.
    from .services import account_invitations_accept

    account_invitations_accept(by=user)


def _invitation_accepted(sender, *, invitation, **kwargs) -> None:
    from .services import external_id_record  # see _accepted

    external_id_record(invitation=invitation)
