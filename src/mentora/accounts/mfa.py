"""Multi-factor authentication enforced per role.

    MENTORA_MFA_REQUIRED_ROLES=admin,coordinator,network_coordinator   (environment; default: admin
    in production, nobody in development)

A person who holds one of these roles and has no authenticator is sent to set one up (pages) or
answered 403 (API, with a session or a personal access token alike) until they do. Logging out,
the account and MFA pages, static files and the health check stay reachable.

Acts that outlive the session (creating a personal access token) ask a person who has an
authenticator for a fresh code: see `second_factor_is_fresh`.
"""

import time

from allauth.account import app_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from mentora.core.problems import problem
from mentora.programs.selectors import user_roles

OPEN_PREFIXES = ("/accounts/", "/static/", "/health/", "/help/")


def mfa_required_for(user) -> bool:
    required = frozenset(getattr(settings, "MENTORA_MFA_REQUIRED_ROLES", ()))
    if not required or not user.is_authenticated:
        return False
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
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def mfa_missing(user) -> bool:
    """True when the person's role requires MFA and they have no authenticator: refuse them."""
    return mfa_required_for(user) and not has_mfa(user)


MFA_REQUIRED_DETAIL = "Your role requires two-factor authentication: set it up under Account first."


def second_factor_is_fresh(request) -> bool:
    """Whether this session proved the second factor within ACCOUNT_REAUTHENTICATION_TIMEOUT
    (at login or by reauthenticating); a password alone does not count."""
    now = time.time()
    return any(
        record.get("method") == "mfa" and now - record.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, request.user)
    )


def ask_for_second_factor(request):
    """Redirect to the authenticator code page; the request (a POST too) resumes after it."""
    return suspend_request(request, reverse("mfa_reauthenticate"))


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and mfa_missing(request.user):
            if request.path.startswith("/api/"):
                return problem(403, "Two-factor authentication required", MFA_REQUIRED_DETAIL)
            messages.warning(request, "Your role requires two-factor authentication. Set it up to continue.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)
