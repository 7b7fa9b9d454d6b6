"""A data version for caches of figures (the insights dashboard's panels, the coordinator's home, the
ILP compliance summary): they are cached under it, so it must change whenever rows they read change,
and reading it must cost next to nothing whatever the data's size.

The database keeps it: triggers on every watched table move it on each write, however the write is
made (a model's save, a queryset's update, bulk_create, an import's raw SQL, COPY), in the writing
transaction itself. So a request sees the new version exactly when it sees the new rows (its own
uncommitted writes included), and reading it is one statement over two tiny tables.

- SQLite (one writer at a time anyway): a row trigger adds one to the single row of
  `mentora_data_version` and gives it a new random token.
- PostgreSQL: a statement trigger appends a row to `mentora_data_change` (an insert takes no lock
  another writer waits for, unlike bumping one shared row would); the version is the row's figures
  plus how many changes were appended and the latest one's id. Now and then a reader folds the
  appended changes into the row (`compact`), which leaves the version as it was.

A rolled-back write never hands its version to the next commit: the token is random on SQLite and
change ids come from a sequence on PostgreSQL, neither given out twice, so figures a rolled-back
transaction cached (in a cache outside the database, such as Redis) are never read again.

The tables and triggers are made (when missing) after every `migrate`, as a migration that rebuilds
a table on SQLite drops its triggers. They are no models: not backed up, not flushed.

It lives in core, below every app that caches under it; the tables watched are named here by label (no
import), and an app that must act on a change (insights computes the panels ahead) registers with
`on_change`, called after saves and deletes through the ORM, so this module imports no app above it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import DatabaseError, connection, connections, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)
VERSION_TABLE = "mentora_data_version"
CHANGE_TABLE = "mentora_data_change"
TRIGGER = "mentora_data_version"
# Appended changes a reader folds into the version row once there are more than this (PostgreSQL).
COMPACT_AFTER = 1000
_ON_CHANGE: list[Callable[[], None]] = []

# (app label, model name) of the tables the cached figures read.
WATCHED = [
    ("programs", "Membership"),
    ("relationships", "Relationship"),
    ("profiles", "MentorOffer"),
    ("profiles", "SensitiveAttributes"),
    ("scholarly", "ScholarlyProject"),
    ("scholarly", "StageChange"),
    ("meetings", "Meeting"),
    ("meetings", "Agreement"),
    ("meetings", "SurveyResponse"),
    ("ilps", "LearningPlan"),
    ("ilps", "Goal"),
    ("ilps", "SignOff"),
    ("ilps", "Review"),
    ("ilps", "ProgressUpdate"),
]


def _watched_models():
    for app_label, model_name in WATCHED:
        try:
            yield apps.get_model(app_label, model_name)
        except LookupError:
            continue


def watched_tables() -> list[str]:
    return [model._meta.db_table for model in _watched_models()]


def _read(cursor) -> tuple[int, str]:
    """(changes appended and not yet folded in, the version)."""
    cursor.execute(
        f"SELECT c.n, COALESCE(c.last, v.last_change, 0), COALESCE(v.version, 0) + c.n, COALESCE(v.token, '')"
        f" FROM (SELECT COUNT(*) AS n, MAX(id) AS last FROM {CHANGE_TABLE}) c"
        f" LEFT JOIN {VERSION_TABLE} v ON v.id = 1"
    )
    appended, last, version, token = cursor.fetchone()
    return appended, f"{version}.{last}.{token}"


def data_version() -> str:
    """The current version: one small statement (the fold of PostgreSQL's appended changes, now and then)."""
    with connection.cursor() as cursor:
        appended, version = _read(cursor)
    if appended > COMPACT_AFTER and not connection.in_atomic_block:
        compact()
    return version


# How long a figure computed under a version is kept when nothing changes: it is replaced as soon as it
# is read under a newer version, so this only bounds how long a figure nobody looks at any more stays in
# the cache. The figures cached this way are computed per day (their keys name the viewer's day), so two
# days keep today's and yesterday's.
KEEP_SECONDS = 2 * 86400


def cached_many(keys: dict[str, str], compute: Callable[[list[str]], dict[str, object]], *,
                keep_seconds: int = KEEP_SECONDS) -> dict[str, object]:
    """For each name, the value stored under its cache key if it was computed under the current data version,
    else computed (`compute(names)` gets the names missing, returns their values) and stored with that version
    in place of the outdated one. Kept until the data changes, not for a fixed time: a quiet spell (no write
    at all) never makes a figure cold, and one key per figure means no outdated copies pile up."""
    version = data_version()
    stored = cache.get_many(list(keys.values()))
    found = {}
    for name, key in keys.items():
        entry = stored.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
            found[name] = entry[1]
    missing = [name for name in keys if name not in found]
    if missing:
        computed = compute(missing)
        found.update(computed)
        cache.set_many({keys[name]: (version, computed[name]) for name in missing}, keep_seconds)
    return found


def cached(key: str, compute: Callable[[], object], *, keep_seconds: int = KEEP_SECONDS):
    """`compute()` as of the current data version, kept under `key` until the data changes (cached_many)."""
    return cached_many({key: key}, lambda _names: {key: compute()}, keep_seconds=keep_seconds)[key]


def compact(using: str = "default") -> None:
    """Fold the appended changes into the version row, in one statement: any reader sees the version
    before or after it, which are the same."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=using), conn.cursor() as cursor:
            cursor.execute(
                f"WITH moved AS (DELETE FROM {CHANGE_TABLE} RETURNING id)"
                f" INSERT INTO {VERSION_TABLE} (id, version, last_change, token)"
                f" SELECT 1, COUNT(*), COALESCE(MAX(id), 0), md5(random()::text) FROM moved"
                f" ON CONFLICT (id) DO UPDATE SET version = {VERSION_TABLE}.version + EXCLUDED.version,"
                f" last_change = GREATEST({VERSION_TABLE}.last_change, EXCLUDED.last_change)"
            )
    except DatabaseError:  # the fold is housekeeping: the version read stays right without it
        logger.warning("could not fold the data version's changes", exc_info=True)


def _install_sqlite(cursor, tables: list[str]) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (id integer PRIMARY KEY, version bigint NOT NULL,"
                   " last_change bigint NOT NULL, token varchar(32) NOT NULL)")
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (id integer PRIMARY KEY AUTOINCREMENT)")
    cursor.execute(f"INSERT OR IGNORE INTO {VERSION_TABLE} VALUES (1, 0, 0, lower(hex(randomblob(8))))")
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            cursor.execute(
                f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}_{table}_{event.lower()}" AFTER {event} ON "{table}"'
                f" BEGIN INSERT INTO {VERSION_TABLE} (id, version, last_change, token)"
                f" VALUES (1, 1, 0, lower(hex(randomblob(8))))"
                f" ON CONFLICT (id) DO UPDATE SET version = version + 1, token = excluded.token; END"
            )


def _install_postgresql(cursor, tables: list[str]) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (id integer PRIMARY KEY, version bigint NOT NULL,"
                   " last_change bigint NOT NULL, token varchar(32) NOT NULL)")
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {CHANGE_TABLE} (id bigserial PRIMARY KEY)")
    cursor.execute(f"INSERT INTO {VERSION_TABLE} VALUES (1, 0, 0, md5(random()::text)) ON CONFLICT (id) DO NOTHING")
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {TRIGGER}_changed() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN INSERT INTO {CHANGE_TABLE} DEFAULT VALUES; RETURN NULL; END $$"
    )
    cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                   " WHERE t.tgname = %s AND c.relnamespace = current_schema()::regnamespace", [TRIGGER])
    present = {name for (name,) in cursor.fetchall()}
    for table in tables:
        if table not in present:
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"'
                f" FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_changed()"
            )


def install(using: str = "default", **kwargs) -> None:
    """Make the version's tables and the watched tables' triggers where missing (after every migrate)."""
    conn = connections[using]
    existing = set(conn.introspection.table_names())
    tables = [table for table in watched_tables() if table in existing]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            _install_postgresql(cursor, tables)
        elif conn.vendor == "sqlite":
            _install_sqlite(cursor, tables)
        else:
            raise NotImplementedError(f"no data version triggers for {conn.vendor}")


def data_changed(**kwargs) -> None:
    """A watched row was saved or deleted through the ORM: tell the apps that act on changes."""
    if kwargs.get("raw"):
        return  # fixtures being loaded
    for hook in _ON_CHANGE:
        hook()


def on_change(hook: Callable[[], None]) -> None:
    """Call `hook` (no arguments) after each change of a watched row; registered once per process."""
    if hook not in _ON_CHANGE:
        _ON_CHANGE.append(hook)


def connect_signals() -> None:
    for model in _watched_models():
        post_save.connect(data_changed, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
