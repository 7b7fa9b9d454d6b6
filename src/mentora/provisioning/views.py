"""django-scim2's views, with what RFC 7644 asks and the library leaves out: list responses of
ResourceTypes and Schemas carry totalResults, and an unknown resource or address answers a SCIM
error body (application/scim+json), not an empty 404."""

import json

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django_scim import constants, views


def scim_error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    body = {"schemas": [constants.SchemaURI.ERROR], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return HttpResponse(json.dumps(body), status=status, content_type=constants.SCIM_CONTENT_TYPE)


class _CompleteLists:
    def get(self, request, uuid=None, *args, **kwargs):
        response = super().get(request, uuid, *args, **kwargs)
        if response.status_code == 404:
            return scim_error(404, f"No {self.kind} {uuid!r}")
        if uuid is None and response.status_code == 200:
            doc = json.loads(response.content)
            resources = doc.get("Resources", [])
            doc.update({"totalResults": len(resources), "itemsPerPage": len(resources), "startIndex": 1})
            response.content = json.dumps(doc)
        return response


class ResourceTypesView(_CompleteLists, views.ResourceTypesView):
    kind = "resource type"


class SchemasView(_CompleteLists, views.SchemasView):
    kind = "schema"


class NotFoundView(views.SCIMView):
    """Any other address under the SCIM root."""

    http_method_names = ["get", "post", "put", "patch", "delete"]

    def get(self, request, *args, **kwargs):
        return scim_error(404, "No such SCIM endpoint")

    post = put = patch = delete = get


def _select(resource: dict, attributes: set[str], excluded: set[str]) -> dict:
    """RFC 7644 §3.4.2.5: only the asked attributes (id and schemas always), or all but the excluded."""
    if attributes:
        keep = {a.split(".")[0].lower() for a in attributes} | {"id", "schemas"}
        return {k: v for k, v in resource.items() if k.lower() in keep}
    if excluded:
        drop = {a.split(".")[0].lower() for a in excluded} - {"id", "schemas"}
        return {k: v for k, v in resource.items() if k.lower() not in drop}
    return resource


class _Projection:
    """`attributes` / `excludedAttributes` of a read, a list or a search (query string or search body)."""

    @method_decorator(csrf_exempt)  # a bearer token, no cookie: nothing to forge
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        attributes = request.GET.get("attributes", "")
        excluded = request.GET.get("excludedAttributes", "")
        if request.method == "POST" and request.path.endswith(".search"):
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                body = {}
            attributes = ",".join(body.get("attributes") or []) or attributes
            excluded = ",".join(body.get("excludedAttributes") or []) or excluded
        wanted = {a.strip() for a in attributes.split(",") if a.strip()}
        unwanted = {a.strip() for a in excluded.split(",") if a.strip()}
        if (wanted or unwanted) and response.status_code in {200, 201}:
            doc = json.loads(response.content)
            if "Resources" in doc:
                doc["Resources"] = [_select(r, wanted, unwanted) for r in doc["Resources"]]
            else:
                doc = _select(doc, wanted, unwanted)
            response.content = json.dumps(doc)
        return response


class UsersView(_Projection, views.UsersView):
    pass


class GroupsView(_Projection, views.GroupsView):
    pass


class UserSearchView(_Projection, views.UserSearchView):
    pass


class GroupSearchView(_Projection, views.GroupSearchView):
    pass


class RootSearchView(views.SCIMView):
    """POST /.search across resource types is not offered (ServiceProviderConfig does not promise it)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return scim_error(501, "Search across resource types is not offered; search /Users/.search or "
                               "/Groups/.search")
