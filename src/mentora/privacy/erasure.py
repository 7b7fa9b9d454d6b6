"""Removing one person's personal data from every table, including tables added later.

Three layers, so a new app's table is covered without anyone remembering to:
1. rows that are the person's own (one-to-one with the user, and the listed per-person tables) are deleted;
2. the user row is anonymised in place, so counts, memberships and other people's records keep their
   shape (aggregates stay right; the mentor keeps their record of mentoring);
3. every text and JSON column of every model is scanned for the person's name and email address,
   and each occurrence is replaced by "[erased]" (a mentor's note that names the mentee, an admin log
   entry, an import row).
"""

import json
import re
from collections import Counter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

ERASED = "[erased]"

# Per-person tables deleted outright (label "app.Model" -> the user field). One-to-one tables are found
# automatically; apps may add theirs with `register_personal_table`.
PERSONAL_TABLES: dict[str, str] = {
    "notifications.Notification": "user",
    "notifications.NotificationPreference": "user",
    "account.EmailAddress": "user",
    "socialaccount.SocialAccount": "user",
    "mfa.Authenticator": "user",
    "milestones.PlanMilestone": "user",
    "api.ApiToken": "user",
    "dataio.ExternalId": "user",
}


def register_personal_table(label: str, user_field: str = "user") -> None:
    PERSONAL_TABLES[label] = user_field


def needles_of(user) -> list[str]:
    """What identifies the person in free text: email, full name, preferred name (3+ characters)."""
    values = {user.email, user.full_name, user.preferred_name}
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)


def delete_personal_rows(user) -> Counter:
    counts: Counter = Counter()
    User = get_user_model()
    for model in apps.get_models():
        label = model._meta.label
        if model is User:
            continue
        fields = [
            f.name for f in model._meta.concrete_fields
            if isinstance(f, models.OneToOneField) and f.related_model is User
        ]
        if label in PERSONAL_TABLES:
            fields.append(PERSONAL_TABLES[label])
        for field in set(fields):
            deleted, by_model = model._default_manager.filter(**{field: user}).delete()
            for name, n in by_model.items():
                if n:
                    counts[name] += n
    return counts


def _text_fields(model) -> tuple[list, list]:
    text, json_fields = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if isinstance(field, models.CharField | models.TextField):
            text.append(field)
        elif isinstance(field, models.JSONField):
            json_fields.append(field)
    return text, json_fields


def _json_forms(needle: str) -> set[str]:
    return {needle, json.dumps(needle)[1:-1]}  # as typed, and as stored with \\u escapes


def _replace(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {_replace(k, pattern): _replace(v, pattern) for k, v in value.items()}
    return value


def rows_mentioning(model, needles: list[str]):
    """The rows of `model` whose text or JSON columns contain any needle (case-insensitive)."""
    text, json_fields = _text_fields(model)
    if not (text or json_fields) or not needles:
        return model._default_manager.none(), text, json_fields
    qs = model._default_manager.all()
    condition = Q()
    for field in text:
        for needle in needles:
            condition |= Q(**{f"{field.attname}__icontains": needle})
    for field in json_fields:
        alias = f"_erasure_text_{field.attname}"
        qs = qs.annotate(**{alias: Cast(field.attname, TextField())})
        for needle in needles:
            for form in _json_forms(needle):
                condition |= Q(**{f"{alias}__icontains": form})
    return qs.filter(condition), text, json_fields


def scrub_mentions(needles: list[str], *, skip: tuple = ()) -> Counter:
    """Replace every mention of the needles in every text and JSON column of every model."""
    counts: Counter = Counter()
    if not needles:
        return counts
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    for model in apps.get_models():
        if model in skip or model._meta.proxy or not model._meta.managed:
            continue
        qs, text, json_fields = rows_mentioning(model, needles)
        if not (text or json_fields):
            continue
        changed = []
        for row in qs.iterator(chunk_size=500):
            dirty = []
            for field in text + json_fields:
                before = getattr(row, field.attname)
                after = _replace(before, pattern)
                if after != before:
                    if isinstance(field, models.CharField) and field.max_length and isinstance(after, str):
                        after = after[: field.max_length]
                    setattr(row, field.attname, after)
                    dirty.append(field.attname)
            if dirty:
                changed.append((row, dirty))
        for row, dirty in changed:
            model._default_manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in dirty})
        if changed:
            counts[model._meta.label] += len(changed)
    return counts
