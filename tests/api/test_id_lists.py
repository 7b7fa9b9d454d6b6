"""Lists of ids in request bodies: an id no database row can have is a problem response, never a 500."""

import pytest

from mentora.relationships.models import Relationship

TOO_LARGE = 2**70  # beyond a 64-bit integer column; SQLite raised OverflowError on it


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["nudges", "survey-reminders"])
def test_an_id_beyond_any_row_in_a_list_is_a_problem_not_a_server_error(cast, client, path):
    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    client.force_login(cast["coordinator"])

    response = client.post(f"/api/mentoring/programs/{cast['program'].pk}/{path}",
                           {"relationship_ids": [relationship.pk, TOO_LARGE]}, content_type="application/json")

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "relationship_ids" in response.json()["errors"][0]["location"]


def test_every_list_of_ids_in_the_document_is_bounded_to_what_a_row_id_can_be(client, db):
    """Every request body's array of integers whose name ends in _ids has items between 1 and 2**63 - 1."""
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    bodies = {content["schema"]["$ref"].rsplit("/", 1)[1]
              for item in document["paths"].values() for operation in item.values() if isinstance(operation, dict)
              for content in operation.get("requestBody", {}).get("content", {}).values()
              if "$ref" in content.get("schema", {})}
    lists = {(name, field): spec for name in bodies
             for field, spec in schemas[name].get("properties", {}).items() if field.endswith("_ids")}
    assert len(lists) >= 8, sorted(lists)

    def items(spec):
        for option in spec.get("anyOf", [spec]):
            if option.get("type") == "array":
                return option["items"]
        return {}

    unbounded = sorted(f"{name}.{field}" for (name, field), spec in lists.items()
                       if (items(spec).get("minimum"), items(spec).get("maximum")) != (1, 2**63 - 1))
    assert not unbounded, unbounded
