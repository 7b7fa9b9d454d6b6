"""Reads behind the program dashboard: the panels for a scope, one table or chart, the people
behind a figure, and the scope described in words."""

from __future__ import annotations

import dataclasses
import hashlib
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from mentora.core.academic_year import academic_year_label
from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.programs.models import Membership, Program

from .panels import Chart, Panel, Table
from .providers import BY_KEY, PROVIDERS
from .scope import Scope
from .version import data_version

User = get_user_model()


PANEL_CACHE_SECONDS = 10 * 60
CACHE_FORMAT = "1"  # bump when a Panel's shape changes


def _panel_key(provider_key: str, scope: Scope, version: str) -> str:
    digest = hashlib.sha256(scope.key().encode()).hexdigest()[:20]
    return f"insights:panel:{CACHE_FORMAT}:{provider_key}:{digest}:{version}"


# Scopes someone looked at lately: the worker computes their panels again after a data change
# (tasks.dashboards_warm_task), so the first look after the change finds them ready.
_VIEWED_KEY = "insights:viewed-scopes"
VIEWED_SCOPES = 50
VIEWED_DAYS = 14
_VIEWED_REFRESH_SECONDS = 3600


def _scope_id(scope: Scope) -> str:
    return scope.key().rsplit("|", 1)[0]  # without the day


def remember_scope(scope: Scope) -> None:
    """Note that someone looked at the scope (at most one cache write an hour per scope)."""
    now = time.time()
    viewed = cache.get(_VIEWED_KEY) or {}
    seen = viewed.get(_scope_id(scope))
    if seen is not None and now - seen[1] < _VIEWED_REFRESH_SECONDS:
        return
    viewed[_scope_id(scope)] = (dataclasses.replace(scope, today=None), now)
    kept = sorted(((k, v) for k, v in viewed.items() if now - v[1] < VIEWED_DAYS * 86400), key=lambda kv: -kv[1][1])
    cache.set(_VIEWED_KEY, dict(kept[:VIEWED_SCOPES]), None)


def viewed_scopes() -> list[Scope]:
    """The scopes looked at in the last VIEWED_DAYS days, most recent first, as of today."""
    now, today = time.time(), timezone.localdate()
    viewed = sorted((cache.get(_VIEWED_KEY) or {}).values(), key=lambda found: -found[1])
    return [dataclasses.replace(scope, today=today) for scope, at in viewed if now - at < VIEWED_DAYS * 86400]


def dashboard_panels(*, scope: Scope, use_cache: bool = True) -> list[Panel]:
    """Every panel for the scope; computed panels are kept under the current data version, so a
    warm dashboard costs one version query and one cache read."""
    if not use_cache:
        return [provider.panel(scope) for provider in PROVIDERS]
    remember_scope(scope)
    version = data_version()
    keys = {provider.key: _panel_key(provider.key, scope, version) for provider in PROVIDERS}
    cached = cache.get_many(list(keys.values()))
    panels, fresh = [], {}
    for provider in PROVIDERS:
        panel = cached.get(keys[provider.key])
        if panel is None:
            panel = provider.panel(scope)
            fresh[keys[provider.key]] = panel
        panels.append(panel)
    if fresh:
        cache.set_many(fresh, PANEL_CACHE_SECONDS)
    return panels


def panel_for(*, scope: Scope, key: str) -> Panel | None:
    provider = BY_KEY.get(key)
    if provider is None:
        return None
    cache_key = _panel_key(key, scope, data_version())
    panel = cache.get(cache_key)
    if panel is None:
        panel = provider.panel(scope)
        cache.set(cache_key, panel, PANEL_CACHE_SECONDS)
    return panel


def table_for(*, scope: Scope, table_key: str) -> Table | None:
    panel = panel_for(scope=scope, key=table_key.split(".", 1)[0])
    return panel.table(table_key) if panel else None


def chart_for(*, scope: Scope, chart_key: str) -> Chart | None:
    panel = panel_for(scope=scope, key=chart_key.split(".", 1)[0])
    return panel.chart(chart_key) if panel else None


def figure_is_drillable(panel: Panel, figure: str) -> bool:
    """A figure drills down only if a non-sensitive table of the panel links to it."""
    return any(cell.drill == figure for table in panel.tables if not table.sensitive
               for row in table.rows for cell in row)


def people_behind(*, scope: Scope, panel_key: str, figure: str) -> QuerySet | None:
    provider = BY_KEY.get(panel_key)
    if provider is None:
        return None
    people = provider.people(scope, figure)
    if people is None:
        return None
    memberships = Membership.objects.filter(scope.program_q(), academic_year=scope.academic_year, is_active=True)
    # Never anyone outside the scope's programs (nor anyone who left them), whatever the provider returned.
    return people.filter(pk__in=memberships.values("user_id")).select_related("profile").order_by("full_name")


def people_rows(*, scope: Scope, people: QuerySet, limit: int = 500) -> list[dict]:
    rows = []
    users = list(people[:limit])
    levels = {}
    for user_id, program_name, role, level in Membership.objects.filter(
        scope.program_q(), academic_year=scope.academic_year, is_active=True, user_id__in=[u.pk for u in users]
    ).values_list("user_id", "program__name", "role", "training_level"):
        levels.setdefault(user_id, []).append((program_name, role, TRAINING_LEVELS.get(level, "")))
    for user in users:
        rows.append({"user": user, "memberships": levels.get(user.pk, [])})
    return rows


def scope_label(*, scope: Scope) -> str:
    if scope.program:
        programs = Program.objects.filter(pk=scope.program).values_list("name", flat=True).first() or ""
    elif scope.program_ids is None:
        programs = "All programs"
    else:
        programs = f"{len(scope.program_ids)} program{'s' if len(scope.program_ids) != 1 else ''}"
    level = TRAINING_LEVELS.get(scope.training_level, "All training levels")
    return f"{programs} · {academic_year_label(scope.academic_year)} · {level}"
