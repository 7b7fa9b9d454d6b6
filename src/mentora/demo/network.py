"""The demo network generator behind `mentora demo`.

Deterministic for a seed, realistic in proportion (see mentora.demo.data), and fast at the
design scale: rows go in with bulk inserts in one transaction and every generated person shares one
password hash. Each domain app may add its own data by providing ``<app>/demo.py`` with a
``generate(context: DemoContext) -> None`` function; they run after the base network, in the
order of INSTALLED_APPS.
"""

from __future__ import annotations

import datetime
import random
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.core.db import refresh_planner_statistics
from mentora.core.demo import DEMO_LOGINS, DemoContext, Progress, bulk_create
from mentora.core.discovery import app_modules
from mentora.core.vocabulary import (
    CAREER_TRACKS,
    CONCORDANCE_FIELDS,
    COUNTRIES,
    GENDERS,
    MEETING_MODES,
    RACE_ETHNICITIES,
    RELATIONSHIP_KINDS,
    SPECIALTIES,
    SUBSPECIALTIES,
    TRAINING_LEVELS,
)
from mentora.demo import data
from mentora.profiles.models import ImgDetails, MentorOffer, Profile, SensitiveAttributes
from mentora.programs.models import Institution, Membership, Network, Program
from mentora.relationships.models import Relationship

User = get_user_model()


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted], k=1)[0]


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum()).lower()


def demo_loaded() -> bool:
    return User.objects.filter(email=DEMO_LOGINS["admin"]).exists()


def estimated_rows(mentees: int, mentors: int) -> int:
    people = mentees + mentors
    # users, profiles, memberships, IMG details, offers, sensitive attributes, network members, relationships
    return int(people * 3 + mentees * 1.4 + mentors * 2.3 + mentees * 0.4)


@transaction.atomic
def generate_demo(
    *, mentees: int, mentors: int, seed: int = 2026, progress: Progress | None = None,
    step_filter: Callable[[str], bool] | None = None, history_days: int = 400,
    goals_per_plan: tuple[int, ...] = (2, 3, 3, 4),
) -> DemoContext:
    if mentees < 1 or mentors < 1:
        raise ValueError("the demo needs at least one mentee and one mentor")
    rng = random.Random(seed)
    started = time.perf_counter()
    year = current_academic_year()
    today = timezone.localdate()
    password = make_password(settings.MENTORA_DEMO_PASSWORD)

    network = Network.objects.create(
        name="IMG Section Mentorship Network",
        slug="img-section",
        description="A national network of faculty who mentor International Medical Graduates.",
    )
    institutions = _make_institutions(rng, max(3, mentees // 250), network)
    programs = _make_programs(rng, institutions, network)
    demo_program = programs[0]
    programs_by_specialty: dict[str, list[Program]] = defaultdict(list)
    for program in programs:
        programs_by_specialty[program.specialty].append(program)

    logins = _make_demo_logins(password, demo_program, network, year)
    people = _plan_people(rng, mentees, mentors, programs_by_specialty, demo_program)

    users = bulk_create(
        User,
        (User(email=p["email"], full_name=p["name"], password=password, is_demo=True) for p in people),
        progress,
        "people",
    )
    for person, user in zip(people, users, strict=True):
        person["id"] = user.pk
    mentor_people = [p for p in people if p["role"] == "mentor"]
    mentee_people = [p for p in people if p["role"] == "mentee"]

    bulk_create(Profile, (_profile(p) for p in people), progress, "profiles")
    bulk_create(ImgDetails, (_img_details(rng, p) for p in people if p["img_status"] != "us_grad"
                             or p["role"] == "mentee"), progress, "IMG details")
    bulk_create(MentorOffer, (_offer(rng, p) for p in mentor_people), progress, "mentor offers")
    bulk_create(
        Membership,
        (Membership(user_id=p["id"], program_id=p["program"].pk, academic_year=year, role=p["role"],
                    training_level=p["level"]) for p in people),
        progress,
        "memberships",
    )
    bulk_create(SensitiveAttributes, _sensitive(rng, people, today), progress, "optional attributes")
    through = Network.mentors.through
    bulk_create(through, (through(network_id=network.pk, user_id=p["id"]) for p in mentor_people), progress,
                "network members")

    context = DemoContext(
        rng=rng, seed=seed, academic_year=year, today=today, network=network, demo_program=demo_program,
        programs=programs, mentee_ids=[p["id"] for p in mentee_people], mentor_ids=[p["id"] for p in mentor_people],
        logins=logins, mentee_program={p["id"]: p["program"].pk for p in mentee_people},
        mentor_program={p["id"]: p["program"].pk for p in mentor_people}, progress=progress,
        history_days=history_days, goals_per_plan=goals_per_plan,
    )
    _make_relationships(context, mentee_people, mentor_people)
    context.timings["base network"] = time.perf_counter() - started

    for app_config, module in app_modules("demo"):
        if not hasattr(module, "generate") or (step_filter is not None and not step_filter(app_config.label)):
            continue  # (core's demo module is the toolkit the steps use, not a step)
        step_started = time.perf_counter()
        module.generate(context)
        context.timings[app_config.label] = time.perf_counter() - step_started
    step_started = time.perf_counter()
    refresh_planner_statistics()
    context.timings["statistics"] = time.perf_counter() - step_started
    return context


def _make_institutions(rng: random.Random, count: int, network: Network) -> list[Institution]:
    names: list[str] = []
    seen: set[str] = set()
    for prefix in data.INSTITUTION_PREFIXES:
        for suffix in data.INSTITUTION_SUFFIXES:
            names.append(f"{prefix} {suffix}")
    rng.shuffle(names)
    names.remove("Riverside University Hospital")
    names.insert(0, "Riverside University Hospital")
    institutions = []
    for i in range(count):
        base = names[i % len(names)]
        name = base if i < len(names) else f"{base} {i // len(names) + 1}"
        state, abbreviation = data.STATES[rng.randrange(len(data.STATES))] if i else ("New York", "NY")
        slug = _ascii(name.replace(" ", "-")) + f"-{i}"
        if slug in seen:
            continue
        seen.add(slug)
        institutions.append(Institution(name=name, slug=slug, city="", state=state, country="US"))
        institutions[-1].abbreviation = abbreviation  # used for the time zone only
    created = Institution.objects.bulk_create(institutions)  # the same objects, now with primary keys
    Institution.networks.through.objects.bulk_create(
        [Institution.networks.through(institution_id=i.pk, network_id=network.pk) for i in created]
    )
    return created


def _program_slug(institution_slug: str, index: int, specialty: str) -> str:
    """Unique and within the 50 characters of a SlugField (PostgreSQL enforces it, SQLite does not)."""
    slug = f"{institution_slug}-{specialty.replace('_', '-')}"
    return slug if len(slug) <= 50 else f"{specialty.replace('_', '-')}-{index}-{institution_slug}"[:50]


def _make_programs(rng: random.Random, institutions: list[Institution], network: Network) -> list[Program]:
    programs = []
    for index, institution in enumerate(institutions):
        specialties = ["internal_medicine"] if index == 0 else []
        while len(specialties) < rng.choice([2, 3, 3, 4]):
            specialty = _pick(rng, data.SPECIALTY_WEIGHTS)
            if specialty not in specialties:
                specialties.append(specialty)
        for specialty in specialties:
            label = SPECIALTIES[specialty]
            programs.append(
                Program(
                    institution=institution, network=network, specialty=specialty,
                    name=f"{label} Residency — {institution.name}",
                    slug=_program_slug(institution.slug, index, specialty),
                    review_frequency=rng.choice(["semiannual", "semiannual", "annual", "quarterly"]),
                )
            )
    return Program.objects.bulk_create(programs)


def _make_demo_logins(password: str, program: Program, network: Network, year: int) -> dict[str, Any]:
    logins = {}
    names = {
        "mentee": "Priya Raman", "mentor": "Dr. Elena García", "coordinator": "Morgan Lee",
        "network": "Dr. Samuel Okafor", "admin": "Site Administrator",
    }
    for role, email in DEMO_LOGINS.items():
        logins[role] = User(
            email=email, full_name=names[role], password=password, is_demo=True,
            is_staff=role == "admin", is_superuser=role == "admin",
        )
    User.objects.bulk_create(logins.values())
    mentee, mentor = logins["mentee"], logins["mentor"]
    Profile.objects.bulk_create([
        Profile(user=mentee, headline="PGY-1, internal medicine", specialty="internal_medicine",
                training_level="pgy1", institution=program.institution, languages=["en", "ta", "hi"],
                meeting_modes=["video", "in_person"], career_tracks=["academic_medicine", "research"],
                research_interests="heart failure outcomes in immigrant communities",
                interest_tags=["heart failure", "health equity"], time_zone="America/New_York"),
        Profile(user=mentor, headline="Associate professor of medicine, cardiology", specialty="internal_medicine",
                subspecialty="cardiology", training_level="faculty", institution=program.institution,
                languages=["en", "es"], meeting_modes=["video", "in_person"],
                career_tracks=["academic_medicine", "research", "education"],
                research_interests="heart failure outcomes and readmissions; health equity",
                interest_tags=["heart failure", "outcomes research", "medical education"],
                orcid="0000-0002-1825-0097", time_zone="America/New_York",
                linkedin_url="https://www.linkedin.com/in/example-mentor"),
        Profile(user=logins["coordinator"], headline="Program coordinator, internal medicine"),
        Profile(user=logins["network"], headline="Chair, IMG Section mentorship committee"),
        Profile(user=logins["admin"], headline="Site administrator"),
    ])
    ImgDetails.objects.create(
        user=mentee, medical_school="Madras Medical College", medical_school_country="IN", graduation_year=2022,
        img_status="non_us_img", ecfmg_certified=True, usmle_step1="passed", usmle_step2_ck="passed",
        usmle_step3="not_taken", visa_status="j1", j1_waiver_plan="Conrad 30, primary care",
        us_clinical_experience=["observership"],
    )
    ImgDetails.objects.create(
        user=mentor, medical_school="Universidad Nacional Autónoma de México", medical_school_country="MX",
        graduation_year=2005, img_status="non_us_img", ecfmg_certified=True, usmle_step1="passed",
        usmle_step2_ck="passed", usmle_step3="passed", visa_status="citizen",
    )
    MentorOffer.objects.create(
        user=mentor, capacity=4, kinds_offered=["career", "research", "clinical"], accepting_new_mentees=True,
        years_in_practice=15, offer_note="I help IMGs plan an academic career and their first publication.",
    )
    SensitiveAttributes.objects.create(user=mentee, consented_at=timezone.now(), gender="woman",
                                       concordance_wanted=["gender"])
    # She shows her gender on her profile, so the demo mentee's recommendations may use it.
    SensitiveAttributes.objects.create(user=mentor, consented_at=timezone.now(), gender="woman",
                                       gender_visibility="directory", concordance_consent=["gender"])
    Membership.objects.bulk_create([
        Membership(user=mentee, program=program, academic_year=year, role="mentee", training_level="pgy1"),
        Membership(user=mentor, program=program, academic_year=year, role="mentor", training_level="faculty"),
        Membership(user=logins["coordinator"], program=program, academic_year=year, role="coordinator"),
    ])
    network.coordinators.add(logins["network"])
    network.mentors.add(mentor)
    Relationship.objects.create(
        mentee=mentee, mentor=mentor, kind="career", status=Relationship.Status.ACTIVE, source="manual", program=program,
        started_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    return logins


def _plan_people(rng, mentees: int, mentors: int, programs_by_specialty, demo_program) -> list[dict]:
    countries = [c for c, _ in data.SCHOOL_COUNTRIES]
    country_weights = [w for _, w in data.SCHOOL_COUNTRIES]
    specialty_programs = {s: progs for s, progs in programs_by_specialty.items()}
    specialties = [s for s, _ in data.SPECIALTY_WEIGHTS if s in specialty_programs]
    specialty_weights = [w for s, w in data.SPECIALTY_WEIGHTS if s in specialty_programs]
    people: list[dict] = []
    used_emails: set[str] = set()
    for role, count in (("mentor", mentors), ("mentee", mentees)):
        for index in range(count):
            if role == "mentor" and rng.random() < 0.62:
                country = "US"
            else:
                country = rng.choices(countries, weights=country_weights, k=1)[0]
            if country == "US":
                img_status = "us_grad"
            elif country in data.CARIBBEAN_SCHOOLS:
                img_status = "us_img" if rng.random() < 0.75 else "non_us_img"
            else:
                img_status = "non_us_img" if rng.random() < 0.9 else "us_img"
            pool_key = data.COUNTRY_POOL.get(country, "north_america")
            if img_status == "us_img" and rng.random() < 0.5:
                pool_key = rng.choice(["north_america", "south_asia", "latin_america"])
            first_names, last_names, languages = data.NAME_POOLS[pool_key]
            first, last = rng.choice(first_names), rng.choice(last_names)
            specialty = rng.choices(specialties, weights=specialty_weights, k=1)[0]
            candidates = specialty_programs[specialty]
            # Popular programs: a skewed choice so some programs are large and some small.
            program = candidates[min(int(rng.paretovariate(1.2)) - 1, len(candidates) - 1)] if len(candidates) > 1 \
                else candidates[0]
            if (role == "mentor" and index < 6) or (role == "mentee" and index < 40):
                program = demo_program
                specialty = demo_program.specialty
            email = f"{_ascii(first)}.{_ascii(last)}.{role[0]}{index}@demo.mentora.example"
            if email in used_emails:
                email = f"{role}{index}@demo.mentora.example"
            used_emails.add(email)
            spoken = ["en"] + rng.sample(languages, k=min(len(languages), rng.choice([0, 1, 1, 2])))
            level = "faculty" if role == "mentor" else _pick(rng, data.TRAINING_LEVEL_WEIGHTS)
            subspecialties = SUBSPECIALTIES.get(specialty, [])
            subspecialty = ""
            if subspecialties and (role == "mentor" or level == "fellow" or rng.random() < 0.25):
                subspecialty = rng.choice(subspecialties)[0]
            topics = data.RESEARCH_TOPICS[specialty]
            people.append({
                "role": role, "name": f"{'Dr. ' if role == 'mentor' else ''}{first} {last}", "email": email,
                "country": country, "img_status": img_status, "specialty": specialty, "subspecialty": subspecialty,
                "program": program, "level": level, "languages": spoken,
                "time_zone": data.STATE_TIME_ZONES.get(getattr(program.institution, "abbreviation", ""),
                                                      "America/New_York"),
                "research": "; ".join(rng.sample(topics, k=min(len(topics), rng.choice([1, 2])))),
                "tags": rng.sample(data.TAGS, k=rng.choice([1, 2, 3])),
                "tracks": rng.sample(list(CAREER_TRACKS), k=rng.choice([1, 2, 3])),
                "modes": rng.sample(list(MEETING_MODES), k=rng.choice([1, 2, 3])),
            })
    return people


def _profile(p: dict) -> Profile:
    level = TRAINING_LEVELS[p["level"]]
    return Profile(
        user_id=p["id"], headline=f"{level}, {SPECIALTIES[p['specialty']].lower()}", specialty=p["specialty"],
        subspecialty=p["subspecialty"], training_level=p["level"], institution_id=p["program"].institution_id,
        time_zone=p["time_zone"], languages=p["languages"], meeting_modes=p["modes"], career_tracks=p["tracks"],
        research_interests=p["research"], interest_tags=p["tags"],
    )


def _img_details(rng: random.Random, p: dict) -> ImgDetails:
    country = p["country"]
    school = rng.choice(data.SCHOOL_NAMES.get(country, [f"National Medical University, {COUNTRIES[country][0]}"]))
    mentor = p["role"] == "mentor"
    graduation = rng.randint(1985, 2015) if mentor else rng.randint(2014, 2024)
    visa = ""
    if p["img_status"] == "non_us_img":
        visa = "citizen" if mentor and rng.random() < 0.6 else _pick(rng, data.VISA_WEIGHTS_NON_US_IMG)
    elif p["img_status"] == "us_img" or p["img_status"] == "us_grad":
        visa = "citizen"
    passed = "passed"
    step3 = "passed" if mentor or p["level"] in {"pgy3", "pgy4", "fellow"} else rng.choice(
        ["not_taken", "scheduled", "passed"])
    return ImgDetails(
        user_id=p["id"], medical_school=school, medical_school_country=country, graduation_year=graduation,
        img_status=p["img_status"], ecfmg_certified=p["img_status"] != "us_grad" and p["level"] != "applicant",
        usmle_step1=passed, usmle_step2_ck=passed if p["level"] != "applicant" or rng.random() < 0.7 else "scheduled",
        usmle_step3=step3, visa_status=visa,
        j1_waiver_plan="Conrad 30" if visa == "j1" and rng.random() < 0.4 else "",
        us_clinical_experience=rng.sample(["observership", "externship", "research_position"], k=rng.choice([0, 1, 2]))
        if p["img_status"] != "us_grad" else [],
    )


def _offer(rng: random.Random, p: dict) -> MentorOffer:
    kinds = rng.sample([k for k in RELATIONSHIP_KINDS if k != "peer"], k=rng.choice([1, 2, 3]))
    return MentorOffer(
        user_id=p["id"], capacity=rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[5, 15, 25, 25, 15, 10, 5], k=1)[0],
        kinds_offered=kinds, accepting_new_mentees=rng.random() < 0.85, years_in_practice=rng.randint(2, 32),
    )


def _sensitive(rng: random.Random, people: list[dict], today: datetime.date):
    consented = timezone.now()
    by_pool = {
        "south_asia": "asian", "east_asia": "asian", "middle_east": "middle_eastern_north_african",
        "africa": "black", "latin_america": "hispanic_latino", "europe": "white", "north_america": None,
    }
    genders = list(GENDERS)
    for p in people:
        if rng.random() > 0.45:
            continue
        pool = data.COUNTRY_POOL.get(p["country"], "north_america")
        race = by_pool.get(pool) or rng.choice(list(RACE_ETHNICITIES))
        gender = rng.choices(genders, weights=[48, 48, 3, 1], k=1)[0]
        wanted, consent = [], []
        if p["role"] == "mentee" and rng.random() < 0.35:
            wanted = rng.sample(list(CONCORDANCE_FIELDS), k=rng.choice([1, 1, 2]))
        shown = []
        if p["role"] == "mentor" and rng.random() < 0.7:
            consent = rng.sample(list(CONCORDANCE_FIELDS), k=rng.choice([1, 2, 2]))
            # About 40 % show what they agreed to be matched on (mentees' recommendations may use
            # it); the rest keep it private (only coordinators' batch matching may). Chosen from the
            # id, not the generator's stream, so the rest of the demo stays as it was.
            shown = [name for name in consent if (p["id"] * 7 + len(name)) % 5 < 2]
        yield SensitiveAttributes(
            user_id=p["id"], consented_at=consented, gender=gender, race_ethnicity=race,
            lgbtq_identity=rng.random() < 0.07 if rng.random() < 0.6 else None,
            concordance_wanted=wanted, concordance_consent=consent,
            gender_visibility="directory" if "gender" in shown else "private",
            race_ethnicity_visibility="directory" if "race_ethnicity" in shown else "private",
        )


def _make_relationships(context: DemoContext, mentee_people: list[dict], mentor_people: list[dict]) -> None:
    rng = context.rng
    capacity = {p["id"]: 0 for p in mentor_people}
    offers = dict(MentorOffer.objects.filter(user_id__in=capacity).values_list("user_id", "capacity"))
    mentors_by_program: dict[int, list[int]] = defaultdict(list)
    for p in mentor_people:
        mentors_by_program[p["program"].pk].append(p["id"])
    today = context.today
    relationships: list[Relationship] = []
    for p in mentee_people:
        if rng.random() > 0.55:
            continue
        candidates = [m for m in mentors_by_program.get(p["program"].pk, []) if capacity[m] < offers[m]]
        if not candidates:
            continue
        mentor = rng.choice(candidates)
        capacity[mentor] += 1
        status = rng.choices([Relationship.Status.ACTIVE, Relationship.Status.ACTIVE, Relationship.Status.ACTIVE, Relationship.Status.PAUSED, Relationship.Status.PROPOSED], k=1)[0]
        started = today - datetime.timedelta(days=rng.randint(10, context.history_days)) \
            if status != Relationship.Status.PROPOSED else None
        relationships.append(Relationship(
            mentee_id=p["id"], mentor_id=mentor, kind=rng.choice(["career", "career", "research", "clinical"]),
            status=status, source=rng.choice(["request", "batch_match", "manual", "referral"]),
            program_id=p["program"].pk, network_id=context.network.pk, started_on=started,
        ))
        if rng.random() < 0.08:
            other = rng.choice(mentors_by_program[p["program"].pk])
            if other != mentor:
                relationships.append(Relationship(
                    mentee_id=p["id"], mentor_id=other, kind="career", status=Relationship.Status.CLOSED,
                    source="batch_match",
                    program_id=p["program"].pk, started_on=today - datetime.timedelta(days=500),
                    ended_on=today - datetime.timedelta(days=rng.randint(30, 120)),
                    closing_reason="Mentor moved institutions",
                ))
    created = context.bulk_create(Relationship, relationships, "relationships")
    context.relationship_ids = [r.pk for r in created]
