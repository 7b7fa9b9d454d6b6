"""The authorization matrix: every route x every role, with the expected answer written out.

Rows live in tests/trust/rows/<area>.py (one module per area, each exporting ``ROWS``), so that
engineers adding routes in parallel never edit the same lines. See tests/trust/README.md.

The expectations are literal. Nothing here asks the permission layer what the answer should be:
the runner only sends the request as each person and compares what comes back.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# The order of the nine columns of every `expect` string.
ROLES = (
    "anonymous",
    "mentee_a",
    "mentee_b",
    "mentor_a",
    "other_mentor",
    "coordinator",
    "other_coordinator",
    "network_coordinator",
    "admin",
)
HEADER = "anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin"

LOGIN_PATH = "/accounts/login/"

# URL patterns that have no row, each with the reason. Matched on the namespaced URL name, or on a
# path prefix, or on the module of the view (a whole library).
EXCLUDED_PATH_PREFIXES = {
    "admin/": "Django admin: is_staff only, enforced by Django; its login goes through allauth (test_hardening)",
    "accounts/": "django-allauth's account, MFA and social-login pages (including its redirect views) serve "
    "every visitor by design; their rate limits and the admin lockout are tested in test_hardening",
}
EXCLUDED_VIEW_MODULES = {
    "allauth.": "django-allauth's account and MFA pages (login, signup, password reset, 2FA) serve every "
    "visitor by design; their rate limits and the admin lockout are tested in test_hardening",
    "django.views.static": "static and media files (development only); WhiteNoise serves them in production",
    "django.contrib.staticfiles": "static files (development only)",
}
EXCLUDED_NAMES = {
    "api:api-root": "the API root has no operation of its own (404 for everyone)",
}
# Every other URL pattern in the `api` namespace is an operation of the OpenAPI document, which has
# its own rows ("GET /api/people/{user_id}"): the document, not the URL list, is enumerated there.
API_NAMESPACE = "api"
API_DOCUMENT_NAMES = {"api:openapi-json", "api:openapi-view"}

# Routes and rules that landed on main before the matrix did: their owners add the rows (then delete
# the entry here). Their mutation tests are skipped, with this reason, until then.
PENDING = "landed before the matrix existed; rows are due from the owning engineer"
PENDING_ROUTES: set[str] = set()
PENDING_RULES: set[str] = set()

# Public functions of mentora/*/permissions.py that are not rules themselves (they combine rules that
# the mutation check does switch off), each with the reason.
NOT_RULES = {
    "mentora.profiles.permissions.visible_sensitive_fields": (
        "returns a dict of visible values; built on can_view_sensitive_field, which is mutated"
    ),
}


class Cast(dict):
    """The people of the `cast` fixture, reachable as c.mentee_a as well as c["mentee_a"]."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error


@dataclass(frozen=True)
class Row:
    """One route, one method: how to build the request, and the answer each role must get.

    route:  the namespaced URL name ("profiles:profile_detail", "api:openapi-json") or the API operation as the OpenAPI
            document names it ("GET /api/people/{user_id}").
    url:    builds the concrete URL from the cast; it may create the objects it needs (it runs inside
            a savepoint that is rolled back after each role's request).
    expect: nine tokens in ROLES order. A token is a status code ("200", "403", "404", "405"),
            "login" (302 to the login page), or, when `probe` is set, "200+" (200 and the probe text
            is in the body) / "200-" (200 and it is not).
    data:   the POST/PUT/PATCH body (a dict, or a callable of the cast); JSON for API routes.
    probe:  a callable of the cast returning text that must appear (+) or must not appear (-).
    """

    route: str
    url: Callable[[Cast], str]
    expect: str
    method: str = "GET"
    data: Any = None
    probe: Callable[[Cast], str] | None = None
    note: str = ""
    tokens: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        tokens = tuple(self.expect.split())
        if len(tokens) != len(ROLES):
            raise ValueError(f"row {self.route}: expect needs {len(ROLES)} tokens ({HEADER}), got {tokens}")
        for token in tokens:
            if token != "login" and not token.rstrip("+-").isdigit():
                raise ValueError(f"row {self.route}: bad token {token!r}")
            if token[-1] in "+-" and self.probe is None:
                raise ValueError(f"row {self.route}: token {token!r} needs a probe")
        object.__setattr__(self, "tokens", tokens)
        if self.is_api:
            verb = self.route.split(" ", 1)[0]
            object.__setattr__(self, "method", verb)

    @property
    def is_api(self) -> bool:
        return " " in self.route

    @property
    def id(self) -> str:
        base = self.route if self.is_api else f"{self.method} {self.route}"
        return f"{base} [{self.note}]" if self.note else base


def all_rows() -> list[Row]:
    from tests.trust import rows as package

    found: list[Row] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(module.ROWS)
    return found


# --- what exists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the URL name, or the pattern when it has none
    pattern: str
    view_module: str


def _walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            full = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or full)
            callback = pattern.callback
            module = getattr(callback, "__module__", "") or ""
            if isinstance(callback, functools.partial):
                module = getattr(callback.func, "__module__", module)
            yield Route(key=name, pattern=full, view_module=module)


def page_routes() -> list[Route]:
    """Every URL pattern that needs a row (the exclusions above are left out)."""
    routes = []
    for route in _walk(get_resolver().url_patterns, "", None):
        namespace = route.key.split(":", 1)[0] if ":" in route.key else ""
        if route.key in EXCLUDED_NAMES or any(route.pattern.startswith(p) for p in EXCLUDED_PATH_PREFIXES):
            continue
        if any(route.view_module.startswith(prefix) for prefix in EXCLUDED_VIEW_MODULES):
            continue
        if namespace == API_NAMESPACE and route.key not in API_DOCUMENT_NAMES:
            continue
        routes.append(route)
    return routes


def api_operations() -> list[str]:
    from mentora.config.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if method.lower() in {"get", "post", "put", "patch", "delete"}:
                operations.append(f"{method.upper()} {path}")
    return sorted(operations)


# --- running rows -------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    role: str
    token: str
    status: int
    location: str = ""
    probe_shown: bool | None = None

    @property
    def ok(self) -> bool:
        if self.token == "login":
            return self.status == 302 and self.location.startswith(LOGIN_PATH)
        if self.status != int(self.token.rstrip("+-")):
            return False
        if self.token.endswith("+"):
            return bool(self.probe_shown)
        if self.token.endswith("-"):
            return self.probe_shown is False
        return True

    def describe(self) -> str:
        got = str(self.status)
        if self.status == 302:
            got += f" to {self.location}"
        if self.probe_shown is not None:
            got += " with the probe shown" if self.probe_shown else " without the probe"
        return f"as {self.role}: expected {self.token}, got {got}"


# The cast's people signed in once (sign_in), by role: their session keys. A row's requests reuse them
# rather than signing in for each role of each row (a new session, a login signal and a last-login write each
# time: over a quarter of a row's time); the sessions live in the module's transaction, so whatever a request
# does to one is rolled back with the rest of its savepoint.
_SESSIONS: dict[tuple[str, int], str] = {}


def sign_in(cast: dict) -> None:
    """Signs each person of the cast in once, for every row of the module (call it where the cast is built)."""
    for role in ROLES:
        if role != "anonymous":
            client = Client()
            client.force_login(cast[role])
            _SESSIONS[(role, cast[role].pk)] = client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_out() -> None:
    """Forgets the sessions of sign_in (when the module's transaction, which holds them, is rolled back)."""
    _SESSIONS.clear()


@functools.cache
def _the_client() -> Client:
    """One test client for every request of the matrix, its cookies cleared before each (a new client loads
    the whole middleware stack again at its first request)."""
    return Client(raise_request_exception=False)


def _client(cast: Cast, role: str) -> Client:
    client = _the_client()
    client.cookies = SimpleCookie()
    if role == "anonymous":
        return client
    key = _SESSIONS.get((role, cast[role].pk))
    if key is None:
        client.force_login(cast[role])
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def _request(row: Row, cast: Cast, role: str) -> Outcome:
    client = _client(cast, role)
    url = row.url(cast)
    data = row.data(cast) if callable(row.data) else row.data
    method = row.method.lower()
    token = row.tokens[ROLES.index(role)]
    if row.is_api and method != "get":
        response = getattr(client, method)(url, data=data or {}, content_type="application/json")
    elif method in {"get", "head"}:
        response = getattr(client, method)(url, data=data)
    else:
        response = getattr(client, method)(url, data=data or {})
    probe_shown = None
    if row.probe is not None:
        body = b"".join(response) if response.streaming else response.content
        probe_shown = row.probe(cast) in body.decode("utf-8", "replace")
    return Outcome(role, token, response.status_code, response.get("Location", ""), probe_shown)


def run_row(row: Row, cast: Cast, *, stop_at_first_mismatch: bool = False, roles: tuple[str, ...] = ROLES,
            current: list[str] | None = None) -> list[Outcome]:
    """Sends the row's request as each role (or those given), each inside a savepoint rolled back afterwards.

    `current`, when given, holds the row's id and the role while that role's request runs (what spy records).
    """
    outcomes = []
    for role in roles:
        if stop_at_first_mismatch and outcomes and not outcomes[-1].ok:
            break
        if current is not None:
            current[:] = [row.id, role]
        try:
            with transaction.atomic():
                outcomes.append(_request(row, cast, role))
                raise _Rollback
        except _Rollback:
            pass
        for person in cast.values():  # cached roles would outlive the rolled-back writes
            if hasattr(person, "_mentora_roles"):
                del person._mentora_roles
    return outcomes


def mismatches(row: Row, cast: Cast, *, stop_at_first_mismatch: bool = False, roles: tuple[str, ...] = ROLES,
               current: list[str] | None = None) -> list[str]:
    outcomes = run_row(row, cast, stop_at_first_mismatch=stop_at_first_mismatch, roles=roles, current=current)
    return [f"{row.id} {outcome.describe()}" for outcome in outcomes if not outcome.ok]


# --- permission rules and their mutations --------------------------------------------------------


def permission_modules() -> list[Any]:
    import mentora

    modules = []
    for info in pkgutil.iter_modules(mentora.__path__):
        try:
            modules.append(importlib.import_module(f"mentora.{info.name}.permissions"))
        except ModuleNotFoundError as error:
            if error.name != f"mentora.{info.name}.permissions":
                raise
    return modules


def permission_rules() -> dict[str, Callable]:
    """Every public function defined in a mentora/*/permissions.py, by dotted name."""
    import inspect

    rules = {}
    for module in permission_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value) or value.__module__ != module.__name__:
                continue
            dotted = f"{module.__name__}.{name}"
            if dotted not in NOT_RULES:
                rules[dotted] = value
    return rules


def preload() -> None:
    """Imports every mentora module before any rule is patched.

    A module first imported while a rule is patched would keep the patched function forever (its
    `from .permissions import rule` binds the stand-in, which monkeypatch never restores).
    """
    import mentora

    get_resolver().url_patterns  # noqa: B018 - loads every urls, views and api module
    for info in pkgutil.walk_packages(mentora.__path__, "mentora."):
        if any(part in info.name for part in (".migrations", ".management", ".tests")):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError:  # optional extras (e.g. semantic matching) may be missing
            continue


# Where functions of the permission modules are bound: (module, attribute) pairs of every loaded mentora
# module, found again whenever a mentora module has been imported since. Every row spies on every rule:
# looking through all modules' attributes for each rule took about a tenth of a second per row.
_BINDINGS: dict[str, Any] = {"modules": -1, "places": []}


def _permission_bindings() -> list[tuple[Any, str]]:
    modules = [module for name, module in list(sys.modules.items()) if name.startswith("mentora.") and module]
    if len(modules) != _BINDINGS["modules"]:
        # A spy or a mutant keeps its rule's __module__ (functools.wraps), so the places found stay
        # right while rules are patched.
        _BINDINGS["places"] = [
            (module, attribute) for module in modules for attribute, value in list(vars(module).items())
            if callable(value) and (getattr(value, "__module__", None) or "").endswith(".permissions")
        ]
        _BINDINGS["modules"] = len(modules)
    return _BINDINGS["places"]


def replace_everywhere(monkeypatch, original: Callable, replacement: Callable) -> None:
    """Rebinds the function in every loaded mentora module (also `from .permissions import x`)."""
    replace_all_everywhere(monkeypatch, [(original, replacement)])


def replace_all_everywhere(monkeypatch, replacements: list[tuple[Callable, Callable]]) -> None:
    """replace_everywhere for many functions in one look through the modules: every row spies on every
    rule, and listing the loaded modules once per rule took over a third of the matrix's time."""
    by_identity: dict[int, tuple[Callable, Callable]] = {}
    for original, replacement in replacements:  # a function listed twice keeps its first replacement
        by_identity.setdefault(id(original), (original, replacement))
    for module, attribute in _permission_bindings():
        bound = getattr(module, attribute, None)
        original, replacement = by_identity.get(id(bound), (None, None))
        if original is not None and bound is original:
            monkeypatch.setattr(module, attribute, replacement)


def mutant(original: Callable, mode: str) -> Callable:
    """The rule switched to always allow (mode "allow") or always deny ("deny").

    A rule answers a bool, or a QuerySet of what the person may see: allowing everything drops the
    queryset's filters, denying everything empties it.
    """

    @functools.wraps(original)
    def switched(*args, **kwargs):
        result = original(*args, **kwargs)
        if isinstance(result, bool):
            return mode == "allow"
        if isinstance(result, QuerySet):
            if mode == "deny":
                return result.none()
            unfiltered = result.all()
            unfiltered.query.where = unfiltered.query.where_class()
            return unfiltered
        raise TypeError(
            f"{original.__module__}.{original.__name__} returned {type(result).__name__}: a permission rule "
            "returns a bool or a QuerySet (name helpers with a leading underscore, or list them in NOT_RULES)"
        )

    return switched


def spy(original: Callable, dotted: str, calls: dict[str, set[tuple[str, str]]], current: list[str]) -> Callable:
    """The rule unchanged, recording in `calls` the (row id, role) of `current` each time it is called."""

    @functools.wraps(original)
    def recorded(*args, **kwargs):
        if current:
            calls.setdefault(dotted, set()).add(tuple(current))
        return original(*args, **kwargs)

    return recorded


REFUSALS = {"401", "403", "404", "login"}


def could_notice(token: str, mode: str) -> bool:
    """Whether a role expected to get `token` is one that a rule switched to always `mode` would likely answer
    otherwise, when its request reaches the rule: one let in for a rule that denies everything, one refused (or
    kept from the probe) for a rule that allows everything. Only the order requests are tried in: every role
    whose request reaches the rule is tried in the end."""
    refused = token in REFUSALS or token.endswith("-")
    return not refused if mode == "deny" else refused
