"""Mentora's SCIM 2.0 service provider, on django-scim2: the adapters between SCIM resources and the
institution's records, the bearer-token check, the schemas and the service provider's configuration.

django-scim2 routes the requests (Users, Groups, .search, ServiceProviderConfig, ResourceTypes,
Schemas), pages the lists (startIndex, count) and turns filters into queries; the writes go through
mentora.provisioning.services.
"""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django_scim import constants, exceptions
from django_scim.adapters import SCIMMixin
from django_scim.models import SCIMServiceProviderConfig
from django_scim.schemas import ALL as LIBRARY_SCHEMAS
from django_scim.utils import get_base_scim_location_getter

from mentora.core.errors import StateConflict

from . import services
from .scim_filters import GroupFilter, UserFilter

MAX_RESULTS = 200


def base_location(request=None, *args, **kwargs) -> str:
    return settings.MENTORA_SITE_URL


def institution_filter_kwargs(model):
    """Every read and write is limited to the calling institution's records."""
    def get_extra_filter_kwargs(request, *args, **kwargs):
        institution = getattr(request, "scim_institution", None)
        return {"institution_id": institution.pk if institution else -1}
    return get_extra_filter_kwargs


def creation_order(model):
    """Lists in the order the records were made (a stable order for paging; the library orders by the
    random id)."""
    def post_process(request, qs, *args, **kwargs):
        return qs.order_by("created_at", "pk")
    return post_process


def _service(call):
    """Run a service; its refusals as SCIM errors (RFC 7644 §3.12)."""
    try:
        return call()
    except StateConflict as error:
        raise exceptions.IntegrityError(_message(error), scim_type="uniqueness") from error
    except ValidationError as error:
        raise exceptions.BadRequestError(_message(error), scim_type="invalidValue") from error


def _message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


class BearerTokenCheck:
    """Authenticates the institution's identity system by its bearer token (RFC 6750) and marks the
    request with the institution; 401 with WWW-Authenticate otherwise. No person is signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, secret = header.partition(" ")
        token = services.scim_token_authenticate(secret=secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            body = {"schemas": [constants.SchemaURI.ERROR], "status": "401",
                    "detail": "Give the institution's SCIM bearer token (Authorization: Bearer ...)."}
            response = HttpResponse(json.dumps(body), status=401, content_type=constants.SCIM_CONTENT_TYPE)
            response["WWW-Authenticate"] = 'Bearer realm="mentora-scim"'
            return response
        request.scim_institution = token.institution
        return self.get_response(request, *args, **kwargs)


# --- patch (RFC 7644 §3.5.2) ----------------------------------------------------------------------

PATH = re.compile(r"^(?:(?P<urn>urn:[^\s\[]+):)?(?P<attr>[A-Za-z$][\w$]*)"
                  r"(?:\[(?P<filter>[^\]]+)\])?(?:\.(?P<sub>[A-Za-z$][\w$]*))?$")
EQ = re.compile(r'^\s*(?P<attr>[\w$]+)\s+eq\s+(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+)\s*$', re.I)


def _parse_path(path: str):
    match = PATH.match(path.strip())
    if not match:
        raise exceptions.BadRequestError(f"Cannot read the path {path!r}", scim_type="invalidPath")
    condition = None
    if match["filter"]:
        eq = EQ.match(match["filter"])
        if not eq:
            raise exceptions.BadRequestError(f"Only 'attr eq value' filters are supported in a path: {path!r}",
                                             scim_type="invalidFilter")
        condition = (eq["attr"], json.loads(eq["value"]))
    return match["attr"], condition, match["sub"]


def _key(d: dict, name: str):
    """The key of `d` naming attribute `name` (attribute names are case-insensitive)."""
    for key in d:
        if key.lower() == name.lower():
            return key
    return name


def _matches(item, condition) -> bool:
    if condition is None:
        return True
    attr, value = condition
    return isinstance(item, dict) and item.get(_key(item, attr)) == value


def apply_patch(resource: dict, operations: list) -> dict:
    """The resource after the operations (add, replace, remove), as a plain dict."""
    resource = copy.deepcopy(resource)
    if not isinstance(operations, list) or not operations:
        raise exceptions.BadRequestError("PATCH needs an Operations list", scim_type="invalidSyntax")
    for operation in operations:
        if not isinstance(operation, dict):
            raise exceptions.BadRequestError("Each operation is an object", scim_type="invalidSyntax")
        op = str(operation.get(_key(operation, "op"), "")).lower()
        path = operation.get(_key(operation, "path"))
        value = operation.get(_key(operation, "value"))
        if op not in {"add", "replace", "remove"}:
            raise exceptions.BadRequestError(f"Unknown PATCH op {op!r}", scim_type="invalidSyntax")
        if not path:
            if op == "remove":
                raise exceptions.BadRequestError("remove needs a path", scim_type="noTarget")
            if not isinstance(value, dict):
                raise exceptions.BadRequestError("Without a path the value is an object", scim_type="invalidValue")
            for name, item in value.items():
                if name.startswith("urn:") and isinstance(item, dict):
                    continue  # extension objects: no extension is supported
                _apply(resource, op, name, item)
            continue
        _apply(resource, op, path, value)
    return resource


def _apply(resource: dict, op: str, path: str, value) -> None:
    attr, condition, sub = _parse_path(path)
    key = _key(resource, attr)
    current = resource.get(key)
    if isinstance(current, list) or (current is None and isinstance(value, list)):
        items = list(current or [])
        if condition is None and sub is None:
            if op == "remove":
                if value:  # remove the given values (members)
                    gone = {v.get("value") for v in value if isinstance(v, dict)}
                    items = [i for i in items if i.get("value") not in gone]
                else:
                    items = []
            elif op == "add":
                new = value if isinstance(value, list) else [value]
                items += [v for v in new if v not in items]
            else:
                items = value if isinstance(value, list) else [value]
        else:
            chosen = [i for i in items if _matches(i, condition)]
            if op == "remove":
                if sub:
                    for item in chosen:
                        item.pop(_key(item, sub), None)
                else:
                    items = [i for i in items if i not in chosen]
            else:
                if not chosen:
                    if op == "replace" and condition is not None:
                        raise exceptions.BadRequestError(f"No value matches {path!r}", scim_type="noTarget")
                    item = {condition[0]: condition[1]} if condition else {}
                    items.append(item)
                    chosen = [item]
                for item in chosen:
                    if sub:
                        item[_key(item, sub)] = value
                    elif isinstance(value, dict):
                        item.update(value)
        resource[key] = items
        return
    if sub:
        holder = resource.setdefault(key, {}) if op != "remove" else (resource.get(key) or {})
        if not isinstance(holder, dict):
            raise exceptions.BadRequestError(f"{attr} has no sub-attributes", scim_type="invalidPath")
        if op == "remove":
            holder.pop(_key(holder, sub), None)
        else:
            holder[_key(holder, sub)] = value
        return
    if op == "remove":
        resource.pop(key, None)
    elif isinstance(current, dict) and isinstance(value, dict) and op == "add":
        current.update(value)
    else:
        resource[key] = value


# --- Users ----------------------------------------------------------------------------------------


def _iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class _Adapter(SCIMMixin):
    """What the User and Group adapters share: the body is kept by from_dict and written by save (through
    the provisioning services); a PATCH applies its operations to the resource as read, then saves that."""

    id_field = "scim_id"
    READ_ONLY: tuple[str, ...] = ("meta", "id", "schemas")  # left out of a patched body
    PATCH_DEFAULTS: dict = {}  # put back when a patch removed them (so removing every member empties the group)

    def __init__(self, obj, request=None):
        super().__init__(obj, request)
        self._pending: dict | None = None

    def from_dict(self, d):
        self._pending = d

    def handle_operations(self, operations):
        current = self.to_dict()
        for read_only in self.READ_ONLY:
            current.pop(read_only, None)
        patched = apply_patch(current, operations)
        for name, default in self.PATCH_DEFAULTS.items():
            patched.setdefault(name, copy.deepcopy(default))
        self.validate_dict(patched)
        self.from_dict(patched)
        self.save()


class ScimUserAdapter(_Adapter):
    url_name = "scim:users"
    resource_type = "User"
    ATTR_MAP = UserFilter.attr_map
    READ_ONLY = ("meta", "groups", "id", "schemas")

    @property
    def display_name(self) -> str:
        return self.obj.user.full_name or self.obj.user_name if self.obj.pk else ""

    def to_dict(self) -> dict:
        record, user = self.obj, self.obj.user
        sent = record.attributes
        name = dict(sent.get("name") or {})
        emails = record.attributes.get("emails") or []
        if not any(str(e.get("value", "")).lower() == user.email for e in emails):
            emails = [{"value": user.email, "primary": True}]
        d = {
            "schemas": [constants.SchemaURI.USER],
            "id": str(record.scim_id),
            "userName": record.user_name,
            "emails": emails,
            "groups": [
                {"value": str(g.scim_id), "display": g.display_name, "type": "direct",
                 "$ref": urljoin(base_location(), reverse("scim:groups", kwargs={"uuid": str(g.scim_id)}))}
                for g in record.groups.all()
            ],
            "meta": {"resourceType": "User", "created": _iso(record.created_at),
                     "lastModified": _iso(record.updated_at), "location": self.location},
        }
        # what the identity system left unassigned is not returned (RFC 7643 §2.5); an account with no
        # "active" sent is active
        if name:
            d["name"] = name
        if sent.get("displayName"):
            d["displayName"] = sent["displayName"]
        if "active" in sent or not record.active:
            d["active"] = record.active
        if record.external_id:
            d["externalId"] = record.external_id
        return d

    def validate_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body is a User object", scim_type="invalidSyntax")
        active = d.get(_key(d, "active"))
        if active is not None and not isinstance(active, bool):
            raise exceptions.BadRequestError('"active" is true or false', scim_type="invalidValue")

    def save(self):
        d = self._pending or {}
        emails = d.get(_key(d, "emails")) or []
        if isinstance(emails, dict):
            emails = [emails]
        emails = [e for e in emails if isinstance(e, dict) and e.get("value")]
        primary = next((e for e in emails if e.get("primary")), emails[0] if emails else {})
        name = d.get(_key(d, "name")) or {}
        if not isinstance(name, dict):
            raise exceptions.BadRequestError('"name" is an object', scim_type="invalidValue")
        display_name = d.get(_key(d, "displayName")) or ""
        full_name = (name.get("formatted") or display_name
                     or " ".join(p for p in (name.get("givenName"), name.get("familyName")) if p))
        active = d.get(_key(d, "active"))
        institution = self.request.scim_institution
        self.obj = _service(lambda: services.scim_user_save(
            institution=institution, record=self.obj if self.obj.pk else None,
            user_name=str(d.get(_key(d, "userName")) or ""), email=str(primary.get("value", "")),
            full_name=str(full_name or ""), external_id=str(d.get(_key(d, "externalId")) or ""),
            active=True if active is None else active,
            attributes={"name": {k: v for k, v in name.items() if isinstance(v, str)},
                        "displayName": display_name if isinstance(display_name, str) else "",
                        "emails": emails, **({"active": active} if active is not None else {})},
        ))

    def delete(self):
        _service(lambda: services.scim_user_delete(record=self.obj))

    @classmethod
    def resource_type_dict(cls, request=None):
        return _resource_type("User", "User Account", constants.SchemaURI.USER, request)


# --- Groups ---------------------------------------------------------------------------------------


class ScimGroupAdapter(_Adapter):
    url_name = "scim:groups"
    resource_type = "Group"
    ATTR_MAP = GroupFilter.attr_map
    PATCH_DEFAULTS = {"members": []}

    @property
    def display_name(self) -> str:
        return self.obj.display_name

    def to_dict(self) -> dict:
        group = self.obj
        d = {
            "schemas": [constants.SchemaURI.GROUP],
            "id": str(group.scim_id),
            "displayName": group.display_name,
            "members": [
                {"value": str(m.scim_id), "type": "User",
                 "$ref": urljoin(base_location(), reverse("scim:users", kwargs={"uuid": str(m.scim_id)}))}
                for m in group.members.select_related("user")
            ],
            "meta": {"resourceType": "Group", "created": _iso(group.created_at),
                     "lastModified": _iso(group.updated_at), "location": self.location},
        }
        if group.external_id:
            d["externalId"] = group.external_id
        return d

    def validate_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body is a Group object", scim_type="invalidSyntax")

    def save(self):
        d = self._pending or {}
        members = d.get(_key(d, "members"))
        member_ids = None if members is None else [m.get("value") for m in members if isinstance(m, dict)]
        institution = self.request.scim_institution
        self.obj = _service(lambda: services.scim_group_save(
            institution=institution, group=self.obj if self.obj.pk else None,
            display_name=str(d.get(_key(d, "displayName")) or ""),
            external_id=str(d.get(_key(d, "externalId")) or ""), member_ids=member_ids,
        ))

    def delete(self):
        _service(lambda: services.scim_group_delete(group=self.obj))

    @classmethod
    def resource_type_dict(cls, request=None):
        return _resource_type("Group", "Group", constants.SchemaURI.GROUP, request)


def _resource_type(id_: str, description: str, schema: str, request) -> dict:
    location = urljoin(get_base_scim_location_getter()(request),
                       reverse("scim:resource-types", kwargs={"uuid": id_}))
    return {
        "schemas": [constants.SchemaURI.RESOURCE_TYPE], "id": id_, "name": id_,
        "endpoint": "/" + id_ + "s",  # relative to the SCIM root (RFC 7643 §6)
        "description": description, "schema": schema,
        "meta": {"location": location, "resourceType": "ResourceType"},
    }


# --- discovery ------------------------------------------------------------------------------------

SUPPORTED = {
    constants.SchemaURI.USER: {"userName", "name", "displayName", "emails", "active", "groups"},
    constants.SchemaURI.GROUP: {"displayName", "members"},
}
SUPPORTED_SUB = {"name": {"formatted", "givenName", "familyName"}, "emails": {"value", "type", "primary"},
                 "groups": {"value", "$ref", "display", "type"}, "members": {"value", "$ref", "display", "type"}}


# Mentora needs what the RFC leaves optional: an email address (every account signs in with one) and a
# group's name (what a site admin maps to a program role); the published schemas say so.
REQUIRED = {constants.SchemaURI.USER: {"emails"}, constants.SchemaURI.GROUP: {"displayName"}}


def schemas() -> list[dict]:
    """The User and Group schemas of RFC 7643 with only the attributes Mentora keeps."""
    kept = []
    for schema in LIBRARY_SCHEMAS:
        if schema.get("id") not in SUPPORTED:
            continue
        schema = copy.deepcopy(schema)
        schema["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:Schema"]
        schema["meta"] = {"resourceType": "Schema", "location": f"{settings.MENTORA_SITE_URL}/scim/v2/Schemas/"
                                                                 f"{schema['id']}"}
        schema["attributes"] = [a for a in schema["attributes"] if a["name"] in SUPPORTED[schema["id"]]]
        for attribute in schema["attributes"]:
            if attribute["name"] in REQUIRED[schema["id"]]:
                attribute["required"] = True
                for sub in attribute.get("subAttributes") or []:
                    if sub["name"] == "value":
                        sub["required"] = True
            if attribute["name"] in SUPPORTED_SUB and attribute.get("subAttributes"):
                attribute["subAttributes"] = [s for s in attribute["subAttributes"]
                                              if s["name"] in SUPPORTED_SUB[attribute["name"]]]
        kept.append(schema)
    return kept


class ServiceProviderConfig(SCIMServiceProviderConfig):
    def to_dict(self):
        d = super().to_dict()
        d.update({
            "documentationUri": f"{settings.MENTORA_SITE_URL}/help/",
            "filter": {"supported": True, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": False},
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "sort": {"supported": False},
            "etag": {"supported": False},
        })
        return d
