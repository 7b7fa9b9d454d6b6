"""A data version for the dashboard: one query that changes whenever rows are added, removed or
updated in the tables the panels read. Panels are cached under it (and for at most
PANEL_CACHE_SECONDS, for writes that touch no counted or dated column)."""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection

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


def _parts() -> list[str]:
    parts = []
    for app_label, model_name, expressions in WATCHED:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        fields = {f.column for f in model._meta.concrete_fields}
        table = connection.ops.quote_name(model._meta.db_table)
        for expression in expressions:
            column = expression.split("(", 1)[1].split(")", 1)[0].replace("CASE WHEN ", "").split(" ")[0]
            if column != "*" and column not in fields:
                continue
            parts.append(f"(SELECT {expression} FROM {table})")
    return parts


def data_version() -> str:
    parts = _parts()
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]
