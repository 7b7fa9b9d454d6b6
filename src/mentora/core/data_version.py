"""A data version for caches of figures (the insights dashboard's panels, the coordinator's home, the
ILP compliance summary): they are cached under it, so it must change whenever rows they read change,
and reading it must cost next to nothing whatever the data's size.

It has two parts, read together from the cache in one round trip:
- a write counter, bumped when a row of a watched table is saved or deleted through the ORM (and
  again after the transaction commits, so panels computed meanwhile from the data before the write
  are not kept under the new version);
- a fingerprint of the watched tables (counts, largest ids and latest changes), computed by a query
  that reads whole tables. It is kept in the cache for FINGERPRINT_SECONDS, so one request a
  minute pays for it instead of every request; it catches what the counter cannot see (bulk
  inserts and updates that bypass model saves), at most FINGERPRINT_SECONDS late.

It lives in core, below every app that caches under it; the tables watched are named here by label (no
import), and an app that must act on a change (insights computes the panels ahead) registers with
`on_change`, so this module imports no app above it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)
FINGERPRINT_SECONDS = 60
_WRITES_KEY = "insights:data-version:writes"
_FINGERPRINT_KEY = "insights:data-version:fingerprint"
_ON_CHANGE: list[Callable[[], None]] = []

# (app label, model name): the columns that change when a row changes.
WATCHED = [
    ("programs", "Membership", ["COUNT(*)", "MAX(id)", "SUM(CASE WHEN is_active THEN 1 ELSE 0 END)"]),
    ("relationships", "Relationship", ["COUNT(*)", "MAX(updated_at)"]),
    ("profiles", "MentorOffer", ["COUNT(*)", "SUM(capacity)", "SUM(CASE WHEN accepting_new_mentees THEN 1 ELSE 0 END)"]),
    ("profiles", "SensitiveAttributes", ["COUNT(*)", "MAX(updated_at)"]),
    ("scholarly", "ScholarlyProject", ["COUNT(*)", "MAX(updated_at)"]),
    ("scholarly", "StageChange", ["COUNT(*)", "MAX(id)"]),
    ("meetings", "Meeting", ["COUNT(*)", "MAX(updated_at)"]),
    ("meetings", "Agreement", ["COUNT(*)", "MAX(updated_at)"]),
    ("meetings", "SurveyResponse", ["COUNT(*)", "MAX(id)"]),
    ("ilps", "LearningPlan", ["COUNT(*)", "MAX(updated_at)"]),
    ("ilps", "Goal", ["COUNT(*)", "MAX(updated_at)"]),
    ("ilps", "SignOff", ["COUNT(*)", "MAX(id)"]),
    ("ilps", "Review", ["COUNT(*)", "MAX(id)"]),
    ("ilps", "ProgressUpdate", ["COUNT(*)", "MAX(id)"]),
]


def _watched_models():
    for app_label, model_name, expressions in WATCHED:
        try:
            yield apps.get_model(app_label, model_name), expressions
        except LookupError:
            continue


def _parts() -> list[str]:
    parts = []
    for model, expressions in _watched_models():
        fields = {f.column for f in model._meta.concrete_fields}
        table = connection.ops.quote_name(model._meta.db_table)
        for expression in expressions:
            column = expression.split("(", 1)[1].split(")", 1)[0].replace("CASE WHEN ", "").split(" ")[0]
            if column != "*" and column not in fields:
                continue
            parts.append(f"(SELECT {expression} FROM {table})")
    return parts


def table_fingerprint() -> str:
    """The watched tables' counts and latest changes, hashed: reads whole tables (the slow part)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(_parts()))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


def data_version() -> str:
    """The current version: one cache read, and the fingerprint query once a minute."""
    found = cache.get_many([_WRITES_KEY, _FINGERPRINT_KEY])
    fingerprint = found.get(_FINGERPRINT_KEY)
    if fingerprint is None:
        fingerprint = table_fingerprint()
        cache.set(_FINGERPRINT_KEY, fingerprint, FINGERPRINT_SECONDS)
    return f"{found.get(_WRITES_KEY, 0)}-{fingerprint}"


def _bump() -> None:
    try:
        if cache.add(_WRITES_KEY, 1, None):
            return
        cache.incr(_WRITES_KEY)
    except ValueError:  # expired between add and incr
        cache.set(_WRITES_KEY, 1, None)
    except Exception:  # noqa: BLE001 - a cache that is not set up yet costs freshness (the fingerprint), not the write
        logger.warning("could not move the insights data version", exc_info=True)


def data_changed(**kwargs) -> None:
    """A watched row was saved or deleted: a new version now (this transaction's own requests see
    it) and again once the transaction commits (panels another request computed meanwhile, from the
    data before the commit, are never read again)."""
    if kwargs.get("raw"):
        return  # fixtures being loaded
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)
    for hook in _ON_CHANGE:
        hook()


def on_change(hook: Callable[[], None]) -> None:
    """Call `hook` (no arguments) after each change of a watched row; registered once per process."""
    if hook not in _ON_CHANGE:
        _ON_CHANGE.append(hook)


def connect_signals() -> None:
    for model, _ in _watched_models():
        post_save.connect(data_changed, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
