"""Sign-on in the demo: the demo program's institution has a SAML 2.0 sign-on set up and switched off
(its identity provider is an example one), so the site admin finds it in the console with its form,
Mentora's metadata address and the "test sign-on" button."""

from .services import institution_sign_on_configure_saml

# The example identity provider's signing certificate (public; its private key was never kept): the same
# in every demo, so a seed gives the same demo.
EXAMPLE_CERTIFICATE = """\
-----BEGIN CERTIFICATE-----
MIICrTCCAZWgAwIBAgIBATANBgkqhkiG9w0BAQsFADAaMRgwFgYDVQQDDA9pZHAu
ZXhhbXBsZS5lZHUwHhcNMjYwMTAxMDAwMDAwWhcNNDYwMTAxMDAwMDAwWjAaMRgw
FgYDVQQDDA9pZHAuZXhhbXBsZS5lZHUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
ggEKAoIBAQCuUy6jlfN0nJWWv4EFk9v7nyqbbb2E2W5zPWbjYGgfayJks98NdZ1V
0uxnm8iJKa7BWz12Ox3ddlIWCvb4iqOLKsj7q6Iv/iRqoZJdV0cDu2fzTq0ZcEgO
yOpY62NxPqg4gZ6LNw+8aPQycoqCdfHZ+H9DDO+UMo25WDXl/Z4U3Zzj070mzDh+
QFMR44y8xaFBJSeTUtv7Tc2bepfqDJJW/njjruAV1uNvOkrnTZisI1pOvIOTv/mP
Z5x+4lZaDGSs6bMmuwnMAEfEp+qWKhnPjYCifqP9N+e7aA2fVZgiABQaxJZopC4i
T4E45aozuA2rK26n3FstY+mqhByEnuDrAgMBAAEwDQYJKoZIhvcNAQELBQADggEB
AH5VcvHbXxZ1ysavFgr54DsJ8tVou+maBFTvaBiZZalbHqU2OyTcf2ilw4o7O2eu
wLAgLZB9/jxwAtvDNq5UHqyT0IDuzrGCiBWbY/oUUe/wph3SCGI1yvZogqo+hgtL
frNZNnHlC//opWibM8Ah4HlXzhVkBWYCk1Ltz1/zjxw95KqMY6mLcLJSVV5Kzt+R
lBPo1cVG9HgDUjxO4uB6tnfu28kYAfwLwipjw8a7pzaZvXNIx+wTBOjLvBYjFknZ
MXjvq1O+DcAhGy0NJ/RoKBV6gcb7aD+ZyryEiwizauubxT55E/Fdi106mZS+aj6I
msBoNzO71/1Xw+UHQPS2m4o=
-----END CERTIFICATE-----
"""


def generate(context) -> None:
    institution = context.demo_program.institution
    institution_sign_on_configure_saml(
        institution=institution, idp_entity_id="https://idp.example.edu/idp/shibboleth",
        idp_sso_url="https://idp.example.edu/idp/profile/SAML2/Redirect/SSO",
        idp_x509cert=EXAMPLE_CERTIFICATE, email_domains=["example.org"],
        is_enabled=False,
    )
