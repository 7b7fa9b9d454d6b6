import pytest
from ninja import NinjaAPI, Schema
from ninja.testing import TestClient

from mentora.api.pagination import MAX_LIMIT, paginated


class Item(Schema):
    n: int


def make_client(total: int) -> TestClient:
    api = NinjaAPI(urls_namespace=f"pagination-test-{total}")

    @api.get("/items", response=list[Item])
    @paginated
    def items(request):
        return [{"n": n} for n in range(total)]

    return TestClient(api)


def test_limit_offset_pages_and_total_count():
    client = make_client(120)
    body = client.get("/items?limit=50&offset=100").json()
    assert body["count"] == 120 and body["limit"] == 50 and body["offset"] == 100
    assert [item["n"] for item in body["items"]] == list(range(100, 120))
    first = client.get("/items").json()
    assert first["limit"] == 50 and len(first["items"]) == 50 and first["items"][0]["n"] == 0


@pytest.mark.parametrize("query", [f"limit={MAX_LIMIT + 1}", "limit=0", "offset=-1", "limit=abc"])
def test_out_of_range_paging_is_rejected(query):
    assert make_client(5).get(f"/items?{query}").status_code == 422
