"""The pagination convention of every list endpoint: `?limit=&offset=`, answered as

    {"items": [...], "count": 1234, "limit": 50, "offset": 100}

`count` is the total number of items across all pages. `limit` defaults to 50 and may be at most
200; a larger or negative value is a 422 problem. Use it like this:

    from mentora.api.pagination import paginated

    @router.get("/things", response=list[ThingOut])
    @paginated
    def things(request):
        return Thing.objects.filter(...).order_by("pk")   # a queryset or a list; keep the order stable
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")
        offset: int = Field(0, ge=0, le=10_000_000, description="How many items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any):
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": list(queryset[offset : offset + limit]),
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }


paginated = paginate(LimitOffset)
