"""Your own personal access tokens over the API: list (paginated) and revoke."""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from .pagination import paginated
from .tokens import token_revoke, tokens_of

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get("", response=list[TokenOut], summary="My personal access tokens")
@paginated
def token_list(request):
    return tokens_of(user=request.auth)


@router.delete("/{token_id}", response={204: None}, summary="Revoke one of my tokens")
def token_delete(request, token_id: int):
    if not token_revoke(by=request.auth, token_id=token_id):
        raise Http404
    return Status(204, None)
