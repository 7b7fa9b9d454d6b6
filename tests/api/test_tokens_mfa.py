"""Personal access tokens and required two-factor authentication.

A token must not be a side door around MENTORA_MFA_REQUIRED_ROLES: it works only while its owner,
if their role requires MFA, has an authenticator, and creating a token asks an MFA user for a fresh
second factor.
"""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client, override_settings
from django.urls import reverse

from mentora.api.models import ApiToken
from mentora.api.tokens import token_create
from tests.factories import PASSWORD


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _activate_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@override_settings(MENTORA_MFA_REQUIRED_ROLES=frozenset({"coordinator"}))
def test_token_of_a_coordinator_without_mfa_exports_nothing(cast):
    coordinator, program = cast["coordinator"], cast["program"]
    _token, secret = token_create(by=coordinator, name="reports", scopes=["read", "export"])
    export = f"/api/export/programs/{program.pk}"

    refused = Client().get(export, **bearer(secret))
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert "two-factor" in refused.json()["detail"].lower()
    assert Client().get("/api/me", **bearer(secret)).status_code == 403

    _activate_totp(coordinator)  # the same token works while the person has MFA
    assert Client().get(export, **bearer(secret)).status_code == 200

    Authenticator.objects.filter(user=coordinator).delete()  # and stops when they switch it off
    assert Client().get(export, **bearer(secret)).status_code == 403


@override_settings(MENTORA_MFA_REQUIRED_ROLES=frozenset({"coordinator"}))
def test_tokens_of_roles_that_need_no_mfa_keep_working(cast):
    _token, secret = token_create(by=cast["mentee_a"], name="mine", scopes=["read"])
    assert Client().get("/api/me", **bearer(secret)).status_code == 200


def test_creating_a_token_asks_an_mfa_user_for_a_fresh_second_factor(cast):
    person = cast["mentor_a"]
    totp_secret = _activate_totp(person)
    client = Client()
    client.force_login(person)  # a session with no recent second factor (as one hours old would be)

    asked = client.post("/account/tokens/", {"name": "reports", "scopes": ["read"]})
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.filter(user=person).exists()
    wrong = client.post(asked["Location"], {"code": "000000" if _code(totp_secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not ApiToken.objects.filter(user=person).exists()

    # Entering the code completes the suspended request: the token exists, its secret shown once.
    done = client.post(asked["Location"], {"code": _code(totp_secret)}, follow=True)
    assert done.status_code == 200
    token = ApiToken.objects.get(user=person)
    assert token.name == "reports" and done.context["new_secret"].startswith("mnt_")


def test_a_password_alone_is_not_a_fresh_second_factor(cast):
    person = cast["mentor_a"]
    _activate_totp(person)
    client = Client()
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    asked = client.post("/account/tokens/", {"name": "reports", "scopes": ["read"]})
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not ApiToken.objects.filter(user=person).exists()


def test_a_fresh_second_factor_is_not_asked_again(cast):
    person = cast["mentor_a"]
    totp_secret = _activate_totp(person)
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": _code(totp_secret)})
    response = client.post("/account/tokens/", {"name": "reports", "scopes": ["read"]})
    assert response.status_code == 200 and response.context["new_secret"]


def test_people_without_mfa_create_tokens_as_before(client, cast):
    client.force_login(cast["mentee_a"])
    response = client.post("/account/tokens/", {"name": "reports", "scopes": ["read"]})
    assert response.status_code == 200 and response.context["new_secret"]


@pytest.fixture(autouse=True)
def _clear_cache(db):
    from django.core.cache import cache

    cache.clear()  # TOTP codes are single-use: allauth remembers used ones in the cache
