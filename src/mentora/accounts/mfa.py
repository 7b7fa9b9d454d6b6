"""Multi-factor authentication enforced per role.

    MENTORA_MFA_REQUIRED_ROLES=admin,coordinator,network_coordinator   (environment; default: admin
    in production, nobody in development)

A person who holds one of these roles and has no authenticator is sent to set one up (pages) or
answered 403 (API) until they do. Logging out, the account and MFA pages, static files and the
health check stay reachable.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

OPEN_PREFIXES = ("/accounts/", "/static/", "/health/", "/help/")


def mfa_required_for(user) -> bool:
    required = frozenset(getattr(settings, "MENTORA_MFA_REQUIRED_ROLES", ()))
    if not required or not user.is_authenticated:
        return False
    from mentora.programs.selectors import user_roles

    roles = user_roles(user=user)
    held = {
        "admin": roles.is_admin or user.is_staff,
        "coordinator": roles.is_coordinator,
        "network_coordinator": roles.is_network_coordinator,
        "mentor": roles.is_mentor,
        "mentee": roles.is_mentee,
    }
    return any(held[role] for role in required)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and mfa_required_for(request.user) and not has_mfa(request.user):
            if request.path.startswith("/api/"):
                from mentora.api.problems import problem

                return problem(403, "Two-factor authentication required",
                               "Your role requires two-factor authentication: set it up under Account first.")
            messages.warning(request, "Your role requires two-factor authentication. Set it up to continue.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)
