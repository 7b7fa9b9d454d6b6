"""Every answer under /api/ is problem+json, and an object the caller may not see is a 404 like a
missing one (403 stays for an object the caller sees but may not change)."""

import pytest
from django.test import Client

from mentora.api.tokens import token_create
from tests.factories import UserFactory


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/nope"), ("post", "/api/nope/deeper/"), ("get", "/api/me/"), ("delete", "/api/ilps/x"),
])
def test_unknown_api_routes_answer_problem_json(client, db, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404 and path in response.json()["detail"]


def test_a_wrong_method_answers_problem_json_with_allow(db):
    _token, secret = token_create(by=UserFactory(), name="t", scopes=["read", "write"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for method, path in [("delete", "/api/me"), ("put", "/api/tokens"), ("post", "/api/ilps/1")]:
        response = getattr(client, method)(path)
        assert response.status_code == 405, (method, path)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Method not allowed"
        assert response["Allow"] and method.upper() not in response["Allow"]


def test_invisible_objects_answer_exactly_like_missing_ones(client, cast):
    from tests.factories import ImgDetailsFactory

    ImgDetailsFactory(user=cast["mentee_a"])
    client.force_login(cast["mentee_b"])
    hidden = client.get(f"/api/people/{cast['mentee_a'].pk}")
    missing = client.get("/api/people/987654321")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_a_services_refusal_is_422_and_a_refusal_by_the_current_state_is_409(client, cast):
    """One handler translates every service error: bad input 422 (with the field), state conflicts 409."""
    client.force_login(cast["mentee_b"])
    ask = {"mentor_id": cast["mentor_a"].pk, "why": "Your heart failure work", "hopes": "A first paper"}
    assert client.post("/api/requests", ask, content_type="application/json").status_code == 201
    again = client.post("/api/requests", ask, content_type="application/json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["title"] == "Conflict" and "already have a request waiting" in again.json()["detail"]
    client.force_login(cast["mentor_a"])
    bad = client.post("/api/conflicts/roles", {"role": "no-such-role", "program_slug": cast["program"].slug},
                      content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert {"location": "body.role", "message": "Choose one of the listed roles."} in bad.json()["errors"]
