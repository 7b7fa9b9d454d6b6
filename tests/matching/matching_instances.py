"""Hypothesis strategies for small matching instances (shared by the tests in this folder)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

SPECIALTIES = ["internal_medicine", "pediatrics", "surgery"]
SUBSPECIALTIES = ["cardiology", "nephrology", None]
TEXTS = ["heart failure outcomes", "sepsis mortality", "medical education", "heart failure in women",
         "kidney transplant outcomes", ""]
TRACKS = ["research", "education", "clinical", "leadership"]
COUNTRIES = [("IN", "southern_asia"), ("PK", "southern_asia"), ("MX", "latin_america"), ("NG", None)]


@st.composite
def attributes(draw: st.DrawFn, mentor: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if draw(st.booleans()):
        result["specialty"] = draw(st.sampled_from(SPECIALTIES))
        subspecialty = draw(st.sampled_from(SUBSPECIALTIES))
        if subspecialty:
            result["subspecialty"] = subspecialty
    text = draw(st.sampled_from(TEXTS))
    if text:
        result["research_interests"] = text
    if draw(st.booleans()):
        result["career_tracks"] = draw(st.lists(st.sampled_from(TRACKS), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        country, region = draw(st.sampled_from(COUNTRIES))
        result["country"] = country
        if region:
            result["region"] = region
    if draw(st.booleans()):
        result["languages"] = draw(st.lists(st.sampled_from(["en", "es", "hi", "ur"]), min_size=1, max_size=2,
                                            unique=True))
    if draw(st.booleans()):
        result["utc_offset"] = draw(st.sampled_from([-8, -5, 0, 5.5, 10]))
    if draw(st.booleans()):
        result["level"] = draw(st.integers(0, 30))
    if draw(st.booleans()):
        result["img_status"] = draw(st.sampled_from(["non_us_img", "us_img", "us_grad"]))
    if draw(st.booleans()):
        result["gender"] = draw(st.sampled_from(["woman", "man"]))
    key = "concordance_consent" if mentor else "concordance_wanted"
    result[key] = draw(st.lists(st.sampled_from(["gender", "race_ethnicity"]), max_size=2, unique=True))
    return result


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    max_mentees: int = 6,
    max_mentors: int = 4,
    mentee_capacity: int = 1,
    max_mentor_capacity: int = 3,
    allow_zero_capacity: bool = True,
    given_scores: bool = True,
) -> dict[str, Any]:
    n = draw(st.integers(1, max_mentees))
    m = draw(st.integers(1, max_mentors))
    low = 0 if allow_zero_capacity else 1
    mentees = []
    for i in range(n):
        capacity = draw(st.integers(1, mentee_capacity)) if mentee_capacity > 1 else 1
        mentees.append({"id": f"r{i}", "capacity": capacity, "attributes": draw(attributes(False))})
    mentors = [
        {"id": f"m{j}", "capacity": draw(st.integers(low, max_mentor_capacity)), "attributes": draw(attributes(True))}
        for j in range(m)
    ]
    pairs = [(f"r{i}", f"m{j}") for i in range(n) for j in range(m)]
    forbidden = draw(st.lists(st.sampled_from(pairs), max_size=max(1, len(pairs) // 3), unique=True))
    document: dict[str, Any] = {"mentees": mentees, "mentors": mentors, "forbidden": [list(p) for p in forbidden]}
    previous = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
    if previous:
        document["previous"] = [list(p) for p in previous]
        document["allow_previous"] = draw(st.booleans())
    if given_scores:
        given = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
        document["scores"] = [
            {"mentee": i, "mentor": j, "score": draw(st.sampled_from([0, 12.5, 50, 99.99]))} for i, j in given
        ]
    return document
