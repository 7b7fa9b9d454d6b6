"""The invitation an imported person receives: a link to set their password (allauth's reset link)."""

from django.conf import settings
from django.urls import reverse

from mentora.notifications.services import notify


def password_set_url(user) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    return f"{settings.MENTORA_SITE_URL}{path}"


def invite(*, user, program) -> bool:
    """Record (and email) the invitation once per person and program; False if it was sent before."""
    body = (
        f"{program.name} added you to Mentora, the mentorship platform for International Medical Graduates.\n\n"
        f"Choose your password to log in (the link works for a few days): {password_set_url(user)}\n\n"
        f"If the link has expired, ask for a new one at {settings.MENTORA_SITE_URL}{reverse('account_reset_password')}"
    )
    notification = notify(
        user=user, kind="invitation", key=f"invitation:program:{program.pk}",
        title=f"You are invited to Mentora by {program.name}", body=body, url=reverse("account_reset_password"),
    )
    return notification is not None
