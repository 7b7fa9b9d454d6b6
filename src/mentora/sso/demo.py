"""Sign-on in the demo: the demo program's institution has a SAML 2.0 sign-on set up and switched off
(its identity provider is an example one), so the site admin finds it in the console with its form,
Mentora's metadata address and the "test sign-on" button."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from .services import institution_sign_on_configure_saml


def _example_certificate(host: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def generate(context) -> None:
    institution = context.demo_program.institution
    institution_sign_on_configure_saml(
        institution=institution, idp_entity_id="https://idp.example.edu/idp/shibboleth",
        idp_sso_url="https://idp.example.edu/idp/profile/SAML2/Redirect/SSO",
        idp_x509cert=_example_certificate("idp.example.edu"), email_domains=["example.org"],
        is_enabled=False,
    )
