"""Who looked at my records, over the API (the records themselves are not in the API)."""

from datetime import datetime

from ninja import Field, Router, Schema

from mentora.api.pagination import paginated

from .selectors import access_log_for

router = Router(tags=["privacy"])


class AccessOut(Schema):
    when: datetime = Field(alias="created_at")
    who: str = Field(alias="actor_name")
    role: str = Field(alias="actor_role")
    records: list[str]
    reason: str


@router.get("/access-log", response=list[AccessOut], summary="Who opened my confidential records, and why")
@paginated
def access_log(request):
    return access_log_for(viewer=request.auth)
