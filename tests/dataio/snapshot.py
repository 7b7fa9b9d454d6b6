"""An independent picture of a database, to compare an instance before and after backup/restore.

Per table: the row count and a SHA-256 over every row in primary-key order, with values put in a
form that does not depend on the database engine (datetimes in UTC, JSON with sorted keys, content
types and permissions by natural key, since their ids differ between databases). Per uploaded file:
its SHA-256. It shares no code with mentora.dataio.backup.

    python tests/dataio/snapshot.py OUT.json     # for the database the environment points at
"""

import datetime
import decimal
import hashlib
import json
import sys
from pathlib import Path


def _value(value, field, natural):
    from django.db import models

    if value is None:
        return None
    if field.is_relation and field.related_model in natural:
        return natural[field.related_model][value]
    if isinstance(field, models.JSONField):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def take() -> dict:
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    natural = {
        ContentType: {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()},
        Permission: {p.pk: f"{p.content_type.app_label}.{p.codename}"
                     for p in Permission.objects.select_related("content_type")},
    }
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            count = cursor.fetchone()[0]
        if model in natural:  # compare by natural key, not by id
            rows = sorted(natural[model].values())
            digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
        else:
            fields = model._meta.concrete_fields
            digest = hashlib.sha256()
            for values in model._base_manager.order_by("pk").values_list(*[f.attname for f in fields]).iterator():
                row = [_value(v, f, natural) for v, f in zip(values, fields, strict=True)]
                digest.update(json.dumps(row, ensure_ascii=False, default=str).encode())
                digest.update(b"\n")
            digest = digest.hexdigest()
        tables[table] = {"rows": count, "sha256": digest}
    media = {}
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            media[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"tables": tables, "media": media}


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    django.setup()
    Path(sys.argv[1]).write_text(json.dumps(take(), indent=1, sort_keys=True))
