"""SCIM 2.0 provisioning (/scim/v2/): its own API, for an institution's identity system with the
institution's bearer token. Nobody's session opens it, whatever their role: every row is 401 (the
token's own checks, and one institution never reaching another's records, are in tests/provisioning).
The console's provisioning pages (/console/provisioning/) are the site admin's only."""

from django.urls import reverse

from tests.trust.matrix import Row

ALL_401 = "401   401   401   401   401   401   401   401   401"


def _scim(name, **kwargs):
    return lambda c: reverse(f"scim:{name}", kwargs=kwargs or None)


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("scim:root", _scim("root"), ALL_401),
    Row("scim:search", _scim("search"), method="POST", data={}, expect=ALL_401),
    Row("scim:users", _scim("users"), ALL_401),
    Row("scim:users", _scim("users"), method="POST", data={"userName": "x"}, note="create", expect=ALL_401),
    Row("scim:users-search", _scim("users-search"), method="POST", data={}, expect=ALL_401),
    Row("scim:groups", _scim("groups"), ALL_401),
    Row("scim:groups", _scim("groups"), method="POST", data={"displayName": "x"}, note="create",
        expect=ALL_401),
    Row("scim:groups-search", _scim("groups-search"), method="POST", data={}, expect=ALL_401),
    Row("scim:me", _scim("me"), ALL_401),
    Row("scim:service-provider-config", _scim("service-provider-config"), ALL_401),
    Row("scim:resource-types", _scim("resource-types"), ALL_401),
    Row("scim:schemas", _scim("schemas"), ALL_401),
    Row("scim:bulk", _scim("bulk"), method="POST", data={}, expect=ALL_401),
    Row("scim:not-found", lambda c: "/scim/v2/Elsewhere", ALL_401),
]


# --- the console's provisioning pages: the site admin only ------------------------------------------

ADMIN_ONLY = "login 403   403   403   403   403   403   403   200"


def _institution(c):
    return c.program.institution.pk


ROWS += [
    Row("console:provisioning_list", lambda c: reverse("console:provisioning_list"), ADMIN_ONLY),
    Row("console:provisioning", lambda c: reverse("console:provisioning", args=[_institution(c)]), ADMIN_ONLY),
    Row("console:provisioning", lambda c: reverse("console:provisioning", args=[_institution(c)]), method="POST",
        data={"action": "token_create"}, note="token", expect=ADMIN_ONLY),
]
