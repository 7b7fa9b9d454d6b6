"""The OpenAPI document is built once per code version and served from memory (mentora.api.document)."""

import pytest

from mentora.api import document
from mentora.config.api import api


@pytest.fixture
def builds(monkeypatch):
    """Forget the built documents and count every build from here on."""
    monkeypatch.setattr(document, "_built", {})
    calls = []
    build = api.get_openapi_schema

    def counting(**kwargs):
        calls.append(kwargs)
        return build(**kwargs)

    monkeypatch.setattr(api, "get_openapi_schema", counting)
    return calls


@pytest.mark.django_db
def test_the_document_is_built_once_and_then_served_from_memory(client, builds):
    first = client.get("/api/openapi.json")
    second = client.get("/api/openapi.json")
    assert first.status_code == second.status_code == 200
    assert len(builds) == 1
    assert first.content == second.content
    assert first.json()["info"]["version"] == api.version
    assert "/api/me" in first.json()["paths"]


@pytest.mark.django_db
def test_a_warmed_process_builds_nothing_on_requests(client, builds):
    document.warm(api)
    assert len(builds) == 1
    for _ in range(3):
        assert client.get("/api/openapi.json").status_code == 200
    assert len(builds) == 1


@pytest.mark.django_db
def test_an_unchanged_document_is_not_sent_again(client, builds):
    etag = client.get("/api/openapi.json")["ETag"]
    again = client.get("/api/openapi.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert len(builds) == 1


def test_the_key_is_the_version_and_the_operations():
    version, operations = document.code_version(api)
    assert version == api.version
    assert any(path == "/me" and "GET" in methods for path, methods, _name in operations)


@pytest.mark.django_db
def test_every_answer_names_the_api_version(client):
    assert client.get("/api/me")["Mentora-API-Version"] == api.version  # a 401 problem too
    assert client.get("/api/no-such-operation")["Mentora-API-Version"] == api.version
    assert client.get("/api/openapi.json")["Mentora-API-Version"] == api.version
