"""Reads of the site admin console: people with their roles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from mentora.api.models import ApiToken
from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership, Network

User = get_user_model()

ROLE_FILTERS = {
    "": "Everyone",
    "admin": "Site admins",
    "network_coordinator": "Network coordinators",
    "coordinator": "Program coordinators and directors",
    "mentor": "Mentors",
    "mentee": "Mentees",
    "inactive": "Deactivated accounts",
}


def people_search(*, text: str = "", role: str = "") -> QuerySet:
    people = User.objects.all()
    if text:
        people = people.filter(Q(email__icontains=text) | Q(full_name__icontains=text)
                               | Q(preferred_name__icontains=text))
    year = current_academic_year()
    this_year = Membership.objects.filter(user=OuterRef("pk"), academic_year=year, is_active=True)
    if role == "admin":
        people = people.filter(is_superuser=True)
    elif role == "network_coordinator":
        people = people.filter(Exists(Network.coordinators.through.objects.filter(user_id=OuterRef("pk"))))
    elif role == "coordinator":
        people = people.filter(Exists(this_year.filter(role__in=["coordinator", "director"])))
    elif role in ("mentor", "mentee"):
        people = people.filter(Exists(this_year.filter(role=role)))
    elif role == "inactive":
        people = people.filter(is_active=False)
    return people.order_by("full_name", "email")


@dataclass
class PersonRoles:
    memberships: list[Membership]
    networks: list[Network]
    has_mfa: bool
    live_tokens: int


def person_roles(*, person) -> PersonRoles:
    return PersonRoles(
        memberships=list(Membership.objects.filter(user=person).select_related("program__institution")
                         .order_by("-academic_year", "program__name")[:50]),
        networks=list(Network.objects.filter(coordinators=person)),
        has_mfa=Authenticator.objects.filter(user=person).exists(),
        live_tokens=ApiToken.objects.filter(user=person, revoked_at__isnull=True).count(),
    )


# --- backups ---------------------------------------------------------------------------------------------

BACKUP_SUFFIX = ".backup"


def backup_files() -> list[dict]:
    """The backups in BACKUP_DIR, newest first (name, size, when written)."""
    folder = settings.BACKUP_DIR
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if path.is_file() and path.name.endswith(BACKUP_SUFFIX):
            stat = path.stat()
            found.append({"name": path.name, "size": stat.st_size,
                          "written_at": datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)})
    return sorted(found, key=lambda row: row["written_at"], reverse=True)


def backup_path(name: str):
    """The path of a listed backup by its name, or None: only a file the page lists is ever served."""
    if name not in {row["name"] for row in backup_files()}:
        return None
    return settings.BACKUP_DIR / name
