"""SAML 2.0 details of an institution's sign-on: the attribute names Mentora reads by default, the
identity provider's metadata, and Mentora's own service-provider metadata.

The sign-in itself is django-allauth's SAML provider (on OneLogin's python3-saml, which checks
signatures with xmlsec): allauth already runs Mentora's OpenID Connect sign-on, so a SAML sign-in
goes through the same adapter (mentora.sso.adapter), the same domain allow-list and the same rule
that a staff account is never linked by its email address alone.
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.settings import OneLogin_Saml2_Settings

# Attribute names, most common first: the eduPerson / InCommon OIDs (Shibboleth, InCommon),
# then the claim URIs of Microsoft Entra ID (Azure AD) and ADFS, then the short names Okta and
# Google send unless told otherwise.
EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
SUBJECT_ID = "urn:oasis:names:tc:SAML:attribute:subject-id"
DEFAULT_ATTRIBUTES = {
    # The person's lasting identifier at the institution (eduPersonPrincipalName, subject-id); with
    # neither, the assertion's NameID.
    "uid": [EPPN, SUBJECT_ID, "eduPersonPrincipalName"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",  # mail
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email", "mail",
    ],
    "name": [
        "urn:oid:2.16.840.1.113730.3.1.241",  # displayName
        "http://schemas.microsoft.com/identity/claims/displayname",
        "urn:oid:2.5.4.3",  # cn
        "displayName", "name",
    ],
    "first_name": ["urn:oid:2.5.4.42", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                   "givenName", "firstName"],
    "last_name": ["urn:oid:2.5.4.4", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
                  "sn", "lastName"],
}
MAPPED_FIELDS = {"uid": "Person identifier (eduPersonPrincipalName)", "email": "Email", "name": "Name",
                 "first_name": "Given name", "last_name": "Family name"}


def clean_attribute_mapping(mapping: dict | None) -> dict[str, list[str]]:
    """The defaults, with each field the institution names replaced by its own attribute names."""
    cleaned = {key: list(names) for key, names in DEFAULT_ATTRIBUTES.items()}
    for key, names in (mapping or {}).items():
        if key not in MAPPED_FIELDS:
            raise ValidationError({"attribute_mapping": f"Mentora reads no attribute called {key!r}."})
        if isinstance(names, str):
            names = names.replace(",", "\n").splitlines()
        names = [name.strip() for name in names if name and name.strip()]
        if names:
            cleaned[key] = names
    return cleaned


def clean_certificate(text: str, field: str = "idp_x509cert") -> str:
    """The certificate's base64 body on one line (what python3-saml expects), from PEM or bare base64."""
    body = "".join(
        line.strip() for line in (text or "").strip().splitlines() if line.strip() and "CERTIFICATE" not in line
    )
    if not body:
        raise ValidationError({field: "Give the identity provider's signing certificate (PEM)."})
    try:
        x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
    except (ValueError, binascii.Error) as error:
        raise ValidationError({field: "This is not an X.509 certificate in PEM form."}) from error
    return body


def parse_idp_metadata(xml: str | bytes, entity_id: str = "") -> dict[str, str]:
    """entity_id, sso_url and x509cert from an identity provider's metadata document."""
    try:
        data = OneLogin_Saml2_IdPMetadataParser.parse(
            xml, required_sso_binding=OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            entity_id=entity_id or None,
        )
    except Exception as error:  # lxml / defusedxml errors of every kind: the file is not metadata
        raise ValidationError({"idp_metadata_xml": f"This is not SAML metadata: {error}"}) from error
    idp = data.get("idp") or {}
    cert = idp.get("x509cert") or ((idp.get("x509certMulti") or {}).get("signing") or [""])[0]
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    if not idp.get("entityId") or not sso_url:
        raise ValidationError({"idp_metadata_xml": "The metadata names no identity provider with a sign-on "
                                                   "address (HTTP-Redirect binding)."})
    if not cert:
        raise ValidationError({"idp_metadata_xml": "The metadata holds no signing certificate; Mentora "
                                                   "accepts only signed assertions."})
    return {"entity_id": idp["entityId"], "sso_url": sso_url, "x509cert": clean_certificate(cert)}


def fetch_idp_metadata(url: str, entity_id: str = "") -> dict[str, str]:
    try:
        xml = OneLogin_Saml2_IdPMetadataParser.get_metadata(url, timeout=10)
    except Exception as error:  # network errors of every kind
        raise ValidationError({"idp_metadata_url": f"Mentora could not read metadata at this address: {error}"}
                              ) from error
    try:
        return parse_idp_metadata(xml, entity_id)
    except ValidationError as error:
        raise ValidationError({"idp_metadata_url": error.message_dict["idp_metadata_xml"]}) from error


def sp_entity_id(slug: str) -> str:
    """Mentora's entity id for one institution: the address of its service-provider metadata."""
    return f"{settings.MENTORA_SITE_URL}{reverse('sso:saml_metadata', args=[slug])}"


def sp_metadata(slug: str) -> str:
    """Mentora's service-provider metadata for one institution, for its identity-provider team."""
    config = {
        "strict": True,
        "sp": {
            "entityId": sp_entity_id(slug),
            "assertionConsumerService": {
                "url": f"{settings.MENTORA_SITE_URL}{reverse('saml_acs', args=[slug])}",
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
            },
            "NameIDFormat": OneLogin_Saml2_Constants.NAMEID_UNSPECIFIED,
        },
        "security": {"wantAssertionsSigned": True, "authnRequestsSigned": False},
    }
    try:
        saml_settings = OneLogin_Saml2_Settings(settings=config, sp_validation_only=True)
    except OneLogin_Saml2_Error as error:  # pragma: no cover - the config above is always complete
        raise ValidationError(str(error)) from error
    return saml_settings.get_sp_metadata()
