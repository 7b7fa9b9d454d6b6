from allauth.account.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def signup_open(context) -> bool:
    """Whether self-service sign-up is open (MENTORA_ALLOW_SIGNUPS), for pages that link to it."""
    request = context.get("request")
    return bool(request is not None and get_adapter(request).is_open_for_signup(request))
