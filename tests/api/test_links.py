"""The OpenAPI links of the document: every link leads from a created object's id to a real operation, through
a path parameter that operation takes, and the created answer has that id."""

from mentora.config.api import LINKS, api


def test_every_link_names_real_operations_and_parameters():
    schema = api.get_openapi_schema()
    by_id = {op["operationId"]: (method, path, op) for path, item in schema["paths"].items()
             for method, op in item.items()}
    count = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                for name, link in response.get("links", {}).items():
                    assert link["operationId"] in by_id, f"{method} {path} {status}: no operation {name}"
                    _m, target_path, target = by_id[link["operationId"]]
                    path_params = {p["name"] for p in target.get("parameters", []) if p["in"] == "path"}
                    assert set(link["parameters"]) <= path_params, (name, link["parameters"], path_params)
                    assert path_params <= set(link["parameters"]), f"{target_path} needs {path_params}"
                    body = response["content"]["application/json"]["schema"]
                    if "$ref" in body:
                        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
                    assert "id" in body["properties"], f"{method} {path} {status} answers no id"
                    count += 1
    assert count == sum(len(targets) for _source, _status, targets in LINKS) >= 30


def test_the_served_document_has_the_links(client):
    document = client.get("/api/openapi.json").json()
    created = document["paths"]["/api/ilps"]["post"]["responses"]["201"]
    assert created["links"]  # the cached document is the same document
    target = next(iter(created["links"].values()))
    assert target["parameters"] == {"plan_id": "$response.body#/id"}
