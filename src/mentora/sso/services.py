"""Writes to institutional sign-on configuration."""

from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction

from mentora.core.errors import StateConflict

from . import saml
from .models import OIDC, PROTOCOLS, SAML, InstitutionSignOn, clean_email_domains


def _existing(institution, protocol: str) -> InstitutionSignOn | None:
    existing = (InstitutionSignOn.objects.select_for_update().select_related("app")
                .filter(institution=institution).first())
    if existing and existing.app.provider != protocol:
        raise StateConflict(
            f"{institution.name} signs in through {PROTOCOLS.get(existing.app.provider, existing.app.provider)}"
            f" already; remove that sign-on first to set up {PROTOCOLS[protocol]}."
        )
    return existing


def _save(existing, app, institution, email_domains, allow_signup, is_enabled) -> InstitutionSignOn:
    if email_domains is None and existing:
        email_domains = existing.email_domains
    domains = clean_email_domains(email_domains or [])
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
    existing = _existing(institution, OIDC)
    app = existing.app if existing else SocialApp(provider=OIDC, provider_id=institution.slug)
    app.name = name or institution.name
    app.client_id = client_id.strip()
    app.secret = secret
    app.settings = {**(app.settings or {}), "server_url": server_url.rstrip("/")}
    return _save(existing, app, institution, email_domains, allow_signup, is_enabled)


@transaction.atomic
def institution_sign_on_configure_saml(
    *, institution, idp_entity_id: str = "", idp_sso_url: str = "", idp_x509cert: str = "",
    idp_metadata_url: str = "", idp_metadata_xml: str | bytes = "", attribute_mapping: dict | None = None,
    email_domains: list[str] | None = None, allow_signup: bool = True, is_enabled: bool = True, name: str = "",
) -> InstitutionSignOn:
    """Create or update the SAML 2.0 identity provider of an institution (one sign-on per institution).

    The identity provider is given one of three ways: its metadata address (`idp_metadata_url`, read now
    to check it, and again by the sign-in, cached for four hours), its metadata document
    (`idp_metadata_xml`, an uploaded file), or its entity id, sign-on address and signing certificate.
    Assertions must be signed with that certificate. `attribute_mapping` names, per field (uid, email,
    name, first_name, last_name), the attributes to read, first found wins; fields left out keep the
    eduPerson / Entra ID defaults of mentora.sso.saml."""
    existing = _existing(institution, SAML)
    # the domains first: a wrong list fails before the identity provider's metadata is fetched
    clean_email_domains(email_domains if email_domains is not None else (existing.email_domains if existing else []))
    idp_metadata_url = (idp_metadata_url or "").strip()
    if idp_metadata_url:
        parts = urlsplit(idp_metadata_url)
        if parts.scheme not in {"https", "http"} or not parts.netloc:
            raise ValidationError({"idp_metadata_url": "Give the address of the identity provider's metadata, "
                                                       "e.g. https://idp.example.edu/idp/shibboleth"})
        found = saml.fetch_idp_metadata(idp_metadata_url, idp_entity_id.strip())
        idp = {**found, "metadata_url": idp_metadata_url}
    elif idp_metadata_xml:
        idp = saml.parse_idp_metadata(idp_metadata_xml, idp_entity_id.strip())
    else:
        parts = urlsplit(idp_sso_url.strip())
        errors = {}
        if not idp_entity_id.strip():
            errors["idp_entity_id"] = "Give the identity provider's entity id (or its metadata)."
        if parts.scheme not in {"https", "http"} or not parts.netloc:
            errors["idp_sso_url"] = "Give the identity provider's sign-on address (HTTP-Redirect binding)."
        try:
            cert = saml.clean_certificate(idp_x509cert)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
        if errors:
            raise ValidationError(errors)
        idp = {"entity_id": idp_entity_id.strip(), "sso_url": idp_sso_url.strip(), "x509cert": cert}
    mapping = saml.clean_attribute_mapping(attribute_mapping)
    app = existing.app if existing else SocialApp(provider=SAML, provider_id=institution.slug,
                                                  client_id=institution.slug)
    app.name = name or institution.name
    app.settings = {
        "idp": idp,
        "attribute_mapping": mapping,
        "sp": {"entity_id": saml.sp_entity_id(app.client_id)},
        # Signed assertions only (python3-saml refuses a response with no signature at all; this also
        # refuses a signed response around an unsigned assertion); no sign-in the provider starts by itself.
        "advanced": {"strict": True, "want_assertion_signed": True, "reject_idp_initiated_sso": True},
    }
    return _save(existing, app, institution, email_domains, allow_signup, is_enabled)
