"""The stable algorithm: no blocking pair, mentee-optimal, identical to the `matching` package."""

from __future__ import annotations

import importlib
import itertools
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_instances import instances

from mentora.matching import InstanceError, solve
from mentora.matching.candidates import Candidates
from mentora.matching.stable import Preferences, blocking_pairs, build_preferences, deferred_acceptance


def hospital_resident() -> Any:
    """matching.games.HospitalResident, even when a module called `matching` shadows the package."""
    shadow = sys.modules.get("matching")
    if shadow is not None and not hasattr(shadow, "__path__"):
        del sys.modules["matching"]
    here = str(Path(__file__).resolve().parent)
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if p != here]
    try:
        return importlib.import_module("matching.games").HospitalResident
    finally:
        sys.path[:] = saved


@st.composite
def preference_instances(draw: st.DrawFn) -> tuple[Preferences, np.ndarray, dict[str, Any]]:
    """Random acceptable pairs with random strict preferences on both sides."""
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 4))
    pairs = [(i, j) for i in range(n) for j in range(m)]
    acceptable = draw(st.lists(st.sampled_from(pairs), min_size=1, unique=True))
    capacity = np.asarray([draw(st.integers(0, 3)) for _ in range(m)], np.int64)
    mentee_rankings: list[list[str] | None] = []
    for i in range(n):
        mine = [f"m{j}" for (a, j) in acceptable if a == i]
        mentee_rankings.append(draw(st.permutations(mine)) if mine else [])
    mentor_rankings: list[list[str] | None] = []
    for j in range(m):
        mine = [f"r{i}" for (i, b) in acceptable if b == j]
        mentor_rankings.append(draw(st.permutations(mine)) if mine else [])
    edges = Candidates.build(np.asarray([p[0] for p in acceptable]), np.asarray([p[1] for p in acceptable]),
                             np.asarray([draw(st.sampled_from([0.0, 50.0, 99.5])) for _ in acceptable]))
    preferences = build_preferences(edges, n, m, [f"r{i}" for i in range(n)], [f"m{j}" for j in range(m)],
                                    mentee_rankings, mentor_rankings)
    raw = {"n": n, "m": m, "mentee": mentee_rankings, "mentor": mentor_rankings, "capacity": capacity}
    return preferences, capacity, raw


def all_stable_matchings(preferences: Preferences, capacity: np.ndarray) -> list[np.ndarray]:
    edges = preferences.edges
    n = len(preferences.mentee_start) - 1
    found = []
    for size in range(len(edges) + 1):
        for subset in itertools.combinations(range(len(edges)), size):
            chosen = np.zeros(len(edges), bool)
            chosen[list(subset)] = True
            if np.any(np.bincount(edges.mentee[chosen], minlength=n) > 1):
                continue
            if np.any(np.bincount(edges.mentor[chosen], minlength=len(capacity)) > capacity):
                continue
            if blocking_pairs(preferences, chosen, capacity) == 0:
                found.append(chosen)
    return found


@settings(max_examples=50, deadline=None)
@given(preference_instances())
def test_deferred_acceptance_is_the_mentee_optimal_stable_matching(data: Any) -> None:
    preferences, capacity, _ = data
    selected = deferred_acceptance(preferences, capacity)
    edges = preferences.edges
    assert blocking_pairs(preferences, selected, capacity) == 0
    assert np.all(np.bincount(edges.mentor[selected], minlength=len(capacity)) <= capacity)
    stable = all_stable_matchings(preferences, capacity) if len(edges) <= 12 else [selected]
    assert any(np.array_equal(selected, s) for s in stable)
    # Mentee-optimal: every mentee gets its best partner over all stable matchings.
    n = len(preferences.mentee_start) - 1
    for other in stable:
        for i in range(n):
            mine = preferences.mentee_position[selected & (edges.mentee == i)]
            theirs = preferences.mentee_position[other & (edges.mentee == i)]
            if len(theirs):
                assert len(mine) and mine[0] <= theirs[0]


@settings(max_examples=60, deadline=None)
@given(preference_instances())
def test_identical_to_the_matching_package(data: Any) -> None:
    preferences, capacity, raw = data
    selected = deferred_acceptance(preferences, capacity)
    edges = preferences.edges
    ours = {(f"r{i}", f"m{j}") for i, j in zip(edges.mentee[selected], edges.mentor[selected], strict=True)}
    # The package cannot take hospitals without capacity; nobody can be matched to them anyway.
    open_mentors = {f"m{j}" for j in range(raw["m"]) if capacity[j] > 0 and raw["mentor"][j]}
    resident_prefs = {f"r{i}": [j for j in raw["mentee"][i] if j in open_mentors] for i in range(raw["n"])}
    resident_prefs = {i: prefs for i, prefs in resident_prefs.items() if prefs}
    hospital_prefs = {j: raw["mentor"][int(j[1:])] for j in open_mentors}
    capacities = {j: int(capacity[int(j[1:])]) for j in open_mentors}
    if not resident_prefs or not hospital_prefs:
        assert not ours
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = hospital_resident().create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solution = game.solve(optimal="resident")
    theirs = {(r.name, h.name) for h, residents in solution.items() for r in residents}
    assert ours == theirs


@settings(max_examples=25, deadline=None)
@given(instances(max_mentees=7, max_mentors=4))
def test_solve_stable_has_no_blocking_pair_and_respects_constraints(document: dict[str, Any]) -> None:
    result = solve(document, algorithm="stable", text_embedder=None, threads=1)
    assert result["stats"]["blocking_pairs"] == 0
    capacity = {p["id"]: p.get("capacity", 1) for p in document["mentors"]}
    forbidden = {tuple(p) for p in document.get("forbidden", [])}
    pairs = [(a["mentee"], a["mentor"]) for a in result["assignments"]]
    assert not forbidden & set(pairs)
    assert len({i for i, _ in pairs}) == len(pairs)
    for mentor, limit in capacity.items():
        assert sum(1 for _, j in pairs if j == mentor) <= limit


def test_explicit_rankings_need_both_sides_and_are_not_cut_by_top_k() -> None:
    mentors = [{"id": f"m{j}", "attributes": {"specialty": "im" if j < 3 else "surgery"}} for j in range(5)]
    document = {
        "mentees": [
            {"id": "r1", "attributes": {"specialty": "im"}, "ranking": ["m4", "m3", "m0"]},
            {"id": "r2", "attributes": {"specialty": "im"}, "ranking": ["m4"]},
            {"id": "r3", "attributes": {"specialty": "surgery"}},
        ],
        "mentors": mentors,
    }
    document["mentors"][4]["ranking"] = ["r2"]  # m4 does not list r1: r1-m4 is not acceptable
    document["mentors"][3]["capacity"] = 2
    result = solve(document, algorithm="stable", top_k=1, text_embedder=None)
    matched = {a["mentee"]: a["mentor"] for a in result["assignments"]}
    assert matched["r2"] == "m4"
    # r1's first acceptable choice scores 0 (surgery vs internal medicine): top_k=1 would never keep it.
    assert matched["r1"] == "m3"
    assert matched["r3"] == "m3"  # m4 ranks only r2, so r3 (without a ranking) falls back to score order
    assert result["stats"]["blocking_pairs"] == 0


def test_stable_needs_mentee_capacity_one() -> None:
    document = {"mentees": [{"id": "r1"}, {"id": "r2", "capacity": 2}], "mentors": [{"id": "m1"}]}
    with pytest.raises(InstanceError, match=r"^mentees\[1\]\.capacity: "):
        solve(document, algorithm="stable")
