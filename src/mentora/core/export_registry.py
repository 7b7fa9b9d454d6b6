"""The export registry: each app contributes the sections of a person's copy and of a program export.

An app adds `src/mentora/<app>/export_sections.py` with functions decorated like this:

    from mentora.core.export_registry import person_section, program_section, rows

    @person_section("meetings", models=["meetings.Meeting", ...])
    def my_meetings(user):                       # what this person may have a copy of
        return rows(Meeting.objects.filter(...))

    @program_section("meetings", models=["meetings.Meeting"])
    def program_meetings(program, academic_year): # what a program's coordinators may export
        return {"held": ...}                      # aggregates where individual rows are not needed

`models` names the models a section covers; tests/dataio/test_export.py fails for any model that
points at a person (or a relationship) without being covered by a section or listed in EXEMPT with
the reason. Never export other people's private notes or any secret (password hashes, tokens).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    function: Callable
    models: tuple[str, ...]


PERSON_SECTIONS: dict[str, Section] = {}
PROGRAM_SECTIONS: dict[str, Section] = {}

# Models that point at a person but belong in no personal copy, with the reason.
EXEMPT: dict[str, str] = {
    "admin.LogEntry": "the admin site's audit log of staff actions",
    "dataio.ImportBatch": "a coordinator's uploaded file, deleted from the row once imported",
    "account.EmailConfirmation": "one-time verification keys (secrets)",
    "mfa.Authenticator": "two-factor secrets; the person sees which methods they use on the Account page",
    "usersessions.UserSession": "session bookkeeping",
    "socialaccount.SocialToken": "sign-on tokens (secrets)",
}


def _register(registry: dict[str, Section], name: str, models_: Iterable[str]):
    def decorator(function):
        if name in registry and registry[name].function is not function:
            raise ValueError(f"export section {name!r} is registered twice")
        registry[name] = Section(name, function, tuple(models_))
        return function

    return decorator


def person_section(name: str, *, models: Iterable[str] = ()):
    return _register(PERSON_SECTIONS, name, models)


def program_section(name: str, *, models: Iterable[str] = ()):
    return _register(PROGRAM_SECTIONS, name, models)


def autodiscover() -> None:
    """Import every app's export_sections module, so that its sections register themselves."""
    autodiscover_modules("export_sections")


def rows(queryset, *, exclude: Iterable[str] = (), fields: Iterable[str] | None = None) -> list[dict]:
    """Rows as plain dicts of their concrete fields (foreign keys as ids), in primary-key order."""
    model = queryset.model
    names = list(fields) if fields is not None else [
        f.attname for f in model._meta.concrete_fields if f.attname not in set(exclude)]
    return [dict(zip(names, values, strict=True)) for values in queryset.order_by("pk").values_list(*names)]


def covered_models() -> set[str]:
    autodiscover()
    return {label for registry in (PERSON_SECTIONS, PROGRAM_SECTIONS) for s in registry.values() for label in s.models}


def person_related_models() -> list[str]:
    """Models with a relation to a person or to a relationship: each must be covered or exempt."""
    targets = {get_user_model(), apps.get_model("relationships", "Relationship")}
    found = []
    for model in apps.get_models():
        if model in targets or model._meta.proxy:
            continue
        forward = list(model._meta.concrete_fields) + list(model._meta.local_many_to_many)
        if any(f.is_relation and f.related_model in targets for f in forward):
            found.append(model._meta.label)
    return sorted(found)


def export_person(user) -> dict:
    autodiscover()
    document = {
        "format": "mentora-personal-export", "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(), "person_id": user.pk,
    }
    for name, section in sorted(PERSON_SECTIONS.items()):
        document[name] = section.function(user)
    return document


def export_program(program, academic_year: int) -> dict:
    autodiscover()
    document = {
        "format": "mentora-program-export", "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "program": {"id": program.pk, "name": program.name, "slug": program.slug},
        "academic_year": academic_year,
    }
    for name, section in sorted(PROGRAM_SECTIONS.items()):
        document[name] = section.function(program, academic_year)
    return document


def json_default(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return str(value)
