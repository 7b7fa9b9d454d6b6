"""The person's account in their copy of their data (never the password hash)."""

from allauth.account.models import EmailAddress
from django.apps import apps

from mentora.core.export_registry import person_section


@person_section("account", models=["accounts.User"])
def account(user):
    return {
        "id": user.pk, "email": user.email, "full_name": user.full_name, "preferred_name": user.preferred_name,
        "date_joined": user.date_joined, "last_login": user.last_login, "is_active": user.is_active,
        "has_password": user.has_usable_password(),
    }


@person_section("email_addresses", models=["account.EmailAddress", "socialaccount.SocialAccount"])
def email_addresses(user):
    found = {"email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary"))}
    try:
        # optional: social accounts may be switched off
        from allauth.socialaccount.models import SocialAccount
    except (ImportError, RuntimeError):
        return found

    if apps.is_installed("allauth.socialaccount"):
        found["sign_on_accounts"] = list(SocialAccount.objects.filter(user=user).values(
            "provider", "uid", "date_joined", "last_login"))
    return found
