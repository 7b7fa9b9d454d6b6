"""Lets the login pages' forms lead to the institutions' identity providers under our CSP."""

from .selectors import identity_provider_origins


class IdentityProviderFormActionMiddleware:
    """Adds the configured providers' origins to form-action on /accounts/ pages and the console's
    sign-on pages (whose "test sign-on" form leads to the provider) only.

    Placed after csp.middleware.CSPMiddleware so that its response hook runs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/accounts/", "/console/sign-on/")) and "html" in response.get(
                "Content-Type", ""):
            origins = identity_provider_origins(enabled_only=request.path.startswith("/accounts/"))
            if origins:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = list(update.get("form-action", [])) + origins
                response._csp_update = update
        return response
