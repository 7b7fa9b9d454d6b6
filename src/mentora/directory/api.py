"""Finding a mentor over the API: the directory, recommendations, preferences, requests and referrals.

Same permission predicates and services as the pages. A service's refusals reach the API's one
exception handler (api/problems.py): 422 for bad input, 409 when the state refuses it.
"""


from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from mentora.api.fields import RowId
from mentora.api.pagination import paginated
from mentora.core.time_zones import is_time_zone
from mentora.core.vocabulary import RELATIONSHIP_KINDS
from mentora.matching import SENSITIVE
from mentora.programs.models import Network
from mentora.relationships.selectors import mentor_load

from . import permissions, selectors, services
from .forms import DirectoryFilterForm
from .matching import recommendations_for
from .models import PREFERENCE_CRITERIA, MatchPreferences, ReferralRequest

User = get_user_model()
directory_router = Router(tags=["find a mentor"])
requests_router = Router(tags=["mentorship requests"])
referrals_router = Router(tags=["referrals"])


# ------------------------------------------------------------------ directory

class DirectoryFilters(Schema):
    q: str = Field("", max_length=200, description="Words that must all appear on the mentor's profile.")
    specialty: str = ""
    research: str = Field("", max_length=100)
    language: str = ""
    country: str = ""
    region: str = ""
    img_status: str = ""
    kind: str = ""
    institution: int | None = None
    meeting_mode: str = ""
    time_zone: str = ""
    accepting: bool = False
    sort: str = Field("name", description="name, room, experience or recent")


class MentorOut(Schema):
    id: int
    full_name: str
    headline: str
    specialty: str
    subspecialty: str
    institution: str | None
    research_interests: str
    interest_tags: list[str]
    languages: list[str]
    meeting_modes: list[str]
    kinds_offered: list[str]
    accepting_new_mentees: bool
    capacity: int
    load: int
    country_of_training: str
    img_status: str
    links: dict[str, str]


def _mentor_out(offer) -> dict:
    user = offer.user
    profile = getattr(user, "profile", None)
    details = getattr(user, "img_details", None)
    return {
        "id": user.pk, "full_name": user.full_name, "headline": profile.headline if profile else "",
        "specialty": profile.specialty if profile else "", "subspecialty": profile.subspecialty if profile else "",
        "institution": profile.institution.name if profile and profile.institution else None,
        "research_interests": profile.research_interests if profile else "",
        "interest_tags": profile.interest_tags if profile else [], "languages": profile.languages if profile else [],
        "meeting_modes": profile.meeting_modes if profile else [], "kinds_offered": offer.kinds_offered or [],
        "accepting_new_mentees": offer.accepting_new_mentees, "capacity": offer.capacity, "load": offer.load,
        "country_of_training": details.medical_school_country if details else "",
        "img_status": details.img_status if details else "",
        "links": dict(profile.links()) if profile else {},
    }


@directory_router.get("/mentors", response=list[MentorOut], summary="Search the mentor directory")
@paginated
def mentor_search(request, filters: Query[DirectoryFilters]):
    data = filters.dict()
    form = DirectoryFilterForm({k: v for k, v in data.items() if v not in (None, "", False) and k != "institution"},
                               time_zones=[data["time_zone"]] if is_time_zone(data["time_zone"]) else [])
    if not form.is_valid():
        raise HttpError(400, "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    cleaned = {**form.cleaned_data, "institution": data.get("institution")}
    qs = selectors.directory_queryset(cleaned).select_related(
        "user", "user__profile", "user__profile__institution", "user__img_details"
    ).annotate(load=mentor_load(outer_ref="user_id"))
    return _LazyMentors(qs)


class _LazyMentors:
    """Sliced by the paginator before any row is read, then turned into MentorOut dictionaries."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, item):
        return [_mentor_out(offer) for offer in self.queryset[item]]

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()


class ReasonOut(Schema):
    criterion: str
    points: float
    text: str


class RecommendationOut(Schema):
    mentor_id: int
    full_name: str
    headline: str
    score: float
    reasons: list[ReasonOut]


@directory_router.get("/recommendations", response=list[RecommendationOut], summary="Mentors recommended for me")
def recommendations(request, kind: str | None = None):
    if kind and kind not in RELATIONSHIP_KINDS:
        raise HttpError(400, f"Unknown kind of mentorship: {kind}.")
    ranked = recommendations_for(request.auth, limit=10, kind=kind)
    mentors = selectors.mentors_by_id(row["mentor"] for row in ranked)
    return [
        {"mentor_id": row["mentor"], "full_name": mentors[row["mentor"]].full_name,
         "headline": getattr(getattr(mentors[row["mentor"]], "profile", None), "headline", ""),
         "score": row["score"], "reasons": row["reasons"]}
        for row in ranked if row["mentor"] in mentors
    ]


class PreferencesSchema(Schema):
    specialty: int = Field(3, ge=0, le=5)
    research_interests: int = Field(2, ge=0, le=5)
    career_tracks: int = Field(2, ge=0, le=5)
    img_background: int = Field(1, ge=0, le=5)
    country: int = Field(1, ge=0, le=5)
    languages: int = Field(1, ge=0, le=5)
    concordance: int = Field(2, ge=0, le=5)
    concordance_wanted: list[str] = Field(default_factory=list, description="gender and/or race_ethnicity")


def _preferences_out(user) -> dict:
    preferences = MatchPreferences.objects.filter(user=user).first() or MatchPreferences(user=user)
    attributes = getattr(user, "sensitive_attributes", None) if hasattr(user, "sensitive_attributes") else None
    wanted = list(attributes.concordance_wanted) if attributes is not None and attributes.has_consented else []
    return {**{name: getattr(preferences, name) for name in [*PREFERENCE_CRITERIA, "concordance"]},
            "concordance_wanted": wanted}


@directory_router.get("/preferences", response=PreferencesSchema, summary="What matters to me")
def preferences_get(request):
    return _preferences_out(request.auth)


@directory_router.put("/preferences", response=PreferencesSchema, summary="Say what matters to me")
def preferences_put(request, payload: PreferencesSchema):
    data = payload.dict()
    if any(name not in SENSITIVE for name in data["concordance_wanted"]):
        raise HttpError(400, "concordance_wanted may hold only gender and race_ethnicity.")
    services.preferences_update(
        by=request.auth, weights={name: data[name] for name in PREFERENCE_CRITERIA},
        concordance_wanted=data["concordance_wanted"], concordance_weight=data["concordance"],
    )
    return _preferences_out(User.objects.get(pk=request.auth.pk))


class TeamMemberOut(Schema):
    relationship_id: int
    kind: str
    status: str
    mentor_id: int
    mentor_name: str
    source: str


@directory_router.get("/team", response=list[TeamMemberOut], summary="My mentoring team")
def team(request):
    return [
        {"relationship_id": r.pk, "kind": r.kind, "status": r.status, "mentor_id": r.mentor_id,
         "mentor_name": r.mentor.full_name, "source": r.source}
        for group in selectors.mentoring_team(mentee=request.auth) for r in group["relationships"]
    ]


# ------------------------------------------------------------------ requests

class RequestOut(Schema):
    id: int
    mentee_id: int
    mentor_id: int
    kind: str
    why: str
    hopes: str
    status: str
    answer_note: str
    created_at: datetime
    expires_at: datetime
    relationship_id: int | None


class RequestIn(Schema):
    mentor_id: int
    kind: str = "career"
    why: str = Field(..., max_length=2000)
    hopes: str = Field(..., max_length=2000)


class AnswerIn(Schema):
    note: str = Field("", max_length=2000)


@requests_router.get("", response=list[RequestOut], summary="Requests I sent or received")
@paginated
def request_list(request, status: str | None = None):
    qs = permissions.visible_requests(request.auth).order_by("-created_at", "-pk")
    return qs.filter(status=status) if status else qs


@requests_router.post("", response={201: RequestOut}, summary="Ask a mentor")
def request_create(request, payload: RequestIn):
    mentor = get_object_or_404(User, pk=payload.mentor_id)
    if not permissions.can_request_mentor(request.auth, mentor):
        raise PermissionDenied
    created = services.request_create(by=request.auth, mentor=mentor, kind=payload.kind, why=payload.why,
                                      hopes=payload.hopes)
    return 201, created


@requests_router.get("/{request_id}", response=RequestOut, summary="One request")
def request_detail(request, request_id: int):
    return selectors.request_for(request.auth, request_id)


@requests_router.post("/{request_id}/accept", response=RequestOut, summary="Accept a request (mentor)")
def request_accept(request, request_id: int, payload: AnswerIn):
    item = selectors.request_for(request.auth, request_id)
    if not permissions.can_answer_request(request.auth, item):
        raise PermissionDenied
    services.request_accept(request_id=item.pk, by=request.auth, note=payload.note)
    return selectors.request_for(request.auth, request_id)


@requests_router.post("/{request_id}/decline", response=RequestOut, summary="Decline a request (mentor)")
def request_decline(request, request_id: int, payload: AnswerIn):
    item = selectors.request_for(request.auth, request_id)
    if not permissions.can_answer_request(request.auth, item):
        raise PermissionDenied
    return services.request_decline(request_id=item.pk, by=request.auth, note=payload.note)


@requests_router.post("/{request_id}/withdraw", response=RequestOut, summary="Withdraw my request (mentee)")
def request_withdraw(request, request_id: int):
    item = selectors.request_for(request.auth, request_id)
    if not permissions.can_withdraw_request(request.auth, item):
        raise PermissionDenied
    return services.request_withdraw(request_id=item.pk, by=request.auth)


# ------------------------------------------------------------------ referrals

class ReferralOut(Schema):
    id: int
    mentee_id: int
    network_id: int
    kind: str
    looking_for: str
    status: str
    coordinator_note: str
    proposed_mentor_ids: list[int]
    created_at: datetime


class ReferralIn(Schema):
    network_id: int
    kind: str = "career"
    looking_for: str = Field(..., max_length=2000)


class ProposalIn(Schema):
    mentor_ids: list[RowId] = Field(..., min_length=1, max_length=3)
    note: str = Field("", max_length=2000)


class PickIn(Schema):
    mentor_id: int
    why: str = Field(..., max_length=2000)
    hopes: str = Field(..., max_length=2000)


def _referral_out(referral: ReferralRequest) -> dict:
    return {
        "id": referral.pk, "mentee_id": referral.mentee_id, "network_id": referral.network_id, "kind": referral.kind,
        "looking_for": referral.looking_for, "status": referral.status, "coordinator_note": referral.coordinator_note,
        "proposed_mentor_ids": [p.mentor_id for p in referral.proposals.all()], "created_at": referral.created_at,
    }


@referrals_router.get("", response=list[ReferralOut], summary="My referral requests, or my networks' queue")
@paginated
def referral_list(request, status: str | None = None):
    qs = permissions.visible_referrals(request.auth).prefetch_related("proposals").order_by("created_at", "pk")
    if status:
        qs = qs.filter(status=status)
    return _LazyReferrals(qs)


class _LazyReferrals(_LazyMentors):
    def __getitem__(self, item):
        return [_referral_out(referral) for referral in self.queryset[item]]


@referrals_router.post("", response={201: ReferralOut}, summary="Ask a network for a mentor referral")
def referral_create(request, payload: ReferralIn):
    network = get_object_or_404(Network, pk=payload.network_id)
    if payload.kind not in RELATIONSHIP_KINDS:
        raise HttpError(400, f"Unknown kind of mentorship: {payload.kind}.")
    referral = services.referral_create(by=request.auth, network=network, kind=payload.kind,
                                        looking_for=payload.looking_for)
    return 201, _referral_out(referral)


@referrals_router.get("/{referral_id}", response=ReferralOut, summary="One referral request")
def referral_detail(request, referral_id: int):
    return _referral_out(selectors.referral_for(request.auth, referral_id))


@referrals_router.post("/{referral_id}/proposal", response=ReferralOut, summary="Propose mentors (coordinator)")
def referral_propose(request, referral_id: int, payload: ProposalIn):
    referral = selectors.referral_for(request.auth, referral_id)
    if not permissions.can_answer_referral(request.auth, referral):
        raise PermissionDenied
    services.referral_propose(referral_id=referral.pk, by=request.auth, mentor_ids=payload.mentor_ids,
                              note=payload.note)
    return _referral_out(selectors.referral_for(request.auth, referral_id))


@referrals_router.post("/{referral_id}/pick", response={201: RequestOut}, summary="Pick a proposed mentor (mentee)")
def referral_pick(request, referral_id: int, payload: PickIn):
    referral = selectors.referral_for(request.auth, referral_id)
    if not permissions.can_pick_referral(request.auth, referral):
        raise PermissionDenied
    created = services.referral_pick(referral_id=referral.pk, by=request.auth, mentor_id=payload.mentor_id,
                                     why=payload.why, hopes=payload.hopes)
    return 201, created


@referrals_router.post("/{referral_id}/cancel", response=ReferralOut,
                       summary="Cancel my open referral request (mentee)")
def referral_cancel(request, referral_id: int):
    referral = selectors.referral_for(request.auth, referral_id)
    if referral.mentee_id != request.auth.pk:
        raise PermissionDenied("Only the mentee who asked can cancel.")
    services.referral_cancel(referral_id=referral.pk, by=request.auth)
    return _referral_out(selectors.referral_for(request.auth, referral_id))
