"""Reads about institutional sign-on."""

from urllib.parse import urlsplit

from django.db.models import QuerySet

from mentora.programs.models import Membership, Network

from .models import OIDC, PROTOCOLS, SAML, InstitutionSignOn


def sign_ons_enabled() -> QuerySet[InstitutionSignOn]:
    return InstitutionSignOn.objects.filter(is_enabled=True).select_related("institution", "app")


def sign_on_for_provider(*, provider_id: str) -> InstitutionSignOn | None:
    return (
        InstitutionSignOn.objects.select_related("institution", "app")
        .filter(app__provider__in=list(PROTOCOLS), app__provider_id=provider_id)
        .first()
    )


def identity_provider_origins(*, enabled_only: bool = True) -> list[str]:
    """Origins of the configured providers; the login pages' form-action must allow them
    (browsers apply a form's CSP form-action to the redirect that follows the POST). The console's
    "test sign-on" leads to a provider not switched on yet, so its pages ask for every one."""
    origins = set()
    sign_ons = sign_ons_enabled() if enabled_only else InstitutionSignOn.objects.all()
    for provider, settings in sign_ons.values_list("app__provider", "app__settings"):
        settings = settings or {}
        if provider == OIDC:
            url = settings.get("server_url", "")
        elif provider == SAML:
            url = (settings.get("idp") or {}).get("sso_url", "")
        else:
            continue
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def holds_staff_role(user) -> bool:
    """Site admin, Django staff, program coordinator or network coordinator: the accounts whose
    takeover would expose other people's records."""
    if user.is_staff or user.is_superuser:
        return True
    # Any academic year: a coordinator of last year is not vetted any less for it.
    staff_roles = [Membership.Role.COORDINATOR, Membership.Role.DIRECTOR]
    return (Membership.objects.filter(user=user, role__in=staff_roles).exists()
            or Network.objects.filter(coordinators=user).exists())
