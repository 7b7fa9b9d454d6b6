"""Whole-instance backup and restore: every table, password hashes included, and the uploaded files.

The file on disk is encrypted (backup_crypto: AES-256-GCM in chunks, key from MENTORA_BACKUP_KEY);
inside is a zip:

    manifest.json            format, versions, applied migrations, per model its row count and the
                             SHA-256 of its data file, and per media file its size and SHA-256
    data/<app>.<model>.jsonl one JSON object per row (field attname -> value), models in dependency order
    media/<path>             the files under MEDIA_ROOT

Content types and permissions are not copied (migrate creates them, with other ids on another
database); references to them are written by natural key and translated on restore. Restore goes
into an empty database only (it migrates it first), checks every checksum before writing anything,
loads all rows in one transaction with their primary keys, and resets PostgreSQL's sequences.
A backup made with another key is refused before anything is read; a plain zip (a backup made before
backups were encrypted) is still restored.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string

from mentora.core.db import refresh_planner_statistics

from . import backup_crypto

FORMAT = "mentora-backup"
VERSION = 1
NATURAL = (ContentType, Permission)  # recreated by migrate; referred to by natural key
BATCH = 2000


class BackupError(Exception):
    """The backup cannot be made or restored here (no key, not empty, corrupt, other schema)."""


class BackupKeyError(BackupError):
    """No backup key, a malformed one, or a backup made with another key."""


def backup_key() -> bytes:
    try:
        return backup_crypto.parse_key(getattr(settings, "BACKUP_KEY", ""))
    except backup_crypto.WrongKeyError as error:
        raise BackupKeyError(str(error)) from None


@dataclass
class Summary:
    models: int
    rows: int
    media_files: int
    media_bytes: int
    encrypted: bool = True


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table of the project in dependency order (referenced tables first)."""
    candidates = [
        model for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model not in NATURAL
    ]
    candidates.sort(key=lambda m: m._meta.label)
    ordered: list[type[models.Model]] = []
    seen: set = set()
    visiting: set = set()

    def visit(model):
        if model in seen or model in visiting:
            return  # a cycle: deferred constraints let either order load
        visiting.add(model)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in candidates and field.related_model is not model:
                visit(field.related_model)
        visiting.discard(model)
        seen.add(model)
        ordered.append(model)

    for model in candidates:
        visit(model)
    return ordered


def _natural_maps() -> dict[type, dict[int, list]]:
    return {
        ContentType: {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()},
        Permission: {p.pk: list(p.natural_key()) for p in Permission.objects.select_related("content_type")},
    }


def _encode(value):
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode()
    return str(value)


def _rows(model, natural_maps) -> Iterator[dict]:
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    natural = {field.attname: natural_maps[field.related_model] for field in fields
               if field.is_relation and field.related_model in NATURAL}
    json_fields = {field.attname for field in fields if isinstance(field, models.JSONField)}
    queryset = model._base_manager.order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=BATCH):
        row = {}
        for name, value in zip(names, values, strict=True):
            if name in natural and value is not None:
                value = natural[name][value]
            elif name in json_fields:
                pass  # already JSON
            else:
                value = _encode(value)
            row[name] = value
        yield row


def _applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup(destination: Path) -> Summary:
    """Write an encrypted backup of the default database and MEDIA_ROOT (a consistent snapshot of the data)."""
    key = backup_key()
    connection = connections[DEFAULT_DB_ALIAS]
    pending = unapplied_migrations()
    if pending:
        raise BackupError(f"the database is not up to date ({pending[0]} is not applied); run mentora migrate")
    manifest = {
        "format": FORMAT, "version": VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database_vendor": connection.vendor,
        "migrations": _applied_migrations(),
        "models": [], "media": [],
    }
    total_rows = 0
    tmp = destination.with_name(destination.name + ".part")
    with (tmp.open("wb") as raw, backup_crypto.EncryptingWriter(raw, key) as sealed,
          zipfile.ZipFile(sealed, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive):
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            natural_maps = _natural_maps()
            for model in backed_up_models():
                name = f"data/{model._meta.label_lower}.jsonl"
                digest, count = hashlib.sha256(), 0
                with archive.open(name, "w", force_zip64=True) as handle:
                    buffer = io.BufferedWriter(handle, buffer_size=1 << 20)
                    for row in _rows(model, natural_maps):
                        line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
                        digest.update(line)
                        buffer.write(line)
                        count += 1
                    buffer.flush()
                manifest["models"].append({"label": model._meta.label, "table": model._meta.db_table,
                                           "file": name, "rows": count, "sha256": digest.hexdigest()})
                total_rows += count
        root = Path(settings.MEDIA_ROOT)
        media_bytes = 0
        for path in _media_files():
            relative = path.relative_to(root).as_posix()
            archive.write(path, f"media/{relative}")
            size = path.stat().st_size
            media_bytes += size
            manifest["media"].append({"path": relative, "size": size, "sha256": sha256_file(path)})
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    tmp.replace(destination)
    return Summary(len(manifest["models"]), total_rows, len(manifest["media"]), media_bytes)


def _table_names(alias: str) -> set[str]:
    with connections[alias].cursor() as cursor:
        return set(connections[alias].introspection.table_names(cursor))


def nonempty_tables(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Tables of the project holding rows (content types and permissions do not count)."""
    connection = connections[alias]
    existing = _table_names(alias)
    full = []
    with connection.cursor() as cursor:
        for model in backed_up_models():
            table = model._meta.db_table
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    full.append(model._meta.label)
    return full


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("not a Mentora backup: manifest.json is missing or unreadable") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"not a Mentora backup of format version {VERSION}")
    return manifest


def verify(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Every data and media file is present and matches its checksum (and row count)."""
    for entry in manifest["models"]:
        digest, count = hashlib.sha256(), 0
        try:
            with archive.open(entry["file"]) as handle:
                for line in handle:
                    digest.update(line)
                    count += 1
        except KeyError:
            raise BackupError(f"{entry['file']} is missing from the backup") from None
        if digest.hexdigest() != entry["sha256"] or count != entry["rows"]:
            raise BackupError(f"{entry['file']} is damaged (checksum or row count differs)")
    for entry in manifest["media"]:
        digest = hashlib.sha256()
        try:
            with archive.open(f"media/{entry['path']}") as handle:
                for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                    digest.update(block)
        except KeyError:
            raise BackupError(f"media/{entry['path']} is missing from the backup") from None
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"media/{entry['path']} is damaged (checksum differs)")


@contextmanager
def _timestamps_as_given(model_list):
    """bulk_create would stamp auto_now/auto_now_add fields with the current time: switch that off."""
    switched = []
    for model in model_list:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@contextmanager
def open_backup(source: Path) -> Iterator[tuple[zipfile.ZipFile, bool]]:
    """The zip inside a backup file, and whether the file was encrypted. An encrypted one is decrypted
    into an anonymous temporary file (zip needs to seek), which disappears when closed."""
    try:
        encrypted = backup_crypto.is_encrypted(source)
    except OSError as error:
        raise BackupError(f"cannot open {source}: {error}") from None
    if not encrypted:
        try:
            archive = zipfile.ZipFile(source)
        except (OSError, zipfile.BadZipFile) as error:
            raise BackupError(f"cannot open {source}: {error}") from None
        with archive:
            yield archive, False
        return
    key = backup_key()
    with tempfile.TemporaryFile() as plain:
        with open(source, "rb") as sealed:
            try:
                backup_crypto.decrypt(sealed, plain, key)
            except backup_crypto.WrongKeyError as error:
                raise BackupKeyError(str(error)) from None
            except backup_crypto.DamagedError as error:
                raise BackupError(str(error)) from None
        plain.seek(0)
        try:
            archive = zipfile.ZipFile(plain)
        except zipfile.BadZipFile as error:
            raise BackupError(f"cannot open {source}: {error}") from None
        with archive:
            yield archive, True


def restore(source: Path, *, migrate: bool = True) -> Summary:
    """Restore a backup into an empty database; raises BackupError (having written nothing) otherwise."""
    with open_backup(source) as (archive, encrypted):
        manifest = read_manifest(archive)
        verify(archive, manifest)
        full = nonempty_tables()
        if full:
            raise BackupError("the database is not empty (" + ", ".join(full[:5]) + (", …" if len(full) > 5 else "")
                              + "); restore goes into an empty database only")
        media_root = Path(settings.MEDIA_ROOT)
        clashes = [entry["path"] for entry in manifest["media"] if (media_root / entry["path"]).exists()]
        if clashes:
            raise BackupError(f"MEDIA_ROOT already has {clashes[0]}; restore into an empty media folder")
        if migrate:
            call_command("migrate", verbosity=0, interactive=False)
        applied = _applied_migrations()
        missing = [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
                   if name not in applied.get(app, [])]
        if missing:
            raise BackupError(f"the backup comes from a newer Mentora ({missing[0]} is not known here)")
        by_label = {model._meta.label: model for model in backed_up_models()}
        unknown = [entry["label"] for entry in manifest["models"] if entry["label"] not in by_label]
        if unknown:
            raise BackupError(f"the backup has a table this Mentora does not know: {unknown[0]}")
        rows = _load(archive, manifest, by_label)
        media_bytes = 0
        for entry in manifest["media"]:
            target = media_root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"media/{entry['path']}") as handle, target.open("wb") as out:
                for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                    out.write(block)
            media_bytes += entry["size"]
    refresh_planner_statistics()
    return Summary(len(manifest["models"]), rows, len(manifest["media"]), media_bytes, encrypted=encrypted)


def _load(archive: zipfile.ZipFile, manifest: dict, by_label: dict) -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    content_types = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}
    permissions = {(p.codename, p.content_type.app_label, p.content_type.model): p.pk
                   for p in Permission.objects.select_related("content_type")}
    total = 0
    loaded = [by_label[entry["label"]] for entry in manifest["models"]]
    with transaction.atomic(), _timestamps_as_given(loaded):
        for entry in manifest["models"]:
            model = by_label[entry["label"]]
            fields = {field.attname: field for field in model._meta.concrete_fields}
            batch = []
            with archive.open(entry["file"]) as handle:
                for line in handle:
                    batch.append(model(**_decode_row(json.loads(line), fields, content_types, permissions)))
                    if len(batch) >= BATCH:
                        model._base_manager.bulk_create(batch)
                        total += len(batch)
                        batch = []
            if batch:
                model._base_manager.bulk_create(batch)
                total += len(batch)
        statements = connection.ops.sequence_reset_sql(no_style(), loaded)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    return total


def _decode_row(row: dict, fields: dict, content_types: dict, permissions: dict) -> dict:
    values = {}
    for name, value in row.items():
        field = fields.get(name)
        if field is None:
            raise BackupError(f"the backup has a column this Mentora does not know: {name}")
        if isinstance(field, models.JSONField):
            values[name] = value
            continue
        if value is not None and field.is_relation and field.related_model is ContentType:
            key = tuple(value)
            if key not in content_types:
                raise BackupError(f"unknown content type {'.'.join(key)}")
            value = content_types[key]
        elif value is not None and field.is_relation and field.related_model is Permission:
            key = tuple(value)
            if key not in permissions:
                raise BackupError(f"unknown permission {'.'.join(key)}")
            value = permissions[key]
        elif value is not None:
            value = field.to_python(value)
        values[name] = value
    return values
