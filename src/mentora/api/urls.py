"""The REST API under /api/: one NinjaAPI; each domain adds its Router in ROUTERS below."""

from django.urls import path
from ninja import NinjaAPI, Router, Schema

from .auth import API_AUTH
from .problems import install_problem_handlers

api = NinjaAPI(
    title="Mentora API",
    version="1",
    description="Everything the pages do, for integrations. Errors are problem details (RFC 9457).",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=API_AUTH,
)
install_problem_handlers(api)


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[str]


me_router = Router(tags=["me"])


@me_router.get("/me", response=MeOut, summary="Who am I")
def me(request):
    from mentora.programs.selectors import user_roles

    user = request.auth
    return {"id": user.pk, "email": user.email, "full_name": user.full_name, "roles": user_roles(user=user).labels}


# (prefix, "module:router") — each domain's api.py exposes `router`.
ROUTERS: list[tuple[str, str]] = [
    ("/people", "mentora.profiles.api:router"),
    ("/conflicts", "mentora.conflicts.api:router"),
    ("/milestones", "mentora.milestones.api:router"),
    ("/tokens", "mentora.api.token_api:router"),
    ("/export", "mentora.dataio.api:router"),
    ("/mentoring", "mentora.meetings.api:router"),
    ("/privacy", "mentora.audit.api:router"),
    ("/ilps", "mentora.ilps.api:router"),
    ("/directory", "mentora.directory.api:directory_router"),
    ("/requests", "mentora.directory.api:requests_router"),
    ("/referrals", "mentora.directory.api:referrals_router"),
    ("/match-runs", "mentora.batchmatch.api:router"),
]

api.add_router("", me_router)
for prefix, target in ROUTERS:
    module_name, attribute = target.split(":")
    api.add_router(prefix, getattr(__import__(module_name, fromlist=[attribute]), attribute))

urlpatterns = [path("", api.urls)]
