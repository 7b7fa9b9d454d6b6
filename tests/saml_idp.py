"""A real SAML 2.0 identity provider in the test process, for the SAML sign-on tests.

It reads Mentora's AuthnRequest (HTTP-Redirect binding: deflated, base64, in the query string) and
answers with a Response for the HTTP-POST binding, the assertion signed with XML-DSig (RSA-SHA256,
exclusive c14n) by signxml, an implementation independent of the xmlsec that Mentora's side
(python3-saml) verifies with. The key and the self-signed certificate are made with `cryptography`
for each test session. Its metadata is served over HTTP by pytest-httpserver (`saml_idp` fixture),
so "metadata by address" is tested as well as "metadata by file".

    idp = saml_idp  # fixture
    form = idp.answer(redirect_url, name_id="amara", attributes={MAIL: "amara@riverside.edu"})
    client.post(form.acs_url, form.data)

`sign=` chooses what is signed: "assertion" (default), "response", "both" or "none"; `key=` signs with
another key pair (a forged signature); `tamper=` edits the XML after signing.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import SignatureConstructionMethod, XMLSigner

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"


@dataclass
class KeyPair:
    key_pem: bytes
    cert_pem: bytes

    @classmethod
    def generate(cls, common_name: str) -> KeyPair:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .sign(key, hashes.SHA256())
        )
        return cls(
            key_pem=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()),
            cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        )

    @property
    def cert_body(self) -> str:
        return "".join(line for line in self.cert_pem.decode().splitlines() if "CERTIFICATE" not in line)


@dataclass
class PostForm:
    """What the identity provider's auto-submitting form posts to Mentora."""

    acs_url: str
    data: dict[str, str]
    xml: bytes


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _id() -> str:
    return "_" + uuid.uuid4().hex


class LocalIdentityProvider:
    def __init__(self, base_url: str = "https://idp.riverside.test"):
        self.base_url = base_url.rstrip("/")
        self.entity_id = f"{self.base_url}/idp/shibboleth"
        self.sso_url = f"{self.base_url}/idp/profile/SAML2/Redirect/SSO"
        self.keys = KeyPair.generate("idp.riverside.test")

    # --- metadata ------------------------------------------------------------------------------
    def metadata(self) -> str:
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="{MD}" xmlns:ds="{DS}" entityID="{self.entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
                       WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{self.keys.cert_body}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
                            Location="{self.sso_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""

    # --- the sign-on ---------------------------------------------------------------------------
    @staticmethod
    def read_request(redirect_url: str) -> dict[str, str]:
        """The AuthnRequest behind Mentora's redirect: its ID, issuer and assertion consumer address."""
        query = parse_qs(urlsplit(redirect_url).query)
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
        request = etree.fromstring(xml)
        assert request.tag == f"{{{SAMLP}}}AuthnRequest", request.tag
        return {
            "id": request.get("ID"),
            "acs_url": request.get("AssertionConsumerServiceURL"),
            "issuer": request.findtext(f"{{{SAML}}}Issuer"),
            "relay_state": query.get("RelayState", [""])[0],
            "destination": request.get("Destination"),
        }

    def answer(self, redirect_url: str, *, name_id: str, attributes: dict[str, str | list[str]],
               sign: str = "assertion", key: KeyPair | None = None, tamper=None,
               audience: str | None = None) -> PostForm:
        request = self.read_request(redirect_url)
        assert request["destination"] == self.sso_url
        xml = self.response_xml(
            in_response_to=request["id"], acs_url=request["acs_url"], audience=audience or request["issuer"],
            name_id=name_id, attributes=attributes, sign=sign, key=key or self.keys,
        )
        if tamper:
            xml = tamper(xml)
        data = {"SAMLResponse": base64.b64encode(xml).decode()}
        if request["relay_state"]:
            data["RelayState"] = request["relay_state"]
        return PostForm(acs_url=request["acs_url"], data=data, xml=xml)

    def response_xml(self, *, in_response_to: str, acs_url: str, audience: str, name_id: str,
                     attributes: dict, sign: str, key: KeyPair) -> bytes:
        now = dt.datetime.now(dt.UTC)
        later = now + dt.timedelta(minutes=5)
        response_id, assertion_id = _id(), _id()
        assertion = etree.Element(f"{{{SAML}}}Assertion", nsmap={"saml": SAML, "xs": XS, "xsi": XSI},
                                  ID=assertion_id, Version="2.0", IssueInstant=_instant(now))
        etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = self.entity_id
        if sign in {"assertion", "both"}:
            etree.SubElement(assertion, f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder")
        subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
        etree.SubElement(subject, f"{{{SAML}}}NameID",
                         Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent").text = name_id
        confirmation = etree.SubElement(subject, f"{{{SAML}}}SubjectConfirmation",
                                        Method="urn:oasis:names:tc:SAML:2.0:cm:bearer")
        etree.SubElement(confirmation, f"{{{SAML}}}SubjectConfirmationData", NotOnOrAfter=_instant(later),
                         Recipient=acs_url, InResponseTo=in_response_to)
        conditions = etree.SubElement(assertion, f"{{{SAML}}}Conditions",
                                      NotBefore=_instant(now - dt.timedelta(minutes=1)),
                                      NotOnOrAfter=_instant(later))
        restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
        etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
        statement = etree.SubElement(assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=_instant(now),
                                     SessionIndex=_id())
        context = etree.SubElement(statement, f"{{{SAML}}}AuthnContext")
        etree.SubElement(context, f"{{{SAML}}}AuthnContextClassRef").text = (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
        attribute_statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
        for name, values in attributes.items():
            attribute = etree.SubElement(attribute_statement, f"{{{SAML}}}Attribute", Name=name,
                                         NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri")
            for value in [values] if isinstance(values, str) else values:
                element = etree.SubElement(attribute, f"{{{SAML}}}AttributeValue")
                element.set(f"{{{XSI}}}type", "xs:string")
                element.text = value
        if sign in {"assertion", "both"}:
            assertion = self._sign(assertion, key)

        response = etree.Element(f"{{{SAMLP}}}Response", nsmap={"samlp": SAMLP, "saml": SAML},
                                 ID=response_id, Version="2.0", IssueInstant=_instant(now),
                                 Destination=acs_url, InResponseTo=in_response_to)
        etree.SubElement(response, f"{{{SAML}}}Issuer").text = self.entity_id
        if sign in {"response", "both"}:
            etree.SubElement(response, f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder")
        status = etree.SubElement(response, f"{{{SAMLP}}}Status")
        etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")
        response.append(assertion)
        if sign in {"response", "both"}:
            response = self._sign(response, key)
        return etree.tostring(response, xml_declaration=True, encoding="UTF-8")

    @staticmethod
    def _sign(element, key: KeyPair):
        signer = XMLSigner(
            method=SignatureConstructionMethod.enveloped, signature_algorithm="rsa-sha256",
            digest_algorithm="sha256", c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
        )
        return signer.sign(element, key=key.key_pem, cert=key.cert_pem.decode(), id_attribute="ID")


@pytest.fixture(scope="session")
def saml_idp_keys():
    return LocalIdentityProvider()


@pytest.fixture
def saml_idp(httpserver, saml_idp_keys):
    """The identity provider, its metadata served at {httpserver}/idp/metadata."""
    idp = saml_idp_keys
    idp.metadata_url = httpserver.url_for("/idp/metadata")
    httpserver.expect_request("/idp/metadata").respond_with_data(idp.metadata(),
                                                                 content_type="application/samlmetadata+xml")
    return idp


@pytest.fixture
def riverside_saml(db, saml_idp_keys):
    """Riverside's SAML sign-on, the identity provider given by its metadata document."""
    from mentora.sso.services import institution_sign_on_configure_saml
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory(name="Riverside Health Sciences", slug="riverside")
    return institution_sign_on_configure_saml(
        institution=institution, idp_metadata_xml=saml_idp_keys.metadata(), email_domains=["riverside.edu"],
    )
