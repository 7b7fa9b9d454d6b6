"""Writes to institutional sign-on configuration."""

import secrets as _secrets
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mentora.audit.services import admin_action_record
from mentora.core.errors import StateConflict

from . import saml
from .models import OIDC, PROTOCOLS, SAML, InstitutionSignOn, clean_email_domains
from .permissions import can_manage_sign_on


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


# --- the site admin's writes (console): checked, and recorded in the audit log ----------------------


def _check(by) -> None:
    if not can_manage_sign_on(by):
        raise PermissionDenied("Only a site admin sets up sign-on.")


def _audit(by, action: str, sign_on: InstitutionSignOn) -> None:
    settings = dict(sign_on.app.settings or {})
    details = {"protocol": sign_on.protocol, "email_domains": sign_on.email_domains,
               "allow_signup": sign_on.allow_signup, "is_enabled": sign_on.is_enabled}
    if sign_on.protocol == OIDC:
        details.update({"server_url": settings.get("server_url"), "client_id": sign_on.app.client_id})
    else:
        idp = settings.get("idp") or {}
        details.update({"idp_entity_id": idp.get("entity_id"), "idp_metadata_url": idp.get("metadata_url"),
                        "attribute_mapping": settings.get("attribute_mapping")})
    admin_action_record(by=by, action=action, target=sign_on.institution, details=details)


@transaction.atomic
def sign_on_save_oidc(*, institution, by, secret: str = "", **fields) -> InstitutionSignOn:
    """The console's OpenID Connect form; an empty secret keeps the stored one."""
    _check(by)
    existing = InstitutionSignOn.objects.filter(institution=institution, app__provider=OIDC).select_related(
        "app").first()
    if not secret and existing is None:
        raise ValidationError({"secret": "Give the client secret."})
    sign_on = institution_sign_on_configure(institution=institution, secret=secret or existing.app.secret,
                                            **fields)
    _audit(by, "signon.oidc_save", sign_on)
    return sign_on


@transaction.atomic
def sign_on_save_saml(*, institution, by, **fields) -> InstitutionSignOn:
    _check(by)
    sign_on = institution_sign_on_configure_saml(institution=institution, **fields)
    _audit(by, "signon.saml_save", sign_on)
    return sign_on


@transaction.atomic
def sign_on_remove(*, institution, by) -> None:
    """The institution's sign-on is removed; people keep their accounts and passwords, their links to
    the institution's provider go with it."""
    _check(by)
    sign_on = InstitutionSignOn.objects.select_related("app", "institution").filter(institution=institution).first()
    if sign_on is None:
        return
    _audit(by, "signon.remove", sign_on)
    sign_on.app.delete()  # the sign-on and the provider's account links go with it


def sign_on_test_start(*, request, sign_on: InstitutionSignOn, by):
    """Start a sign-in at the institution's provider as a test: when it comes back, the adapter shows the
    site admin what the provider sent and what Mentora would do, and signs nobody in (returns the
    redirect to the provider)."""
    _check(by)
    nonce = _secrets.token_urlsafe(16)
    request.session[TEST_SESSION_KEY] = {"nonce": nonce, "provider_id": sign_on.app.provider_id,
                                         "institution_id": sign_on.institution_id}

    admin_action_record(by=by, action="signon.test", target=sign_on.institution, details={})
    provider = sign_on.app.get_provider(request)
    return provider.redirect(request, AuthProcess.LOGIN, next_url=None, data={TEST_STATE_KEY: nonce})


TEST_SESSION_KEY = "mentora_sign_on_test"
TEST_STATE_KEY = "sign_on_test"
TEST_RESULT_KEY = "mentora_sign_on_test_result"
