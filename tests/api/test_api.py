import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Mentora API"
    assert "/api/me" in document["paths"]


@pytest.mark.django_db
def test_docs_use_local_assets_only(client):
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_anonymous_gets_a_problem_document(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not authenticated"


@pytest.mark.django_db
def test_me(client):
    user = UserFactory(full_name="Ama Mensah")
    client.force_login(user)
    assert client.get("/api/me").json()["full_name"] == "Ama Mensah"


def test_profile_api_uses_the_same_permission_as_the_page(client, cast):
    client.force_login(cast["mentee_b"])
    assert client.get(f"/people/{cast['mentee_a'].pk}/").status_code == 403
    response = client.get(f"/api/people/{cast['mentee_a'].pk}")
    assert response.status_code == 404  # the API answers a person one may not see like a missing one
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/people/{cast['mentor_a'].pk}").status_code == 200


@pytest.mark.django_db
def test_unknown_person_is_a_404_problem(client):
    client.force_login(UserFactory())
    response = client.get("/api/people/999999")
    assert response.status_code == 404 and response.json()["status"] == 404
