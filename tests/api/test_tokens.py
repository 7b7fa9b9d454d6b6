import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mentora.api.models import ApiToken
from mentora.api.tokens import hash_token, token_create
from tests.factories import UserFactory


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_token_is_stored_hashed_and_authenticates_as_its_owner(client):
    user = UserFactory(full_name="Ife Okafor")
    token, secret = token_create(by=user, name="script", scopes=["read"])
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.token_hash, stored.prefix) and stored.token_hash == hash_token(secret)
    assert stored.last_used_at is None
    response = client.get("/api/me", **bearer(secret))
    assert response.status_code == 200 and response.json()["full_name"] == "Ife Okafor"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


@pytest.mark.django_db
def test_unknown_revoked_and_expired_tokens_are_401(client):
    user = UserFactory()
    revoked, revoked_secret = token_create(by=user, name="old", scopes=["read"])
    expired, expired_secret = token_create(by=user, name="short", scopes=["read"], expires_in_days=1)
    client.force_login(user)
    assert client.post(f"/account/tokens/{revoked.pk}/revoke/").status_code == 302
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    anonymous = Client()
    for secret in (revoked_secret, expired_secret, "mnt_" + "x" * 43, "not-a-token"):
        response = anonymous.get("/api/me", **bearer(secret))
        assert response.status_code == 401, secret
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_deactivated_persons_token_is_401_and_a_live_token_costs_one_query(django_assert_num_queries):
    from mentora.api.tokens import token_authenticate

    user = UserFactory()
    token, secret = token_create(by=user, name="script", scopes=["read"])
    token_authenticate(secret=secret)  # records the use (a write at most once a minute)
    with django_assert_num_queries(1):
        assert token_authenticate(secret=secret).pk == token.pk
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert token_authenticate(secret=secret).pk == token.pk  # not yet expired
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert token_authenticate(secret=secret) is None
    assert Client().get("/api/me", **bearer(secret)).status_code == 401


@pytest.mark.django_db
def test_someone_else_cannot_revoke_my_token(client):
    owner, other = UserFactory(), UserFactory()
    token, secret = token_create(by=owner, name="mine", scopes=["read"])
    client.force_login(other)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert Client().get("/api/me", **bearer(secret)).status_code == 200


@pytest.mark.django_db
def test_scopes_are_checked_per_operation():
    user = UserFactory()
    _, write_only = token_create(by=user, name="w", scopes=["write"])
    _, read_only = token_create(by=user, name="r", scopes=["read"])
    anonymous = Client()
    response = anonymous.get("/api/me", **bearer(write_only))
    assert response.status_code == 403 and "'read' scope" in response.json()["detail"]
    assert anonymous.get("/api/me", **bearer(read_only)).status_code == 200


@pytest.mark.django_db
def test_token_writes_need_no_csrf_but_session_writes_do():
    user = UserFactory()
    victim, _ = token_create(by=user, name="victim", scopes=["read"])
    _, secret = token_create(by=user, name="rw", scopes=["read", "write"])
    session = Client(enforce_csrf_checks=True)
    session.force_login(user)
    response = session.delete(f"/api/tokens/{victim.pk}")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert ApiToken.objects.get(pk=victim.pk).revoked_at is None
    assert Client().delete(f"/api/tokens/{victim.pk}", **bearer(secret)).status_code == 204
    assert ApiToken.objects.get(pk=victim.pk).revoked_at is not None


@pytest.mark.django_db
def test_read_only_token_cannot_revoke():
    user = UserFactory()
    token, secret = token_create(by=user, name="r", scopes=["read"])
    response = Client().delete(f"/api/tokens/{token.pk}", **bearer(secret))
    assert response.status_code == 403 and "'write' scope" in response.json()["detail"]
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.django_db
def test_token_list_is_paginated_and_own_only():
    user, other = UserFactory(), UserFactory()
    for n in range(3):
        token_create(by=user, name=f"t{n}", scopes=["read"])
    token_create(by=other, name="theirs", scopes=["read"])
    _, secret = token_create(by=user, name="reader", scopes=["read"])
    body = Client().get("/api/tokens?limit=2&offset=0", **bearer(secret)).json()
    assert body["count"] == 4 and body["limit"] == 2 and len(body["items"]) == 2
    everything = Client().get("/api/tokens?limit=10", **bearer(secret)).json()["items"]
    assert "theirs" not in {item["name"] for item in everything}
    assert all("hash" not in key for item in everything for key in item)


@pytest.mark.django_db
def test_write_scope_is_needed_for_writes():
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from mentora.api.auth import token_auth

    user = UserFactory()
    _, secret = token_create(by=user, name="r", scopes=["read"])
    request = RequestFactory().delete("/api/x", HTTP_AUTHORIZATION=f"Bearer {secret}")
    with pytest.raises(PermissionDenied, match="'write' scope"):
        token_auth(request)


@pytest.mark.django_db
def test_token_page_shows_the_secret_once_then_only_the_prefix(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/account/tokens/", {"name": "reports", "scopes": ["read", "export"]})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("mnt_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.scopes == ["read", "export"] and token.name == "reports"
    again = client.get("/account/tokens/").content.decode()
    assert secret not in again and token.prefix in again


@pytest.mark.django_db
def test_token_form_rejects_no_scope_and_no_name(client):
    client.force_login(UserFactory())
    response = client.post("/account/tokens/", {"name": "", "scopes": []})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name", "scopes"}
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_page_needs_login(client):
    assert client.get("/account/tokens/").status_code == 302


@pytest.mark.django_db
def test_the_token_and_its_person_are_read_as_the_orm_reads_them():
    """token_authenticate builds both from one row of a query compiled once: every field as the ORM gives it."""
    from mentora.api.tokens import token_authenticate

    def fields(obj) -> dict:
        return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}

    people = [UserFactory(full_name="Ama Mensah", last_login=timezone.now()), UserFactory(preferred_name="Ife")]
    for person, scopes, days in ((people[0], ["read", "export"], 30), (people[1], ["write"], None)):
        token, secret = token_create(by=person, name=f"for {person.pk}", scopes=scopes, expires_in_days=days)
        found = token_authenticate(secret=secret)
        assert fields(found) == fields(ApiToken.objects.get(pk=token.pk))
        assert fields(found.user) == fields(type(person).objects.get(pk=person.pk))
        assert found.scopes == scopes and not found._state.adding and found.user._state.db == "default"
