"""Template helpers of the account menu and the account pages."""

from allauth.account.models import EmailAddress
from django import template

register = template.Library()


@register.simple_tag
def unverified_email(user) -> str:
    """The person's primary (or first) email address when none of theirs is verified yet, else ""."""
    if not getattr(user, "is_authenticated", False):
        return ""

    addresses = list(EmailAddress.objects.filter(user=user).order_by("-primary", "pk").values_list("email", "verified"))
    if any(verified for _email, verified in addresses):
        return ""
    return addresses[0][0] if addresses else (user.email or "")
