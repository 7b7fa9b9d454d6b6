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
from mentora.console import api as console_api
from mentora.dataio import api as dataio_api
from mentora.directory import api as directory_api
from mentora.ilps import api as ilps_api
from mentora.insights import api as insights_api
from mentora.meetings import api as meetings_api
from mentora.milestones import api as milestones_api
from mentora.notifications import api as notifications_api
from mentora.onboarding import api as onboarding_api
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

# OpenAPI links (stateful clients and testing): what a created object's id opens next. Each entry is the
# creating operation and its status, then the operations its answer's `id` leads to, by the path parameter
# that takes it. tests/api/test_links.py checks that every link names real operations and parameters.
CREATED_ID = "$response.body#/id"
LINKS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("POST /api/ilps", "201", [("GET /api/ilps/{plan_id}", "plan_id"), ("POST /api/ilps/{plan_id}/goals", "plan_id"),
                               ("GET /api/ilps/{plan_id}/milestones", "plan_id"),
                               ("POST /api/ilps/{plan_id}/submit", "plan_id")]),
    ("POST /api/ilps/{plan_id}/goals", "201", [("PATCH /api/ilps/goals/{goal_id}", "goal_id"),
                                               ("POST /api/ilps/goals/{goal_id}/progress", "goal_id"),
                                               ("POST /api/ilps/goals/{goal_id}/comments", "goal_id"),
                                               ("DELETE /api/ilps/goals/{goal_id}", "goal_id")]),
    ("POST /api/ilps/{plan_id}/milestones", "201", [("POST /api/ilps/milestones/{milestone_id}/complete",
                                                     "milestone_id")]),
    ("POST /api/requests", "201", [("GET /api/requests/{request_id}", "request_id"),
                                   ("POST /api/requests/{request_id}/withdraw", "request_id")]),
    ("POST /api/referrals", "201", [("GET /api/referrals/{referral_id}", "referral_id"),
                                    ("POST /api/referrals/{referral_id}/cancel", "referral_id")]),
    ("POST /api/webhooks/subscriptions", "201", [
        ("GET /api/webhooks/subscriptions/{subscription_id}", "subscription_id"),
        ("GET /api/webhooks/subscriptions/{subscription_id}/deliveries", "subscription_id"),
        ("POST /api/webhooks/subscriptions/{subscription_id}/disable", "subscription_id"),
        ("DELETE /api/webhooks/subscriptions/{subscription_id}", "subscription_id")]),
    ("POST /api/relationships", "201", [("GET /api/mentoring/relationships/{relationship_id}", "relationship_id"),
                                        ("POST /api/relationships/{relationship_id}/pause", "relationship_id")]),
    ("POST /api/mentoring/relationships/{relationship_id}/meetings", "201", [
        ("GET /api/mentoring/meetings/{meeting_id}", "meeting_id")]),
    ("POST /api/match-runs", "202", [("GET /api/match-runs/{run_id}", "run_id")]),
    ("POST /api/match-runs/{run_id}/publish", "202", [("GET /api/jobs/{job_id}", "job_id")]),
    ("POST /api/rollover/programs/{slug}/commit", "202", [("GET /api/jobs/{job_id}", "job_id")]),
    ("POST /api/insights/reports", "202", [("GET /api/jobs/{job_id}", "job_id"),
                                           ("GET /api/jobs/{job_id}/download", "job_id")]),
    ("POST /api/imports", "201", [("GET /api/imports/{batch_id}", "batch_id"),
                                  ("PUT /api/imports/{batch_id}/mapping", "batch_id")]),
    ("POST /api/imports/{batch_id}/commit", "202", [("GET /api/jobs/{job_id}", "job_id")]),
    ("POST /api/scholarly/projects", "201", [("GET /api/scholarly/projects/{project_id}", "project_id")]),
    ("POST /api/milestones", "201", [("PUT /api/milestones/{milestone_id}", "milestone_id"),
                                     ("DELETE /api/milestones/{milestone_id}", "milestone_id")]),
    ("POST /api/mentoring/resources", "201", [("DELETE /api/mentoring/resources/{resource_id}", "resource_id")]),
    ("POST /api/conflicts/roles", "201", [("DELETE /api/conflicts/roles/{role_id}", "role_id")]),
    ("POST /api/console/backups", "202", [("GET /api/jobs/{job_id}", "job_id")]),
]


def add_links(schema: dict) -> dict:
    """Put LINKS into the document's responses (OpenAPI 3 `links`, by operationId)."""
    paths = schema["paths"]

    def operation(name: str) -> dict:
        method, path = name.split(" ", 1)
        return paths[path][method.lower()]

    for source, status, targets in LINKS:
        responses = operation(source)["responses"]
        response = responses[int(status)] if int(status) in responses else responses[status]
        links = response.setdefault("links", {})
        for target, parameter in targets:
            target_id = operation(target)["operationId"]
            links[target_id] = {"operationId": target_id, "parameters": {parameter: CREATED_ID},
                                "description": f"{target} with the id of the object this answer describes"}
    return schema


class MentoraAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return add_links(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = MentoraAPI(
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
    ("/onboarding", onboarding_api.router),
    ("/console", console_api.router),
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
