"""API authentication: the browser session (CSRF checked on writes) or a personal access token.

    Authorization: Bearer mnt_...

A token acts as its owner with the same permission rules as the pages, further limited by its
scopes: safe methods (GET, HEAD, OPTIONS) need `read`, every other method needs `write`, and an
operation may ask for more with `require_scope(request, "export")`. Session users have every scope.
A token of a person whose role requires two-factor authentication works only while they have an
authenticator (the same rule as their session, see mentora.accounts.mfa).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from mentora.accounts.mfa import MFA_REQUIRED_DETAIL, mfa_missing

from .tokens import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = token_authenticate(secret=token.strip())
        if api_token is None:
            return None
        request.api_token = api_token
        request.user = api_token.user  # so code reading request.user sees the token's owner too
        if mfa_missing(api_token.user):
            raise PermissionDenied(MFA_REQUIRED_DETAIL)
        require_scope(request, "read" if request.method in SAFE_METHODS else "write")
        return api_token.user


def require_scope(request: HttpRequest, scope: str) -> None:
    """Raise 403 when the request came with a token that lacks `scope` (sessions have all scopes)."""
    api_token = getattr(request, "api_token", None)
    if api_token is not None and scope not in api_token.scopes:
        raise PermissionDenied(f"This token lacks the '{scope}' scope.")


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
API_AUTH = [token_auth, session_auth]
