"""Reads for finding a mentor: the directory search, requests, referrals and the mentoring team."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce

from mentora.core.vocabulary import COUNTRIES, RELATIONSHIP_KINDS
from mentora.profiles.models import MentorOffer, Profile
from mentora.programs.models import Network, Program
from mentora.programs.selectors import current_academic_year, user_roles
from mentora.relationships.models import Relationship

from . import permissions
from .models import MentorshipRequest, ReferralRequest

User = get_user_model()
PAGE_SIZE = 20
SEARCH_FIELDS = (
    "user__full_name", "user__profile__headline", "user__profile__bio", "user__profile__research_interests",
    "user__profile__subspecialty", "user__profile__specialty", "user__profile__institution__name",
    "offer_note", "tags_text",
)


def _json_has(field: str, value: str) -> Q:
    """A JSON list contains `value`: the same text test on SQLite and PostgreSQL (`["en", "es"]`)."""
    return Q(**{f"{field}__icontains": f'"{value}"'})


def directory_queryset(filters: dict[str, Any]) -> QuerySet[MentorOffer]:
    """Mentors in the directory matching the cleaned filters of DirectoryFilterForm, sorted."""
    qs = MentorOffer.objects.filter(user__is_active=True).annotate(
        tags_text=Cast("user__profile__interest_tags", TextField()),
    )
    for word in (filters.get("q") or "").split()[:8]:
        match = Q()
        for field in SEARCH_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        qs = qs.filter(match)
    if filters.get("specialty"):
        qs = qs.filter(user__profile__specialty=filters["specialty"])
    if filters.get("research"):
        research = filters["research"]
        qs = qs.filter(Q(user__profile__research_interests__icontains=research) | Q(tags_text__icontains=research))
    if filters.get("language"):
        qs = qs.annotate(languages_text=Cast("user__profile__languages", TextField())).filter(
            _json_has("languages_text", filters["language"]))
    if filters.get("meeting_mode"):
        qs = qs.annotate(modes_text=Cast("user__profile__meeting_modes", TextField())).filter(
            _json_has("modes_text", filters["meeting_mode"]))
    if filters.get("kind"):
        qs = qs.annotate(kinds_text=Cast("kinds_offered", TextField())).filter(_json_has("kinds_text", filters["kind"]))
    if filters.get("country"):
        qs = qs.filter(user__img_details__medical_school_country=filters["country"])
    if filters.get("region"):
        countries = [code for code, (_name, region) in COUNTRIES.items() if region == filters["region"]]
        qs = qs.filter(user__img_details__medical_school_country__in=countries)
    if filters.get("img_status"):
        qs = qs.filter(user__img_details__img_status=filters["img_status"])
    if filters.get("institution"):
        qs = qs.filter(user__profile__institution=filters["institution"])
    if filters.get("time_zone"):
        qs = qs.filter(user__profile__time_zone=filters["time_zone"])
    if filters.get("accepting"):
        qs = qs.filter(accepting_new_mentees=True)
    sort = filters.get("sort") or "name"
    if sort == "room":
        load = (
            Relationship.objects.filter(mentor=OuterRef("user_id"), status__in=Relationship.OPEN_STATUSES)
            .values("mentor").annotate(n=Count("id")).values("n")
        )
        qs = qs.annotate(room=F("capacity") - Coalesce(Subquery(load, output_field=IntegerField()), Value(0)))
        qs = qs.order_by("-accepting_new_mentees", "-room", "user__full_name", "pk")
    elif sort == "experience":
        qs = qs.order_by(F("years_in_practice").desc(nulls_last=True), "user__full_name", "pk")
    elif sort == "recent":
        qs = qs.order_by("-user__profile__updated_at", "pk")
    else:
        qs = qs.order_by("user__full_name", "pk")
    return qs


@dataclass
class DirectoryPage:
    page: Page
    load: dict[int, int]


def directory_page(filters: dict[str, Any], page_number: int | str | None = 1) -> DirectoryPage:
    """One page of the directory in a fixed number of queries (count, rows, load of the page's mentors)."""
    qs = directory_queryset(filters).select_related(
        "user", "user__profile", "user__profile__institution", "user__img_details"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    mentor_ids = [offer.user_id for offer in page.object_list]
    load = dict(
        Relationship.objects.filter(mentor_id__in=mentor_ids, status__in=Relationship.OPEN_STATUSES)
        .values_list("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n")
    )
    return DirectoryPage(page=page, load=load)


def directory_time_zones() -> list[str]:
    zones = cache.get("directory:time-zones")
    if zones is None:
        zones = sorted(
            Profile.objects.filter(user__mentor_offer__isnull=False).exclude(time_zone="")
            .values_list("time_zone", flat=True).distinct()
        )
        cache.set("directory:time-zones", zones, 600)
    return zones


def mentors_by_id(ids) -> dict[int, Any]:
    users = User.objects.filter(pk__in=list(ids), mentor_offer__isnull=False).select_related(
        "profile", "profile__institution", "mentor_offer", "img_details"
    )
    return {user.pk: user for user in users}


def mentee_program(user) -> Program | None:
    """The program a person is a mentee in this year (the first, if several)."""
    roles = user_roles(user=user)
    if not roles.mentee_program_ids:
        return None
    return Program.objects.filter(pk__in=roles.mentee_program_ids).select_related("network").order_by("pk").first()


def networks_for_mentee(user) -> QuerySet[Network]:
    """Networks a mentee may ask for a referral: those of their programs, or every network if none."""
    roles = user_roles(user=user)
    mine = Network.objects.filter(programs__id__in=roles.mentee_program_ids).distinct()
    return mine if mine.exists() else Network.objects.all()


def requests_sent(*, mentee) -> QuerySet[MentorshipRequest]:
    return MentorshipRequest.objects.filter(mentee=mentee).select_related("mentor", "mentor__profile")


def requests_received(*, mentor, pending_only: bool = False) -> QuerySet[MentorshipRequest]:
    qs = MentorshipRequest.objects.filter(mentor=mentor).select_related("mentee", "mentee__profile")
    if pending_only:
        qs = qs.filter(status=MentorshipRequest.Status.PENDING)
    return qs


def request_for(viewer, request_id: int) -> MentorshipRequest:
    """One request the viewer may see; 404 otherwise (its existence is not revealed)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permissions.visible_requests(viewer).select_related(
            "mentee", "mentee__profile", "mentor", "mentor__profile", "relationship", "program"
        ),
        pk=request_id,
    )


def referral_for(viewer, referral_id: int) -> ReferralRequest:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        permissions.visible_referrals(viewer).select_related("mentee", "mentee__profile", "network"),
        pk=referral_id,
    )


def referral_queue(viewer) -> QuerySet[ReferralRequest]:
    """Referral requests a network coordinator should answer, oldest first."""
    roles = user_roles(user=viewer)
    qs = ReferralRequest.objects.filter(status=ReferralRequest.Status.OPEN).select_related(
        "mentee", "mentee__profile", "network")
    if not roles.is_admin:
        qs = qs.filter(network_id__in=roles.coordinated_network_ids)
    return qs.order_by("created_at")


def mentoring_team(*, mentee) -> list[dict[str, Any]]:
    """A mentee's open relationships grouped by kind, in the vocabulary's order of kinds (one query)."""
    relationships = Relationship.objects.filter(
        mentee=mentee, status__in=Relationship.OPEN_STATUSES
    ).select_related("mentor", "mentor__profile", "mentor__profile__institution", "program").order_by("created_at")
    team: OrderedDict[str, list[Relationship]] = OrderedDict((kind, []) for kind in RELATIONSHIP_KINDS)
    for relationship in relationships:
        team.setdefault(relationship.kind, []).append(relationship)
    return [{"kind": kind, "label": RELATIONSHIP_KINDS.get(kind, kind), "relationships": items}
            for kind, items in team.items()]


def current_mentor_ids(*, mentee) -> set[int]:
    """The mentors a person already has (open relationships): the directory does not offer them again."""
    if not mentee.is_authenticated:
        return set()
    return set(Relationship.objects.filter(mentee=mentee, status__in=Relationship.OPEN_STATUSES)
               .values_list("mentor_id", flat=True))


def mentor_loads(*, mentor_ids) -> dict[int, int]:
    """Open relationships per mentor, for a page of mentors, in one query."""
    return dict(Relationship.objects.filter(mentor_id__in=list(mentor_ids), status__in=Relationship.OPEN_STATUSES)
                .values("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n"))


def request_mentee_summary(*, request: MentorshipRequest) -> dict[str, Any]:
    """What the mentor asked sees of the mentee while deciding: their profile in brief and the goals of their
    current learning plan (statements, domains, states; not progress notes or comments)."""
    from mentora.ilps.models import Goal
    from mentora.ilps.selectors import current_plan_of
    from mentora.profiles.models import ImgDetails, Profile

    mentee = request.mentee
    plan = current_plan_of(mentee=mentee)
    goals = list(Goal.objects.filter(plan=plan).exclude(status="dropped").order_by("target_date", "pk")) if plan else []
    return {
        "profile": Profile.objects.filter(user=mentee).select_related("institution").first(),
        "img_details": ImgDetails.objects.filter(user=mentee).first(),
        "plan": plan, "goals": goals,
    }


def pending_counts(*, user) -> dict[str, int]:
    """For the dashboard: requests waiting on this person, in one query."""
    row = MentorshipRequest.objects.filter(status=MentorshipRequest.Status.PENDING).aggregate(
        received=Count("id", filter=Q(mentor=user)), sent=Count("id", filter=Q(mentee=user))
    )
    return {"received": row["received"] or 0, "sent": row["sent"] or 0}


def current_year() -> int:
    return current_academic_year()
