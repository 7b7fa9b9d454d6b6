"""Reads for finding a mentor: the directory search, requests, referrals and the mentoring team."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mentora.core.time_zones import DEFAULT_TIME_ZONE, hours_apart
from mentora.core.vocabulary import COUNTRIES, RELATIONSHIP_KINDS
from mentora.ilps.models import Goal
from mentora.ilps.selectors import current_plan_of
from mentora.profiles.models import ImgDetails, MentorOffer, Profile
from mentora.profiles.selectors import profile_for_display
from mentora.programs.models import Program
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load

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
        qs = qs.annotate(room=F("capacity") - mentor_load(outer_ref="user_id"))
    elif sort == "experience":
        # No years given sorts last, as "nulls last" would, but as a value a page's key can hold.
        qs = qs.annotate(experience=Coalesce("years_in_practice", Value(-1), output_field=IntegerField()))
    return qs.order_by(*[f"-{name}" if descending else name for name, descending in directory_order(sort)])


def directory_order(sort: str) -> list[tuple[str, bool]]:
    """The directory's order for a sort, as (field, descending) pairs ending with the primary key:
    every value is non-null, so a page's last row is a key the next page starts after."""
    return {
        "room": [("accepting_new_mentees", True), ("room", True), ("user__full_name", False), ("pk", False)],
        "experience": [("experience", True), ("user__full_name", False), ("pk", False)],
        "recent": [("user__profile__updated_at", True), ("pk", False)],
    }.get(sort, [("user__full_name", False), ("pk", False)])


class KeysetPaginator:
    """What the page's template reads of a paginator: the count and the number of pages."""

    def __init__(self, count: int, per_page: int):
        self.count = count
        self.num_pages = max(1, -(-count // per_page))


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list: the rows, and the keys of the pages before and after."""

    object_list: list
    number: int
    paginator: KeysetPaginator
    next_cursor: str | None
    previous_cursor: str | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()


_CURSOR_SALT = "mentora.directory.page"


def _key_of(row, order: list[tuple[str, bool]]) -> list:
    values = []
    for name, _ in order:
        value = row
        for part in name.split("__"):
            value = getattr(value, part)
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return values


def _cursor(row, order, number: int, direction: str) -> str:
    return signing.dumps({"k": _key_of(row, order), "n": number, "d": direction}, salt=_CURSOR_SALT, compress=True)


def _beyond(order: list[tuple[str, bool]], key: list, *, backwards: bool) -> Q:
    """Rows after `key` in the order (before it when `backwards`): (a, b) > (x, y) spelled out."""
    condition = Q()
    for i, (name, descending) in enumerate(order):
        later = descending == backwards  # ascending: larger values come later
        step = Q(**{order[j][0]: key[j] for j in range(i)}) & Q(**{f"{name}__{'gt' if later else 'lt'}": key[i]})
        condition |= step
    return condition


def _jump_position(qs, order: list[tuple[str, bool]], number: int, count: int) -> dict | None:
    """Where page `number` starts (the last row of the page before it, as a cursor's position), read with
    one query of the sort keys alone; a number past the end gives the last page."""
    number = max(1, min(number, max(1, -(-count // PAGE_SIZE))))
    if number == 1:
        return None
    key = qs.values_list(*[name for name, _descending in order])[(number - 1) * PAGE_SIZE - 1]
    return {"k": [value.isoformat() if hasattr(value, "isoformat") else value for value in key],
            "n": number, "d": "after"}


def directory_page(filters: dict[str, Any], cursor: str | None = None, page: str | None = None) -> DirectoryPage:
    """One page of the directory in a fixed number of queries (count, rows, load of the page's mentors).

    Keyset pagination: a page starts after the last row of the page before (its key is in the
    signed `cursor`), so page 100 costs what page 1 costs; an unreadable cursor gives the first page.
    A page asked for by its number (`page`, "Go to page") costs one more query, which reads the sort keys
    of the rows before it.
    """
    qs = directory_queryset(filters).select_related(
        "user", "user__profile", "user__profile__institution", "user__img_details", "user__profile_photo"
    )
    order = directory_order(filters.get("sort") or "name")
    position = None
    if cursor:
        try:
            position = signing.loads(cursor, salt=_CURSOR_SALT)
        except signing.BadSignature:
            position = None
    count = qs.count()
    number = 1
    if position is None and page and page.isascii() and page.isdigit() and count:
        position = _jump_position(qs, order, int(page), count)
    if position is None:
        rows = list(qs[:PAGE_SIZE + 1])
        more_before, more_after = False, len(rows) > PAGE_SIZE
    elif position["d"] == "before":
        number = max(1, int(position["n"]))
        backwards = [name if descending else f"-{name}" for name, descending in order]
        rows = list(qs.filter(_beyond(order, position["k"], backwards=True)).order_by(*backwards)[:PAGE_SIZE + 1])
        more_before, more_after = len(rows) > PAGE_SIZE, True  # the page this cursor came from follows
        rows = rows[:PAGE_SIZE][::-1]
    else:
        number = max(1, int(position["n"]))
        rows = list(qs.filter(_beyond(order, position["k"], backwards=False))[:PAGE_SIZE + 1])
        more_before, more_after = True, len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if not more_before:
        number = 1
    page = KeysetPage(
        object_list=rows, number=number, paginator=KeysetPaginator(count, PAGE_SIZE),
        next_cursor=_cursor(rows[-1], order, number + 1, "after") if more_after and rows else None,
        previous_cursor=_cursor(rows[0], order, number - 1, "before") if more_before and rows else None,
    )
    mentor_ids = [offer.user_id for offer in rows]
    return DirectoryPage(page=page, load=mentor_load(mentor_ids=mentor_ids))


@dataclass
class DirectoryPage:
    page: KeysetPage
    load: dict[int, int]


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
    """The mentors of these ids, ready for their cards; a deactivated account is offered to nobody."""
    users = User.objects.filter(pk__in=list(ids), mentor_offer__isnull=False, is_active=True).select_related(
        "profile", "profile__institution", "mentor_offer", "img_details", "profile_photo"
    )
    return {user.pk: user for user in users}


@dataclass
class MentorCard:
    """What a mentee chooses a mentor by, for one card (directory, recommendations, referrals alike)."""

    user: Any
    profile: Any
    offer: Any
    load: int
    free_places: int
    accepting: bool  # the mentor takes new mentees and has a free place now
    next_free_on: Any  # when a place is expected to free (an agreement's expected end), if known
    time_difference: str
    score: float | None = None
    reasons: list[dict] | None = None
    is_my_mentor: bool = False

    @property
    def availability(self) -> str:
        if not self.offer.accepting_new_mentees:
            return "not_accepting"
        return "accepting" if self.free_places > 0 else "full"


def mentor_cards(*, viewer, mentors, loads: dict[int, int] | None = None, ranked: list[dict] | None = None,
                 for_person=None) -> list[MentorCard]:
    """Cards for mentor users (each with profile, mentor_offer, profile_photo selected), in the given order.

    `ranked`: the engine's rows ({"mentor", "score", "reasons"}) when the cards are recommendations.
    `for_person`: the mentee the cards are for when it is not the viewer (a coordinator proposing mentors
    for a referral): time differences are from their clock, and say their name.
    In a fixed number of queries whatever the number of cards: loads, expected ends, the viewer's mentors.
    """
    mentors = [user for user in mentors if getattr(user, "mentor_offer", None) is not None]
    ids = [user.pk for user in mentors]
    if loads is None:
        loads = mentor_load(mentor_ids=ids)
    today = timezone.localdate()
    next_free = dict(
        Relationship.objects.open().filter(mentor_id__in=ids, agreement__expected_end_on__gte=today)
        .order_by().values("mentor_id").annotate(first=Min("agreement__expected_end_on"))
        .values_list("mentor_id", "first")
    ) if ids else {}
    person = for_person or viewer
    whom = "you" if person.pk == viewer.pk else person.display_name
    person_profile = Profile.objects.filter(user=person).only("time_zone").first() if person.pk else None
    my_zone = person_profile.time_zone if person_profile else DEFAULT_TIME_ZONE
    mine = current_mentor_ids(mentee=person)
    by_mentor = {row["mentor"]: row for row in ranked or ()}
    cards = []
    for user in mentors:
        offer, profile = user.mentor_offer, profile_for_display(person=user)
        load = loads.get(user.pk, 0)
        free = max(0, offer.capacity - load)
        row = by_mentor.get(user.pk)
        cards.append(MentorCard(
            user=user, profile=profile, offer=offer, load=load, free_places=free,
            accepting=offer.accepting_new_mentees and free > 0,
            next_free_on=next_free.get(user.pk) if free == 0 else None,
            time_difference=hours_apart(profile.time_zone, my_zone, whom=whom) if profile.time_zone else "",
            score=row["score"] if row else None, reasons=row["reasons"] if row else None,
            is_my_mentor=user.pk in mine,
        ))
    return cards


def mentee_program(user) -> Program | None:
    """The program a person is a mentee in this year (the first, if several)."""
    roles = user_roles(user=user)
    if not roles.mentee_program_ids:
        return None
    return Program.objects.filter(pk__in=roles.mentee_program_ids).select_related("network").order_by("pk").first()


def requests_sent(*, mentee) -> QuerySet[MentorshipRequest]:
    return MentorshipRequest.objects.filter(mentee=mentee).select_related("mentor", "mentor__profile")


def requests_received(*, mentor, pending_only: bool = False) -> QuerySet[MentorshipRequest]:
    qs = MentorshipRequest.objects.filter(mentor=mentor).select_related("mentee", "mentee__profile")
    if pending_only:
        qs = qs.filter(status=MentorshipRequest.Status.PENDING)
    return qs


def request_for(viewer, request_id: int) -> MentorshipRequest:
    """One request the viewer may see; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(
        permissions.visible_requests(viewer).select_related(
            "mentee", "mentee__profile", "mentor", "mentor__profile", "relationship", "program"
        ),
        pk=request_id,
    )


def referral_for(viewer, referral_id: int) -> ReferralRequest:
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


def referral_mentor_search(*, text: str, exclude_id: int, limit: int = 20) -> list:
    """Mentors of the directory accepting new mentees whose name, email or headline holds `text`: a network
    coordinator's own search beside the engine's ranking, for a referral."""
    text = text.strip()
    if len(text) < 2:
        return []
    return list(User.objects.filter(mentor_offer__accepting_new_mentees=True, is_active=True).exclude(pk=exclude_id)
                .filter(Q(full_name__icontains=text) | Q(email__icontains=text) | Q(profile__headline__icontains=text))
                .select_related("profile", "profile__institution").order_by("full_name")[:limit])


# What happened after a referral was answered, in the coordinators' words; the key is what the history
# can be filtered by. The mentor's own answer note is never shown here, only the fact of the answer.
REFERRAL_NEXT_STEPS: dict[str, str] = {
    "choosing": "Waiting for the mentee to choose",
    "waiting": "Waiting for the mentor",
    "accepted": "Accepted",
    "declined": "Declined",
    "withdrawn": "Withdrawn by the mentee",
    "expired": "Expired without an answer",
    "cancelled": "Cancelled by the mentee",
}


def referral_history(viewer, *, next_step: str = "") -> QuerySet[ReferralRequest]:
    """Referral requests of the viewer's networks that were answered or closed (mentors proposed, a mentor
    chosen, cancelled), the latest first: the queue's history. Each carries `next_step` (a key of
    REFERRAL_NEXT_STEPS: did the chosen mentor accept, decline, or not answer yet) and `next_step_label`,
    computed in the same query; `next_step` filters on it."""
    roles = user_roles(user=viewer)
    chosen_request = MentorshipRequest.objects.filter(referral=OuterRef("pk")).order_by("-created_at", "-pk")
    statuses = MentorshipRequest.Status
    qs = ReferralRequest.objects.exclude(status=ReferralRequest.Status.OPEN).select_related(
        "mentee", "network", "answered_by").annotate(
        chosen_request_status=Subquery(chosen_request.values("status")[:1]),
    ).annotate(next_step=Case(
        When(status=ReferralRequest.Status.PROPOSED, then=Value("choosing")),
        When(status=ReferralRequest.Status.CANCELLED, then=Value("cancelled")),
        When(chosen_request_status=statuses.PENDING, then=Value("waiting")),
        When(chosen_request_status=statuses.ACCEPTED, then=Value("accepted")),
        When(chosen_request_status=statuses.DECLINED, then=Value("declined")),
        When(chosen_request_status=statuses.WITHDRAWN, then=Value("withdrawn")),
        When(chosen_request_status=statuses.EXPIRED, then=Value("expired")),
        default=Value(""), output_field=CharField(),
    )).annotate(next_step_label=Case(
        *[When(next_step=key, then=Value(label)) for key, label in REFERRAL_NEXT_STEPS.items()],
        default=Value(""), output_field=CharField(),
    ))
    if not roles.is_admin:
        qs = qs.filter(network_id__in=roles.coordinated_network_ids)
    if next_step:
        qs = qs.filter(next_step=next_step)
    return qs.order_by("-answered_at", "-created_at")


def mentoring_team(*, mentee) -> list[dict[str, Any]]:
    """A mentee's open relationships grouped by kind, in the vocabulary's order of kinds (one query)."""
    relationships = Relationship.objects.filter(
        mentee=mentee, status__in=Relationship.OPEN_STATUSES
    ).select_related("mentor", "mentor__profile", "mentor__profile__institution", "mentor__profile_photo",
                     "program").order_by("created_at")
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


def request_mentee_summary(*, request: MentorshipRequest) -> dict[str, Any]:
    """What the mentor asked sees of the mentee while deciding: their profile in brief and the goals of their
    current learning plan (statements, domains, states; not progress notes or comments)."""
    mentee = request.mentee
    plan = current_plan_of(mentee=mentee)
    goals = list(Goal.objects.filter(plan=plan).exclude(status="dropped").order_by("target_date", "pk")) if plan else []
    return {
        "profile": Profile.objects.filter(user=mentee).select_related("institution").first(),
        "img_details": ImgDetails.objects.filter(user=mentee).first(),
        "plan": plan, "goals": goals,
    }


def pending_counts(*, user) -> dict[str, int]:
    """For the dashboard: requests waiting on this person, in one query that reads only theirs (through the
    mentor and mentee indexes), never every pending request of the network."""
    row = MentorshipRequest.objects.filter(
        Q(mentor=user) | Q(mentee=user), status=MentorshipRequest.Status.PENDING
    ).aggregate(
        received=Count("id", filter=Q(mentor=user)), sent=Count("id", filter=Q(mentee=user))
    )
    return {"received": row["received"] or 0, "sent": row["sent"] or 0}
