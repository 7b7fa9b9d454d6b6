"""Reads that put together each role's home dashboard (the home app alone reads every app)."""

import datetime
import hashlib
import time
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.core.data_version import cached
from mentora.core.time_zones import zone_or_default
from mentora.meetings.selectors import program_health
from mentora.profiles.models import MentorOffer
from mentora.programs.models import Membership, Network, Program
from mentora.programs.selectors import Roles, figure_viewers_signed_in_since
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load, relationships_of_mentee, relationships_of_mentor

User = get_user_model()


def mentee_dashboard(*, user) -> dict:
    team = list(relationships_of_mentee(mentee=user))
    return {"team": team}


def mentor_dashboard(*, user) -> dict:
    mentees = list(relationships_of_mentor(mentor=user))
    offer = MentorOffer.objects.filter(user=user).first()
    load = mentor_load(mentor=user)
    return {"mentees": mentees, "offer": offer, "load": load}


# Sets of programs whose home rows someone looked at lately: after a data change the worker computes
# their rows again (tasks.coordinator_homes_warm_task), so the first look after the change finds them.
_VIEWED_KEY = "core:coordinator-home:viewed"
VIEWED_SETS = 100
VIEWED_DAYS = 14
_VIEWED_REFRESH_SECONDS = 3600


def _home_key(program_ids: list[int]) -> str:
    digest = hashlib.sha256(repr(program_ids).encode()).hexdigest()[:16]
    return f"core:coordinator-home:{timezone.localdate().isoformat()}:{digest}"


def _remember(program_ids: list[int]) -> None:
    """Note that someone looked at these programs' home rows, in their time zone (their day names the
    rows' cache key), at most one cache write an hour per set and zone."""
    now = time.time()
    viewed = cache.get(_VIEWED_KEY) or {}
    name = ",".join(map(str, program_ids)) + "@" + timezone.get_current_timezone_name()
    if name in viewed and now - viewed[name] < _VIEWED_REFRESH_SECONDS:
        return
    viewed[name] = now
    kept = sorted(((k, at) for k, at in viewed.items() if now - at < VIEWED_DAYS * 86400), key=lambda kv: -kv[1])
    cache.set(_VIEWED_KEY, dict(kept[:VIEWED_SETS]), None)


def viewed_program_sets() -> list[tuple[list[int], str]]:
    """The sets of programs whose home rows were looked at in the last VIEWED_DAYS days, latest first, each
    with the time zone of the person who looked."""
    now = time.time()
    viewed = sorted((cache.get(_VIEWED_KEY) or {}).items(), key=lambda kv: -kv[1])
    sets = []
    for name, at in viewed:
        if now - at < VIEWED_DAYS * 86400:
            programs, _, zone = name.partition("@")
            sets.append(([int(pk) for pk in programs.split(",") if pk], zone or settings.TIME_ZONE))
    return sets


def signed_in_program_sets() -> list[tuple[list[int], str]]:
    """The programs each coordinator (or director) who signed in within VIEWED_DAYS sees on their home page,
    with their time zone; at most VIEWED_SETS people, the latest signed in first. Read from the database: it
    holds even when the cache that remembers the sets looked at was emptied, and before a first look."""
    since = timezone.now() - datetime.timedelta(days=VIEWED_DAYS)
    people = list(figure_viewers_signed_in_since(since=since).values_list("pk", "profile__time_zone")[:VIEWED_SETS])
    coordinated: dict[int, set[int]] = defaultdict(set)
    for user_id, program_id in Membership.objects.filter(
        user_id__in=[pk for pk, _zone in people], academic_year=current_academic_year(), is_active=True,
        role__in=[Membership.Role.COORDINATOR, Membership.Role.DIRECTOR],
    ).values_list("user_id", "program_id"):
        coordinated[user_id].add(program_id)
    return [(sorted(coordinated[pk]), zone_or_default(zone)) for pk, zone in people if coordinated[pk]]


def program_sets_to_warm() -> list[tuple[list[int], str]]:
    """The sets of programs whose home rows the worker computes ahead after a change: those looked at lately,
    and those of the coordinators who signed in lately; each once (a set and zone)."""
    found: dict[tuple[tuple[int, ...], str], tuple[list[int], str]] = {}
    for program_ids, zone in [*viewed_program_sets(), *signed_in_program_sets()]:
        found.setdefault((tuple(program_ids), zone), (program_ids, zone))
    return list(found.values())


def coordinator_home_rows(*, roles: Roles) -> list[dict]:
    """The coordinator's home rows (coordinator_dashboard with each program's relationship health),
    kept in the cache per day and data version (the dashboard's: it moves with memberships,
    relationships, meetings and agreements), so a warm home page does not grow with the data."""
    program_ids = sorted(roles.coordinated_program_ids)
    _remember(program_ids)
    return home_rows_for(program_ids=program_ids)


def home_rows_for(*, program_ids: list[int]) -> list[dict]:
    """The home rows of these programs: from the cache if computed under the current data version, else
    computed and kept (by the page, or ahead of it by the worker's warm-up) until the data changes."""
    program_ids = sorted(program_ids)

    def compute() -> list[dict]:
        rows = coordinator_dashboard(program_ids=program_ids)
        health = program_health(program_ids=program_ids, with_attention=False)
        for row in rows:
            row["health"] = health.get(row["program"].pk)
        return rows

    return cached(_home_key(program_ids), compute)


def coordinator_dashboard(*, program_ids) -> list[dict]:
    """One summary row per program (a coordinator's), in a fixed number of queries."""
    year = current_academic_year()
    programs = Program.objects.filter(id__in=program_ids).select_related("institution").annotate(
        mentees=Count("memberships", filter=Q(memberships__academic_year=year, memberships__role="mentee",
                                              memberships__is_active=True)),
        mentors=Count("memberships", filter=Q(memberships__academic_year=year, memberships__role="mentor",
                                              memberships__is_active=True)),
    )
    open_relationship = Relationship.objects.filter(
        mentee=OuterRef("user"), program=OuterRef("program"), status__in=Relationship.OPEN_STATUSES
    )
    unmatched = dict(
        Membership.objects.filter(program_id__in=program_ids, academic_year=year, role="mentee", is_active=True)
        .annotate(has_mentor=Exists(open_relationship))
        .filter(has_mentor=False)
        .values_list("program_id")
        .annotate(n=Count("id"))
        .values_list("program_id", "n")
    )
    relationships = {
        row["program_id"]: row
        for row in Relationship.objects.filter(program_id__in=program_ids)
        .values("program_id")
        .annotate(
            active=Count("id", filter=Q(status=Relationship.Status.ACTIVE)),
            proposed=Count("id", filter=Q(status=Relationship.Status.PROPOSED)),
            paused=Count("id", filter=Q(status=Relationship.Status.PAUSED)),
        )
    }
    rows = []
    for program in programs:
        counts = relationships.get(program.id, {})
        rows.append(
            {
                "program": program,
                "mentees": program.mentees,
                "mentors": program.mentors,
                "without_mentor": unmatched.get(program.id, 0),
                "active": counts.get("active", 0),
                "proposed": counts.get("proposed", 0),
                "paused": counts.get("paused", 0),
            }
        )
    return rows


def network_dashboard(*, roles: Roles) -> list[dict]:
    # One counting subquery per figure: two COUNT(DISTINCT) over the same joins multiply the rows
    # (mentors x programs) before counting, 3 s for a 12,000-mentor network on PostgreSQL.
    mentor_links = Network.mentors.through.objects.filter(network_id=OuterRef("pk"))
    networks = Network.objects.filter(id__in=roles.coordinated_network_ids).annotate(
        mentor_count=Coalesce(Subquery(mentor_links.values("network_id").annotate(n=Count("*")).values("n")), 0),
        program_count=Coalesce(Subquery(Program.objects.filter(network_id=OuterRef("pk")).values("network_id")
                                        .annotate(n=Count("*")).values("n")), 0),
    )
    accepting = dict(
        Network.objects.filter(id__in=roles.coordinated_network_ids)
        .filter(mentors__mentor_offer__accepting_new_mentees=True)
        .values_list("id")
        .annotate(n=Count("mentors"))
        .values_list("id", "n")
    )
    return [
        {"network": n, "mentors": n.mentor_count, "programs": n.program_count, "accepting": accepting.get(n.id, 0)}
        for n in networks
    ]


def site_totals() -> dict:
    return {
        "people": User.objects.count(),
        "programs": Program.objects.count(),
        "networks": Network.objects.count(),
        "mentors": MentorOffer.objects.count(),
        "active_relationships": Relationship.objects.filter(status=Relationship.Status.ACTIVE).count(),
    }
