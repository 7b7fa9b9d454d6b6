"""GET /api/me: who the caller is, and the roles they hold."""

from ninja import Router, Schema

from mentora.programs.selectors import user_roles


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[str]


me_router = Router(tags=["me"])


@me_router.get("/me", response=MeOut, summary="Who am I")
def me(request):
    user = request.auth
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "roles": user_roles(user=user).labels}
