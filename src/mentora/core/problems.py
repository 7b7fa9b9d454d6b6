"""Errors as problem details (RFC 9457): application/problem+json with type, title, status, detail.

The API answers every error this way (mentora.api.problems installs the handlers); the two-factor
middleware answers API requests with it too.
"""

import json

from django.http import HttpResponse

PROBLEM_TYPES = "https://mentora.example.org/problems/"


def problem(status: int, title: str, detail: str = "", **extra) -> HttpResponse:
    body = {"type": f"{PROBLEM_TYPES}{title.lower().replace(' ', '-')}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
