"""Institutional sign-on: Mentora's SAML service-provider metadata (public by nature: the
institution's identity-provider team loads it). The sign-in routes themselves are allauth's, under
/accounts/ (left out of the matrix with their reason in matrix.py)."""

from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from mentora.sso.models import InstitutionSignOn
from tests.trust.matrix import Row


def _saml_metadata(c):
    institution = c.program.institution
    app = SocialApp.objects.create(provider="saml", provider_id=institution.slug, client_id=institution.slug,
                                   name=institution.name, settings={})
    InstitutionSignOn.objects.create(institution=institution, app=app, email_domains=["riverside.edu"],
                                     is_enabled=False)
    return reverse("sso:saml_metadata", args=[institution.slug])


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("sso:saml_metadata", _saml_metadata,
        "200   200   200   200   200   200   200   200   200"),
    Row("sso:saml_metadata", lambda c: reverse("sso:saml_metadata", args=["no-such-institution"]),
        note="unknown", expect="404   404   404   404   404   404   404   404   404"),
    Row("sso:saml_metadata", _saml_metadata, method="POST", note="read-only",
        expect="405   405   405   405   405   405   405   405   405"),
]
