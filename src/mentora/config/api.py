"""The REST API under /api/: one NinjaAPI with every domain's Router.

It is put together here, above every app, because each domain's api.py uses the API app's
authentication, pagination and problem details: the API app itself imports no domain.
"""

from functools import partial, wraps

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from mentora.api import token_api
from mentora.api.auth import API_AUTH
from mentora.api.document import openapi_json
from mentora.api.me import me_router
from mentora.api.problems import install_problem_handlers, problem
from mentora.audit import api as audit_api
from mentora.background import api as background_api
from mentora.batchmatch import api as batchmatch_api
from mentora.conflicts import api as conflicts_api
from mentora.dataio import api as dataio_api
from mentora.directory import api as directory_api
from mentora.ilps import api as ilps_api
from mentora.insights import api as insights_api
from mentora.meetings import api as meetings_api
from mentora.milestones import api as milestones_api
from mentora.notifications import api as notifications_api
from mentora.portfolio import api as portfolio_api
from mentora.privacy import api as privacy_api
from mentora.profiles import api as profiles_api
from mentora.programs import api as programs_api
from mentora.relationships import api as relationships_api
from mentora.rollover import api as rollover_api
from mentora.scholarly import api as scholarly_api
from mentora.webhooks import api as webhooks_api

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


# (prefix, router), in the order of the API's documentation.
ROUTERS = [
    ("", me_router),
    ("/people", profiles_api.router),
    ("/conflicts", conflicts_api.router),
    ("/milestones", milestones_api.router),
    ("/tokens", token_api.router),
    ("/export", dataio_api.router),
    ("/mentoring", meetings_api.router),
    ("/relationships", relationships_api.router),
    ("/privacy", audit_api.router),
    ("/ilps", ilps_api.router),
    ("/directory", directory_api.directory_router),
    ("/requests", directory_api.requests_router),
    ("/referrals", directory_api.referrals_router),
    ("/match-runs", batchmatch_api.router),
    ("/jobs", background_api.router),
    ("/background", background_api.admin_router),
    ("/programs", programs_api.router),
    ("/programs", dataio_api.programs_router),
    ("/webhooks", webhooks_api.router),
    ("/notifications", notifications_api.router),
    ("/scholarly/projects", scholarly_api.router),
    ("/portfolio", portfolio_api.router),
    ("/privacy", privacy_api.router),
    ("/rollover", rollover_api.router),
    ("/insights", insights_api.router),
    ("/imports", dataio_api.imports_router),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)


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
