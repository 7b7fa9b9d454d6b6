"""A confirmation notice (in the app and by email) whenever an institutional login is linked."""

from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from mentora.notifications.services import notify


@receiver(social_account_added)
def confirm_link(sender, request, sociallogin, **kwargs):
    account = sociallogin.account
    provider_name = getattr(getattr(sociallogin.provider, "app", None), "name", "") or account.provider
    notify(
        user=account.user, kind="privacy", key=f"sso-linked-{account.pk}",
        title=f"Your Mentora account is linked to {provider_name} sign-in",
        body=(f"You can now log in to Mentora through {provider_name}. If this was not you, remove the link "
              "under Account → Third-party accounts and change your password."),
        url="/accounts/3rdparty/",
    )
