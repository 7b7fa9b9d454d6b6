"""What the notifications app does when a lower app says something happened (see its signals)."""

from django.dispatch import receiver

from mentora.programs.services import invitation_notice
from mentora.programs.signals import membership_invited

from .services import notify


@receiver(membership_invited, dispatch_uid="notifications-membership-invited")
def tell_the_invited_person(sender, invitation, **kwargs) -> None:
    notify(user=invitation.user, **invitation_notice(invitation))
