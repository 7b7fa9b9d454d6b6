"""The REST API under /api/: one NinjaAPI; each domain adds its Router in ROUTERS below."""

from functools import partial, wraps

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router, Schema

from .auth import API_AUTH
from .document import openapi_json
from .problems import install_problem_handlers, problem

# The major version of the API, sent with every answer (docs/api.md: versions and deprecation).
API_VERSION_HEADER = "Mentora-API-Version"

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
    ("/jobs", "mentora.background.api:router"),
    ("/programs", "mentora.programs.api:router"),
    ("/webhooks", "mentora.webhooks.api:router"),
    ("/notifications", "mentora.notifications.api:router"),
    ("/scholarly/projects", "mentora.scholarly.api:router"),
    ("/portfolio", "mentora.portfolio.api:router"),
    ("/privacy", "mentora.privacy.api:router"),
]

api.add_router("", me_router)
for prefix, target in ROUTERS:
    module_name, attribute = target.split(":")
    api.add_router(prefix, getattr(__import__(module_name, fromlist=[attribute]), attribute))

def _problem_for_a_wrong_method(view):
    """django-ninja answers a method a path does not take with a plain-text 405: make it a problem.
    Every answer names the API version it speaks (docs/api.md)."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "") != "application/problem+json":
            allowed = response.get("Allow", "")
            refused = problem(405, "Method not allowed", f"{request.method} is not allowed here; use {allowed}.")
            refused["Allow"] = allowed
            response = refused
        response[API_VERSION_HEADER] = api.version
        return response

    return answer


@csrf_exempt
def unknown_route(request, rest: str = ""):
    response = problem(404, "Not found", f"There is no API operation at {request.path}. See /api/docs.")
    response[API_VERSION_HEADER] = api.version
    return response


_operations, _app, _namespace = api.urls  # (not `app_name`: Django would read it as this module's namespace)
for _pattern in _operations:
    if _pattern.name == "openapi-json":  # the document is built once per code version (document.py)
        _pattern.callback = partial(openapi_json, api=api)
    _pattern.callback = _problem_for_a_wrong_method(_pattern.callback)

urlpatterns = [
    path("", (_operations, _app, _namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_route, name="api_unknown_route"),  # last: any other path is a 404 problem
]
