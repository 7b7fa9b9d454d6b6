"""The OpenAPI document, built once per version of the code and served from memory.

django-ninja builds the document from every operation on each request (about 1.3 s on a first request
when the routers still had to be imported). The operations cannot change while a process runs, so the
document is built once per API version, set of operations and path prefix, serialized once, and served
as the same bytes with an ETag. `warm()` builds it when the process starts (see `mentora.config.wsgi`),
so even the first request after a deploy is served from memory.
"""

import hashlib
import json
import threading

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from ninja import NinjaAPI
from ninja.responses import NinjaJSONEncoder

_built: dict[tuple, tuple[bytes, str]] = {}
_lock = threading.Lock()


def code_version(api: NinjaAPI) -> tuple:
    """What the document depends on: the API version and every (method, path, operation id) it serves."""
    operations = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                operations.append((prefix + path, tuple(operation.methods), operation.view_func.__qualname__))
    return (api.version, tuple(sorted(operations)))


def document(api: NinjaAPI, path_prefix: str) -> tuple[bytes, str]:
    """The document's bytes and ETag: built on the first call for this code version, then from memory."""
    key = (code_version(api), path_prefix)
    found = _built.get(key)
    if found is None:
        with _lock:  # two first requests at once build it once
            found = _built.get(key)
            if found is None:
                schema = api.get_openapi_schema(path_prefix=path_prefix)
                body = json.dumps(schema, cls=NinjaJSONEncoder).encode()
                found = _built[key] = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return found


def openapi_json(request: HttpRequest, api: NinjaAPI, **path_params) -> HttpResponse:
    body, etag = document(api, api.get_root_path(path_params))
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


def warm(api: NinjaAPI) -> None:
    """Build the document now (at process start), so no request waits for it."""
    document(api, reverse("api:api-root"))
