"""Setting a password from an emailed link (an invitation or a reset) confirms that address."""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def confirm_address_on_password_reset(sender, request, user, **kwargs):
    EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=False).update(verified=True)
