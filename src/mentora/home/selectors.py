"""Reads that put together each role's home dashboard (the home app alone reads every app)."""


from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from mentora.core.academic_year import current_academic_year
from mentora.profiles.models import MentorOffer
from mentora.programs.models import Membership, Network, Program
from mentora.programs.selectors import Roles
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


HOME_CACHE_SECONDS = 10 * 60


def coordinator_home_rows(*, roles: Roles) -> list[dict]:
    """The coordinator's home rows (coordinator_dashboard with each program's relationship health),
    kept in the cache per day and data version (the dashboard's: it moves with memberships,
    relationships, meetings and agreements), so a warm home page does not grow with the data."""
    import hashlib

    from django.core.cache import cache
    from django.utils import timezone

    from mentora.core.data_version import data_version
    from mentora.meetings.selectors import program_health

    program_ids = sorted(roles.coordinated_program_ids)
    digest = hashlib.sha256(repr(program_ids).encode()).hexdigest()[:16]
    key = f"core:coordinator-home:{timezone.localdate().isoformat()}:{digest}:{data_version()}"
    rows = cache.get(key)
    if rows is None:
        rows = coordinator_dashboard(roles=roles)
        health = program_health(program_ids=program_ids, with_attention=False)
        for row in rows:
            row["health"] = health.get(row["program"].pk)
        cache.set(key, rows, HOME_CACHE_SECONDS)
    return rows


def coordinator_dashboard(*, roles: Roles) -> list[dict]:
    """One summary row per coordinated program, in a fixed number of queries."""
    year = current_academic_year()
    program_ids = roles.coordinated_program_ids
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
