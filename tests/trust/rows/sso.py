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


# --- the console's sign-on pages: the site admin only ----------------------------------------------


def _institution(c):
    return c.program.institution.pk


def _with_saml(c):
    _saml_metadata(c)  # a SAML sign-on of the program's institution
    return _institution(c)


ADMIN_ONLY = "login 403   403   403   403   403   403   403   200"

ROWS += [
    Row("console:signon_list", lambda c: reverse("console:signon_list"), ADMIN_ONLY),
    Row("console:signon_edit", lambda c: reverse("console:signon_edit", args=[_institution(c), "saml"]),
        ADMIN_ONLY),
    Row("console:signon_edit", lambda c: reverse("console:signon_edit", args=[_institution(c), "openid_connect"]),
        method="POST", data={"server_url": "not a url", "client_id": "", "email_domains": ""}, note="invalid",
        expect=ADMIN_ONLY),
    Row("console:signon_remove", lambda c: reverse("console:signon_remove", args=[_with_saml(c)]), method="POST",
        expect="login 403   403   403   403   403   403   403   302"),
    Row("console:signon_remove", lambda c: reverse("console:signon_remove", args=[_institution(c)]),
        note="read", expect="405   405   405   405   405   405   405   405   405"),
    Row("console:signon_test", lambda c: reverse("console:signon_test", args=[_institution(c)]), method="POST",
        note="no sign-on", expect="login 403   403   403   403   403   403   403   404"),
    Row("console:signon_test_result", lambda c: reverse("console:signon_test_result", args=[_institution(c)]),
        ADMIN_ONLY),
]
