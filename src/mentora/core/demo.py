"""What every app's demo step works with: the context the base network hands on, and fast bulk inserts.

The demo network itself (`mentora demo`) is built by mentora.demo.network; each domain app may add
its own data by providing ``<app>/demo.py`` with a ``generate(context: DemoContext) -> None``
function, run after the base network in the order of INSTALLED_APPS.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)

DEMO_LOGINS: dict[str, str] = {
    "mentee": "mentee@example.org",
    "mentor": "mentor@example.org",
    "coordinator": "coordinator@example.org",
    "network": "network@example.org",
    "admin": "admin@example.org",
}
BATCH = 4000
# The design's scale (DESIGN.md): 50,000 mentees, 12,000 mentors, two and a half years of meetings (over 500,000)
# and fuller learning plans (about 200,000 goals). `mentora demo --design-scale`.
DESIGN_SCALE = {"mentees": 50_000, "mentors": 12_000, "history_days": 920, "goals_per_plan": (6, 7, 7, 8)}


class Progress:
    """A thin wrapper so the generator runs with tqdm on a terminal and silently in tests."""

    def __init__(self, total: int, enabled: bool, stream=None):
        self.bar = None
        if enabled:
            from tqdm import tqdm  # only when the progress bar is shown (a terminal)

            self.bar = tqdm(total=total, unit="rows", desc="Demo network", file=stream, smoothing=0.1)

    def update(self, n: int, phase: str | None = None) -> None:
        if self.bar is not None:
            if phase:
                self.bar.set_postfix_str(phase, refresh=False)
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@dataclass
class DemoContext:
    """What the base network hands to each app's demo step."""

    rng: random.Random
    seed: int
    academic_year: int
    today: datetime.date
    network: models.Model  # the demo's programs.Network
    demo_program: models.Model  # the programs.Program the demo logins belong to
    programs: list[models.Model]
    mentee_ids: list[int]
    mentor_ids: list[int]
    logins: dict[str, Any]  # role -> User
    mentee_program: dict[int, int] = field(default_factory=dict)  # mentee id -> program id
    mentor_program: dict[int, int] = field(default_factory=dict)
    relationship_ids: list[int] = field(default_factory=list)
    progress: Progress | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, printed by `mentora demo`
    # How dense the history is: relationships started up to this many days ago (their meetings follow),
    # and how many goals a learning plan has (one picked at random). DESIGN_SCALE makes both denser.
    history_days: int = 400
    goals_per_plan: tuple[int, ...] = (2, 3, 3, 4)

    def bulk_create(self, model: type[M], objects: Iterable[M], phase: str = "") -> list[M]:
        return bulk_create(model, objects, self.progress, phase or model._meta.verbose_name_plural)


def bulk_create(model: type[M], objects: Iterable[M], progress: Progress | None, phase: str) -> list[M]:
    """Insert `objects` in chunks; returns them with their primary keys set (as bulk_create does).

    On SQLite one prepared INSERT run with executemany, on PostgreSQL COPY (_fast_insert): Django's
    bulk_create compiles every value of every row into SQL text, most of the demo's time at the design
    scale. Other databases use bulk_create."""
    vendor = connections[router.db_for_write(model)].vendor
    insert = _fast_insert if vendor in ("sqlite", "postgresql") else _orm_insert
    created: list[M] = []
    chunk: list[M] = []
    for obj in objects:
        chunk.append(obj)
        if len(chunk) >= BATCH:
            created.extend(insert(model, chunk))
            if progress:
                progress.update(len(chunk), phase)
            chunk = []
    if chunk:
        created.extend(insert(model, chunk))
        if progress:
            progress.update(len(chunk), phase)
    return created


def _orm_insert(model: type[M], chunk: list[M]) -> list[M]:
    return model.objects.bulk_create(chunk, batch_size=BATCH)


# Field types whose Python str/int/bool/None values go to the database unchanged (no conversion).
_PLAIN_FIELDS = {
    "AutoField", "BigAutoField", "SmallAutoField", "CharField", "TextField", "EmailField", "SlugField",
    "URLField", "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
    "PositiveBigIntegerField", "PositiveSmallIntegerField", "BooleanField", "ForeignKey", "OneToOneField",
}
_PLAIN_TYPES = (str, int, bool, type(None))


def insert_sql(model: type[models.Model], fields: Sequence[models.Field], connection) -> str:
    """One row's INSERT of `fields` into the model's table, for executemany."""
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})")


def write_rows(model: type[models.Model], fields: Sequence[models.Field], rows: Iterable[Sequence],
               progress: Progress | None = None, phase: str = "") -> int:
    """Write rows of database-ready values (one per field, in order) into the model's table, fast:
    COPY on PostgreSQL (psycopg's copy), one prepared INSERT run with executemany elsewhere (SQLite).
    Returns the number of rows."""
    connection = connections[router.db_for_write(model)]
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            sql = (f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
                   "FROM STDIN")
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
                    if progress and count % BATCH == 0:
                        progress.update(BATCH, phase)
            if progress and count % BATCH:
                progress.update(count % BATCH, phase)
            return count
        sql = insert_sql(model, fields, connection)
        chunk: list[Sequence] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= BATCH:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                if progress:
                    progress.update(len(chunk), phase)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
            if progress:
                progress.update(len(chunk), phase)
    return count


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive new primary keys of the model's table, taken so that nothing else
    gets them: on PostgreSQL from the sequence in one step; on SQLite as AUTOINCREMENT would (the demo
    holds SQLite's write lock for its whole transaction; its sequence follows explicit keys by itself)."""
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
            return cursor.fetchone()[0] - count + 1
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT MAX(seq) FROM sqlite_sequence WHERE name = %s", [meta.db_table])
            highest = max(highest, cursor.fetchone()[0] or 0)
        return highest + 1


def _fast_insert(model: type[M], chunk: list[M]) -> list[M]:
    """The demo's hot path: rows written with write_rows (COPY or executemany).

    Django's bulk_create compiles every value of every row into one SQL string, which is most of
    the demo's time at the design scale. Here values go through each field's own database
    preparation only where they need it, and primary keys are reserved first (reserve_ids).
    """
    meta = model._meta
    if meta.parents:
        return _orm_insert(model, chunk)
    connection = connections[router.db_for_write(model)]
    pk = meta.pk
    fields = list(meta.concrete_fields)
    if getattr(pk, "auto_created", False) or pk.get_internal_type() in {"AutoField", "BigAutoField",
                                                                         "SmallAutoField"}:
        missing = [obj for obj in chunk if getattr(obj, pk.attname) is None]
        if missing:
            next_id = reserve_ids(model, len(missing))
            for offset, obj in enumerate(missing):
                setattr(obj, pk.attname, next_id + offset)
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    plain = {f.attname for f in fields if f.get_internal_type() in _PLAIN_FIELDS}
    rows = []
    for obj in chunk:
        for f in stamped:
            f.pre_save(obj, add=True)
        row = []
        for f in fields:
            value = getattr(obj, f.attname)
            if f.attname not in plain or not isinstance(value, _PLAIN_TYPES):
                value = f.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row)
    write_rows(model, fields, rows)
    db = connection.alias
    for obj in chunk:
        obj._state.adding = False
        obj._state.db = db
    return chunk
