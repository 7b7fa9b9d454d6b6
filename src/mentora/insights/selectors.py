"""Reads behind the program dashboard: the panels for a scope, one table or chart, the people
behind a figure, and the scope described in words."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import threading
import time
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import F, QuerySet
from django.utils import timezone

from mentora.core.academic_year import academic_year_label, current_academic_year
from mentora.core.data_version import cached, cached_many
from mentora.core.time_zones import zone_or_default
from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.programs.models import Membership, Program
from mentora.programs.selectors import figure_viewers_signed_in_since

from .panels import Cell, Chart, Panel, Table
from .providers import BY_KEY, PROVIDERS
from .scope import Scope, scope_for

User = get_user_model()


CACHE_FORMAT = "2"  # bump when a Panel's shape changes


def _panel_key(provider_key: str, scope: Scope) -> str:
    digest = hashlib.sha256(scope.key().encode()).hexdigest()[:20]
    return f"insights:panel:{CACHE_FORMAT}:{provider_key}:{digest}"


# Scopes someone looked at lately: the worker computes their panels again after a data change
# (tasks.dashboards_warm_task), so the first look after the change finds them ready.
_VIEWED_KEY = "insights:viewed-scopes"
VIEWED_SCOPES = 50
VIEWED_DAYS = 14
_VIEWED_REFRESH_SECONDS = 3600


def _scope_id(scope: Scope) -> str:
    return scope.key().rsplit("|", 1)[0]  # without the day


def remember_scope(scope: Scope) -> None:
    """Note that someone looked at the scope, in their time zone (their day is part of the panels' key), at
    most one cache write an hour per scope and zone."""
    now, zone = time.time(), timezone.get_current_timezone_name()
    viewed = cache.get(_VIEWED_KEY) or {}
    name = f"{_scope_id(scope)}@{zone}"
    seen = viewed.get(name)
    if seen is not None and now - seen[1] < _VIEWED_REFRESH_SECONDS:
        return
    viewed[name] = (dataclasses.replace(scope, today=None), now, zone)
    kept = sorted(((k, v) for k, v in viewed.items() if now - v[1] < VIEWED_DAYS * 86400), key=lambda kv: -kv[1][1])
    cache.set(_VIEWED_KEY, dict(kept[:VIEWED_SCOPES]), None)


def viewed_scopes() -> list[tuple[Scope, str]]:
    """The scopes looked at in the last VIEWED_DAYS days, most recent first, each with the time zone of the
    person who looked and as of their today."""
    now = time.time()
    viewed = sorted((cache.get(_VIEWED_KEY) or {}).values(), key=lambda found: -found[1])
    scopes = []
    for scope, at, *rest in viewed:
        if now - at < VIEWED_DAYS * 86400:
            zone = rest[0] if rest else settings.TIME_ZONE
            today = timezone.localdate(timezone=zoneinfo.ZoneInfo(zone))
            scopes.append((dataclasses.replace(scope, today=today), zone))
    return scopes


def admin_default_scopes() -> list[tuple[Scope, str]]:
    """The dashboard a site admin opens first (every program, this academic year, every training level), once
    per time zone site admins live in, as of their today. It costs the most to compute (every program's rows),
    so the worker computes it ahead even before an admin first looks (tasks.dashboards_warm_task)."""
    zones = set(User.objects.filter(is_superuser=True, is_active=True).values_list("profile__time_zone", flat=True))
    scopes = []
    for zone in sorted({zone_or_default(zone) for zone in zones}):
        with timezone.override(zoneinfo.ZoneInfo(zone)):  # the admin's day and academic year
            scopes.append((Scope(program_ids=None, academic_year=current_academic_year()), zone))
    return scopes


def signed_in_default_scopes() -> list[tuple[Scope, str]]:
    """The dashboard each person who may look at figures and signed in within VIEWED_DAYS opens first (no
    filter: the programs they see, this academic year), in their time zone as of their today; at most
    VIEWED_SCOPES people, the latest signed in first. Read from the database: it holds even when the cache
    that remembers the scopes looked at was emptied, and for a coordinator who has not opened it yet."""
    since = timezone.now() - datetime.timedelta(days=VIEWED_DAYS)
    people = figure_viewers_signed_in_since(since=since).annotate(zone_name=F("profile__time_zone"))
    scopes = []
    for person in people[:VIEWED_SCOPES]:
        zone = zone_or_default(person.zone_name)
        with timezone.override(zoneinfo.ZoneInfo(zone)):  # the person's day and academic year
            scope, _form = scope_for(user=person, data=None)
        scopes.append((scope, zone))
    return scopes


def scopes_to_warm() -> list[tuple[Scope, str]]:
    """The scopes the worker computes ahead after a change: those looked at lately, the site admins'
    default dashboards, and the default dashboard of each person who signed in lately; each once (a scope
    and zone), most recently looked at first."""
    found: dict[tuple[str, str], tuple[Scope, str]] = {}
    for scope, zone in [*viewed_scopes(), *admin_default_scopes(), *signed_in_default_scopes()]:
        found.setdefault((scope.key(), zone), (scope, zone))
    return list(found.values())


def _computed(scope: Scope, keys: list[str]) -> dict[str, Panel]:
    """The panels of these providers. A dashboard's first computation is the database's work (a few
    aggregate queries per panel), so outside a transaction they are computed by PANEL_THREADS threads, each
    on its own database connection (closed when it is done), in the requester's time zone, the heaviest
    panels first so the threads finish together. Inside a transaction (a test, a request that writes) they
    are computed one by one on its connection, the only one that sees its uncommitted rows."""
    count = min(settings.MENTORA_PANEL_THREADS, len(keys))
    if count < 2 or connection.in_atomic_block:
        return {key: BY_KEY[key].panel(scope) for key in keys}
    zone = timezone.get_current_timezone()
    waiting = iter(sorted(keys, key=lambda key: -BY_KEY[key].weight))
    taking = threading.Lock()
    found: dict[str, Panel] = {}
    failed: list[BaseException] = []

    def compute() -> None:
        try:
            with timezone.override(zone):
                while not failed:
                    with taking:
                        key = next(waiting, None)
                    if key is None:
                        return
                    found[key] = BY_KEY[key].panel(scope)
        except BaseException as error:  # noqa: BLE001 - raised again in the request's thread below
            failed.append(error)
        finally:
            connections.close_all()  # this thread's own connections

    threads = [threading.Thread(target=compute, name=f"insights-panel_{n}") for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise failed[0]
    return found


def dashboard_panels(*, scope: Scope, use_cache: bool = True) -> list[Panel]:
    """Every panel for the scope; each computed panel is kept until the data changes (data_version.cached_many),
    so a warm dashboard costs one version query and one cache read."""
    if not use_cache:
        found = _computed(scope, list(BY_KEY))
    else:
        remember_scope(scope)
        keys = {provider.key: _panel_key(provider.key, scope) for provider in PROVIDERS}
        found = cached_many(keys, lambda missing: _computed(scope, missing))
    return [found[provider.key] for provider in PROVIDERS]


def panel_for(*, scope: Scope, key: str) -> Panel | None:
    provider = BY_KEY.get(key)
    if provider is None:
        return None
    return cached(_panel_key(key, scope), lambda: provider.panel(scope))


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


# --- the network roll-up: a network's programs side by side ------------------------------------------

NETWORK_COLUMNS = [
    ("mentees", "Mentees"), ("mentors", "Mentors"), ("unmatched", "Mentees without a mentor"),
    ("load", "Mentor load (places taken of offered)"), ("over", "Mentors over capacity"),
    ("on_track", "Relationships on cadence (%)"), ("ilp", "ILP signed off in 12 months (%)"),
    ("concordance", "Concordance met of asked"), ("feedback", "Mentees' mean feedback (1–7)"),
]
NETWORK_PROGRAM_LIMIT = 60


def _cell(panel: Panel | None, table_key: str, row: int, column: int = 1) -> Cell | None:
    table = panel.table(table_key) if panel else None
    if table is None or row >= len(table.rows):
        return None
    return table.rows[row][column]


def _percent(part: Cell | None, whole: Cell | None) -> Cell:
    if part is None or whole is None:
        return Cell(None)
    if part.suppressed or whole.suppressed:
        return Cell(None, suppressed=True)
    return Cell(round(100 * part.value / whole.value, 1) if whole.value else None)


def _program_figures(panels: dict[str, Panel]) -> dict[str, Cell]:
    """One program's figures for the roll-up, read from its own dashboard panels (so they are computed,
    cached and suppressed exactly as on the program's dashboard)."""
    people, load, cadence, ilps = panels.get("people"), panels.get("load"), panels.get("cadence"), panels.get("ilps")
    figures = {
        "mentees": _cell(people, "people.counts", 0) or Cell(0),
        "mentors": _cell(people, "people.counts", 3) or Cell(0),
        "unmatched": _cell(people, "people.counts", 2) or Cell(0),
        "over": _cell(load, "load.buckets", 0) or Cell(None),
        "on_track": _cell(cadence, "cadence.health", 0, 2) or Cell(None),
    }
    taken, offered = _cell(load, "load.places", 1), _cell(load, "load.places", 0)
    figures["load"] = Cell(f"{taken.value} of {offered.value}") if taken and offered else Cell(None)
    signed = _cell(ilps, "ilps.compliance", 0)
    figures["ilp"] = _percent(signed, figures["mentees"]) if signed else Cell(None)
    figures["concordance"] = _concordance_figure(panels.get("matches"))
    figures["feedback"] = _feedback_figure(panels.get("feedback"))
    return figures


def _concordance_figure(panel: Panel | None) -> Cell:
    """Mentees matched with a concordant mentor, of those who asked, over every shared identity: suppressed
    (shown "<5") whenever any of its parts is, as the table it comes from."""
    table = panel.table("matches.concordance") if panel else None
    if table is None:
        return Cell(None)
    asked = [row[1] for row in table.rows]
    met = [row[2] for row in table.rows]
    if any(c.suppressed for c in asked + met):
        return Cell(None, suppressed=True)
    total = sum(c.value or 0 for c in asked)
    return Cell(f"{sum(c.value or 0 for c in met)} of {total}") if total else Cell(None)


def _feedback_figure(panel: Panel | None) -> Cell:
    """The mean of the mentees' per-question means (each over at least 5 answers, else suppressed)."""
    table = panel.table("feedback.ratings") if panel else None
    if table is None:
        return Cell(None)
    means = [row[3] for row in table.rows if row[0].value == "Mentees"]
    shown = [c.value for c in means if not c.suppressed and c.value is not None]
    if not shown:
        return Cell(None, suppressed=any(c.suppressed for c in means))
    return Cell(round(sum(shown) / len(shown), 1))


def network_rollup(*, programs: list[Program], academic_year: int) -> list[tuple[Program, dict[str, Cell]]]:
    """Each program's figures for the year, side by side (the first NETWORK_PROGRAM_LIMIT programs by name)."""
    rows = []
    for program in programs[:NETWORK_PROGRAM_LIMIT]:
        scope = Scope(program_ids=(program.pk,), academic_year=academic_year, program=program.pk)
        panels = {panel.key: panel for panel in dashboard_panels(scope=scope)}
        rows.append((program, _program_figures(panels)))
    return rows
