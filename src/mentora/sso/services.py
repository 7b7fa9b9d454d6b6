"""Writes to institutional sign-on configuration."""

from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import InstitutionSignOn, clean_email_domains


@transaction.atomic
def institution_sign_on_configure(
    *, institution, server_url: str, client_id: str, secret: str, email_domains: list[str] | None = None,
    allow_signup: bool = True, is_enabled: bool = True, name: str = "",
) -> InstitutionSignOn:
    """Create or update the OpenID Connect provider of an institution (one per institution).

    `email_domains` (at least one) are the domains the provider may assert; left out on an update,
    the institution keeps its list."""
    parts = urlsplit(server_url)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ValidationError({"server_url": "Give the provider's issuer URL, e.g. https://login.example.edu"})
    if not client_id.strip():
        raise ValidationError({"client_id": "The client id is required"})
    existing = InstitutionSignOn.objects.select_related("app").filter(institution=institution).first()
    if email_domains is None and existing:
        email_domains = existing.email_domains
    domains = clean_email_domains(email_domains or [])
    app = existing.app if existing else SocialApp(provider="openid_connect", provider_id=institution.slug)
    app.name = name or institution.name
    app.client_id = client_id.strip()
    app.secret = secret
    app.settings = {**(app.settings or {}), "server_url": server_url.rstrip("/")}
    app.save()
    if existing:
        existing.email_domains = domains
        existing.allow_signup = allow_signup
        existing.is_enabled = is_enabled
        existing.save(update_fields=["email_domains", "allow_signup", "is_enabled"])
        return existing
    return InstitutionSignOn.objects.create(
        institution=institution, app=app, email_domains=domains, allow_signup=allow_signup,
        is_enabled=is_enabled,
    )
