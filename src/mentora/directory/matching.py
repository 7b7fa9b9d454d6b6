"""The adapter between Django models and the matching engine (mentora.matching).

It turns people into the engine's instance dictionaries with the attribute names of DESIGN.md
("Matching engine contract"); the engine does all scoring and explaining.

Sensitive attributes enter an instance only where the engine may use them: a mentee's gender or
race/ethnicity only if they consented and asked for that concordance (`concordance_wanted`), a
mentor's only if they consented and agreed to be matched on it (`concordance_consent`). Who will
see the result decides further (the `audience`): in a mentee's self-service ranking (recommendations,
referral suggestions) a mentor's value counts only if the mentor shows it on their profile, so no
ranking or reason reveals a private value; coordinator batch matching (PROGRAM_STAFF), whose preview
only program staff see, may use the private value too.

Recommendations for one mentee at design scale (12,000 mentors): the mentor side is built once
and cached under a data version, and a cheap overlap prefilter keeps the most promising
`PREFILTER_SIZE` mentors, which the engine then scores and explains (see bench/directory.py).
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
import uuid
import zoneinfo
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, TextField
from django.db.models.functions import Cast

from mentora import matching as engine
from mentora.conflicts.selectors import forbidden_pairs
from mentora.core import warmup
from mentora.core.memory import collector_paused
from mentora.core.vocabulary import region_of
from mentora.matching import SENSITIVE
from mentora.profiles.models import MentorOffer, SensitiveAttributes
from mentora.profiles.permissions import can_rank_on_sensitive_field
from mentora.relationships.models import Relationship
from mentora.relationships.selectors import mentor_load

from . import tasks
from .models import MentorshipRequest

logger = logging.getLogger(__name__)
# Who sees what the engine makes of an instance (see the module's docstring).
SELF_SERVICE = "self_service"
PROGRAM_STAFF = "program_staff"
PREFILTER_SIZE = 600
CACHE_SECONDS = 300
_VERSION_KEY = "directory:mentor-side-version"
_WORD = re.compile(r"[a-z]{4,}")


def person_key(user_id: int) -> str:
    return f"u{user_id}"


def user_id_of(key: str) -> int:
    return int(key[1:])


@lru_cache(maxsize=512)
def utc_offset(time_zone: str) -> float | None:
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offset = datetime.datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset()
    return None if offset is None else max(-12.0, min(14.0, offset.total_seconds() / 3600))


def training_level(level: str, years_in_practice: int | None = None) -> int | None:
    """The engine's `level`: PGY number for trainees; for faculty, residency (7) plus years in practice."""
    if level.startswith("pgy"):
        return int(level[3:])
    if level == "applicant":
        return 0
    if level == "fellow":
        return 6
    if level == "faculty" or years_in_practice is not None:
        return min(80, 7 + (years_in_practice or 3))
    return None


def _public_attributes(profile, details, years_in_practice=None) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    if profile is not None:
        if profile.specialty:
            attributes["specialty"] = profile.specialty
        if profile.subspecialty:
            attributes["subspecialty"] = profile.subspecialty
        if profile.research_interests:
            attributes["research_interests"] = profile.research_interests[:5000]
        if profile.interest_tags:
            attributes["interest_tags"] = [str(t)[:200] for t in profile.interest_tags][:200]
        if profile.career_tracks:
            attributes["career_tracks"] = list(profile.career_tracks)
        languages = [code for code in profile.languages or [] if isinstance(code, str) and len(code) == 2]
        if languages:
            attributes["languages"] = languages
        offset = utc_offset(profile.time_zone) if profile.time_zone else None
        if offset is not None:
            attributes["utc_offset"] = offset
        level = training_level(profile.training_level or "", years_in_practice)
        if level is not None:
            attributes["level"] = level
        if profile.institution_id:
            # The name, so the engine's reason reads "Both at Riverside University Hospital".
            attributes["institution"] = profile.institution.name[:300]
    if details is not None:
        if details.img_status:
            attributes["img_status"] = details.img_status
        if details.medical_school_country:
            attributes["country"] = details.medical_school_country
            region = region_of(details.medical_school_country)
            if region:
                attributes["region"] = region
    return attributes


def _sensitive_for_mentee(sensitive: SensitiveAttributes | None) -> dict[str, Any]:
    if sensitive is None or not sensitive.has_consented:
        return {}
    wanted = [name for name in SENSITIVE if name in (sensitive.concordance_wanted or []) and getattr(sensitive, name)]
    attributes: dict[str, Any] = {name: getattr(sensitive, name) for name in wanted}
    if wanted:
        attributes["concordance_wanted"] = wanted
    return attributes


def _sensitive_for_mentor(sensitive: SensitiveAttributes | None, audience: str) -> dict[str, Any]:
    if sensitive is None or not sensitive.has_consented:
        return {}
    if audience == PROGRAM_STAFF:
        consent = [name for name in SENSITIVE
                   if name in (sensitive.concordance_consent or []) and getattr(sensitive, name)]
    else:
        consent = [name for name in SENSITIVE if can_rank_on_sensitive_field(sensitive, name)]
    attributes: dict[str, Any] = {name: getattr(sensitive, name) for name in consent}
    if consent:
        attributes["concordance_consent"] = consent
    return attributes


def _one_to_one(user, name: str):
    try:
        return getattr(user, name)
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of any one-to-one
        return None


def mentee_entry(user, *, capacity: int = 1) -> dict[str, Any]:
    """The engine's mentee dictionary, with the mentee's own weights ('What matters to me')."""
    attributes = _public_attributes(_one_to_one(user, "profile"), _one_to_one(user, "img_details"))
    attributes.update(_sensitive_for_mentee(_one_to_one(user, "sensitive_attributes")))
    entry: dict[str, Any] = {"id": person_key(user.pk), "capacity": capacity, "attributes": attributes}
    preferences = _one_to_one(user, "match_preferences")
    if preferences is not None:
        entry["weights"] = preferences.weights()
    return entry


def mentor_entry(user, *, capacity: int, audience: str = SELF_SERVICE) -> dict[str, Any]:
    """The engine's mentor dictionary; private sensitive values only for the PROGRAM_STAFF audience."""
    if audience not in (SELF_SERVICE, PROGRAM_STAFF):
        raise ValueError(f"unknown audience {audience!r}")
    offer = _one_to_one(user, "mentor_offer")
    attributes = _public_attributes(
        _one_to_one(user, "profile"), _one_to_one(user, "img_details"),
        years_in_practice=offer.years_in_practice if offer else None,
    )
    attributes.update(_sensitive_for_mentor(_one_to_one(user, "sensitive_attributes"), audience))
    return {"id": person_key(user.pk), "capacity": max(0, capacity), "attributes": attributes}


def mentor_entries(offers, *, audience: str = SELF_SERVICE) -> list[dict[str, Any]]:
    """Engine mentor dictionaries for MentorOffer rows, capacity = places still free.

    Each also carries `_kinds` (kinds of mentorship offered), which callers strip before the engine.
    """
    offers = list(
        offers.select_related("user__profile__institution", "user__img_details", "user__sensitive_attributes")
    )
    load = mentor_load(mentor_ids=[offer.user_id for offer in offers]) if len(offers) < 2000 else mentor_load()
    entries = []
    for offer in offers:
        entry = mentor_entry(offer.user, capacity=offer.capacity - load.get(offer.user_id, 0), audience=audience)
        entry["_kinds"] = frozenset(offer.kinds_offered or ())
        entries.append(entry)
    return entries


def engine_people(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in entry.items() if not k.startswith("_")} for entry in entries]


# ------------------------------------------------------------------ recommendations

def _side_key(version: str) -> str:
    return f"directory:mentor-side:{version}"


def _new_version() -> None:
    """A new cache version, and the previous version's copy deleted rather than left to expire."""
    _local.update(key=None, entries=None, at=0.0)
    previous = cache.get(_VERSION_KEY)
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)
    if previous is not None:
        cache.delete(_side_key(previous))


def _move_version() -> None:
    try:
        _new_version()
    except Exception:  # noqa: BLE001 - the entries also expire after CACHE_SECONDS and are purged
        logger.warning("could not move the recommendation cache version", exc_info=True)
    warmup.schedule(tasks.mentor_side_warm_task, name=tasks.WARMUP)  # the worker builds the new version's copy


def mentor_side_changed() -> None:
    """Start a new cache version once the saving transaction commits.

    After the commit, so a cache in the same database never touches the caller's transaction, and
    a cache that is not set up yet (before `createcachetable`) only costs freshness, not the save.
    """
    transaction.on_commit(_move_version)


def mentor_side_forget() -> None:
    """Delete every cached copy of the mentor side now: a sensitive attribute changed or was withdrawn.

    Once inside the caller's transaction (with the database cache the copy goes with the change,
    atomically; a savepoint keeps a cache failure from breaking the caller's transaction), and once
    more after the commit, for a copy another process built from the old data meanwhile. Other
    processes drop their in-memory copy at their next request, when they see the new version.
    """
    try:
        with transaction.atomic():
            _new_version()
    except Exception:  # noqa: BLE001 - the commit-time pass below tries again
        logger.warning("could not drop the recommendation cache inside the transaction", exc_info=True)
    transaction.on_commit(_move_version)


def _version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_VERSION_KEY, version, None)
        version = cache.get(_VERSION_KEY) or version
    return version


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


_JSON_COLUMNS = ("kinds_offered", "user__profile__interest_tags", "user__profile__career_tracks",
                 "user__profile__languages")


@lru_cache(maxsize=4096)
def _json_list(text: str | None) -> tuple | None:
    """A JSON list column's text as a tuple (shared between rows, so never a mutable list)."""
    if text is None:
        return None
    value = json.loads(text)
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=4096)
def _text_list(text: str | None, limit: int) -> tuple[str, ...]:
    """interest_tags as _public_attributes keeps them (each at most 200 characters, at most `limit`)."""
    value = _json_list(text)
    return tuple(str(t)[:200] for t in value)[:limit] if value else ()


@lru_cache(maxsize=4096)
def _language_list(text: str | None) -> tuple[str, ...]:
    value = _json_list(text)
    return tuple(code for code in value or () if isinstance(code, str) and len(code) == 2)


_SENSITIVE_SIDE = "user__sensitive_attributes__"
_SIDE_COLUMNS = (
    "user_id", "capacity", "years_in_practice", "user__profile__id", "user__profile__specialty",
    "user__profile__subspecialty", "user__profile__research_interests", "_user__profile__interest_tags",
    "_user__profile__career_tracks", "_user__profile__languages", "user__profile__time_zone",
    "user__profile__training_level", "user__profile__institution_id", "user__profile__institution__name",
    "user__img_details__id", "user__img_details__img_status", "user__img_details__medical_school_country",
    "_kinds_offered", "_consented", "_concordance_consent",
    *(_SENSITIVE_SIDE + name for name in SENSITIVE), *(f"{_SENSITIVE_SIDE}{name}_visibility" for name in SENSITIVE),
)


def mentor_side_entries(offers, *, free_only: bool = False) -> list[dict[str, Any]]:
    """As mentor_entries(offers) for the self-service audience, from one query of columns instead of model
    instances: the mentor side of every recommendation is built at once from the whole network's mentors,
    and 12,000 mentors' model instances (four per mentor) cost seconds where their columns cost a tenth.

    Each row becomes the engine's attributes directly (what _public_attributes and _sensitive_for_mentor
    give for the same person, which tests/directory/test_matching.py compares); values shared by many
    mentors (lists kept as JSON text, time zones, countries) are worked out once per distinct value.
    """
    # Lists (languages, tags, tracks, kinds, consent) come as their JSON text and are decoded once per
    # distinct text: a few hundred distinct values among tens of thousands.
    as_text = {f"_{name}": Cast(name, TextField()) for name in _JSON_COLUMNS}
    # Every mentor's load in one grouped pass over the open relationships, rather than a lookup per mentor
    # (twice with free_only: once to filter, once to read): a third of this query's time on PostgreSQL.
    loads = mentor_load(mentor_ids=None)
    rows = offers.annotate(
        _consented=ExpressionWrapper(Q(user__sensitive_attributes__consented_at__isnull=False),
                                     output_field=BooleanField()),
        _concordance_consent=Cast(_SENSITIVE_SIDE + "concordance_consent", TextField()), **as_text)
    sensitive_names = [*SENSITIVE, *(f"{name}_visibility" for name in SENSITIVE)]
    entries = []
    for (user_id, capacity, years, profile_id, specialty, subspecialty, research, tags, tracks, languages,
         time_zone, level, institution_id, institution, details_id, img_status, country, kinds,
         has_consented, consent, *sensitive) in rows.values_list(*_SIDE_COLUMNS):
        load = loads.get(user_id, 0)
        if free_only and capacity <= load:
            continue
        attributes: dict[str, Any] = {}
        if profile_id is not None:
            if specialty:
                attributes["specialty"] = specialty
            if subspecialty:
                attributes["subspecialty"] = subspecialty
            if research:
                attributes["research_interests"] = research[:5000]
            if tags and tags != "[]" and _json_list(tags):
                attributes["interest_tags"] = list(_text_list(tags, 200))
            if tracks and tracks != "[]" and _json_list(tracks):
                attributes["career_tracks"] = list(_json_list(tracks))
            if languages and languages != "[]":
                codes = _language_list(languages)
                if codes:
                    attributes["languages"] = list(codes)
            offset = utc_offset(time_zone) if time_zone else None
            if offset is not None:
                attributes["utc_offset"] = offset
            level = training_level(level or "", years)
            if level is not None:
                attributes["level"] = level
            if institution_id:
                attributes["institution"] = institution[:300]
        if details_id is not None:
            if img_status:
                attributes["img_status"] = img_status
            if country:
                attributes["country"] = country
                region = region_of(country)
                if region:
                    attributes["region"] = region
        if has_consented:
            row = SimpleNamespace(has_consented=True, concordance_consent=_json_list(consent),
                                  **dict(zip(sensitive_names, sensitive, strict=True)))
            attributes.update(_sensitive_for_mentor(row, SELF_SERVICE))
        entries.append({"id": person_key(user_id), "capacity": max(0, capacity - load), "attributes": attributes,
                        "_kinds": frozenset(_json_list(kinds) or ())})
    return entries


def _build_mentor_side() -> list[dict[str, Any]]:
    """Every mentor who accepts new mentees and has a free place, with prefilter keys (a deactivated
    account is nobody's mentor, whatever its offer still says)."""
    offers = MentorOffer.objects.filter(accepting_new_mentees=True, user__is_active=True)
    entries = [entry for entry in mentor_side_entries(offers, free_only=True) if entry["capacity"] > 0]
    for entry in entries:
        attributes = entry["attributes"]
        text = attributes.get("research_interests", "") + " " + " ".join(attributes.get("interest_tags", []))
        entry["_words"] = _words(text)
        entry["_tracks"] = frozenset(attributes.get("career_tracks", ()))
        entry["_languages"] = frozenset(attributes.get("languages", ())) - {"en"}
        entry["_img"] = attributes.get("img_status") in _IMG
    return entries


_local: dict[str, Any] = {"key": None, "entries": None, "at": 0.0}


def mentor_side(*, warm_up: bool = False) -> list[dict[str, Any]]:
    """The mentor side for the current data version: from this process's memory, else the shared
    cache (other processes built it), else built from the database.

    The worker's warm-up (`warm_up`) shares the copy it builds (puts it in the cache). A web request
    shares its own only when no worker warms ahead (MENTORA_WARM_AHEAD off); otherwise it queues the
    warm-up, so the first request after every cache was cleared does not also pay for writing
    megabytes to the cache."""
    share = warm_up or not settings.MENTORA_WARM_AHEAD
    version = _version()
    key = _side_key(version)
    now = time.monotonic()
    if _local["key"] == key and now - _local["at"] < CACHE_SECONDS and not warm_up:
        return _local["entries"]
    with collector_paused():
        entries = cache.get(key)
    if entries is None:
        with collector_paused():
            entries = _build_mentor_side()
        if share:
            cache.set(key, entries, CACHE_SECONDS)
        else:
            warmup.schedule(tasks.mentor_side_warm_task, name=tasks.WARMUP)
        if _version() != version:
            # The data changed while this copy was being built (a consent may have been withdrawn):
            # it is used for this one answer and never shared.
            if share:
                cache.delete(key)
            return entries
    _local.update(key=key, entries=entries, at=now)
    return entries


_IMG = ("non_us_img", "us_img")


def _prefilter(mentee: dict[str, Any], words: frozenset[str], weights: dict[str, float]):
    """A rough overlap count to pick which mentors the engine scores; never shown to anyone.

    Returns the ranking function for this mentee, its side worked out once (the mentor side's keys are
    worked out once per copy of the side, in _build_mentor_side)."""
    a = mentee["attributes"]
    specialty, subspecialty = a.get("specialty"), a.get("subspecialty")
    w_specialty, w_research = weights.get("specialty", 3), weights.get("research_interests", 2)
    w_tracks, w_img, w_country = weights.get("career_tracks", 2), weights.get("img_background", 1), \
        weights.get("country", 1)
    w_languages = weights.get("languages", 1)
    tracks = frozenset(a.get("career_tracks", ()))
    img = a.get("img_status") in _IMG
    country, region = a.get("country"), a.get("region")
    languages = frozenset(a.get("languages", ())) - {"en"}
    wanted = [(name, a.get(name), weights.get(name, 2)) for name in a.get("concordance_wanted", ())]

    def rank(mentor: dict[str, Any]) -> float:
        b = mentor["attributes"]
        value = 0.0
        if specialty and specialty == b.get("specialty"):
            value += w_specialty * (1.0 if subspecialty == b.get("subspecialty") else 0.7)
        if words:
            value += w_research * min(1.0, len(words & mentor["_words"]) / 2)
        if tracks and mentor["_tracks"]:
            value += w_tracks * len(tracks & mentor["_tracks"]) / len(tracks | mentor["_tracks"])
        if img and mentor["_img"]:
            value += w_img
        if country and country == b.get("country"):
            value += w_country
        elif region and region == b.get("region"):
            value += w_country / 2
        if languages & mentor["_languages"]:
            value += w_languages
        for name, own, weight in wanted:
            if name in b.get("concordance_consent", ()) and own == b.get(name):
                value += weight
        return value

    return rank


def recommendations_for(user, *, limit: int = 10, kind: str | None = None) -> list[dict[str, Any]]:
    """The engine's best mentors for one mentee: [{"mentor": user_id, "score", "reasons"}], best first.

    Mentors the mentee already has an open relationship with, and mentors they are waiting on,
    are left out; so is the mentee themselves.
    """
    fresh = get_user_model().objects.select_related(
        "profile__institution", "img_details", "sensitive_attributes", "match_preferences").get(pk=user.pk)
    mentee = mentee_entry(fresh)
    weights = dict(engine.DEFAULT_WEIGHTS)
    weights.update(mentee.get("weights", {}))
    words = _words(mentee["attributes"].get("research_interests", "") + " " + " ".join(
        mentee["attributes"].get("interest_tags", [])))

    excluded = set(
        Relationship.objects.filter(mentee=user, status__in=Relationship.OPEN_STATUSES).values_list(
            "mentor_id", flat=True)
    ) | set(MentorshipRequest.objects.filter(mentee=user, status="pending").values_list("mentor_id", flat=True))
    excluded.add(user.pk)
    excluded |= {mentor_id for _mentee, mentor_id in forbidden_pairs(mentee_ids=[user.pk])}  # conflicts of interest
    excluded_keys = {person_key(pk) for pk in excluded}
    pool = [entry for entry in mentor_side() if entry["id"] not in excluded_keys]
    if kind:
        pool = [entry for entry in pool if kind in entry["_kinds"]]
    if len(pool) > PREFILTER_SIZE:
        rank = _prefilter(mentee, words, weights)
        pool.sort(key=lambda entry: (-rank(entry), entry["id"]))
        pool = pool[:PREFILTER_SIZE]
    if not pool:
        return []
    document = {
        "mentees": [mentee],
        "mentors": engine_people(pool),
    }
    instance = engine.check_instance(document, schema=False)
    ranked = engine.score_mentee(instance, mentee["id"], limit=limit)
    return [{"mentor": user_id_of(row["mentor"]), "score": row["score"], "reasons": row["reasons"]} for row in ranked]


def pair_score(mentee_user, mentor_user, *, weights: dict[str, float] | None = None,
               audience: str = SELF_SERVICE) -> dict[str, Any]:
    """Score and reasons of one pair, as the engine gives them (used when a coordinator swaps pairs)."""
    document = {"mentees": [mentee_entry(mentee_user)],
                "mentors": [mentor_entry(mentor_user, capacity=1, audience=audience)]}
    if weights:
        document["weights"] = weights
    instance = engine.check_instance(document, schema=False)
    ranked = engine.score_mentee(instance, person_key(mentee_user.pk), limit=1)
    if not ranked:
        return {"score": 0.0, "reasons": []}
    return {"score": ranked[0]["score"], "reasons": ranked[0]["reasons"]}
