"""The candidate graph against a plain reference: every pair scored, each side's exact top_k.

The reference scores every allowed pair with the same jitter the engine adds (same seed, same position
in the block), then takes each mentee's top_k mentors and each mentor's top_k mentees by sorting, equal
values going to the smaller index. Any shortcut in `candidate_graph` (sampled thresholds, running
per-mentor thresholds, skipping pairs that cannot enter a top_k) must give exactly this graph: a test
that fails when a true top-k pair is dropped, or a pair outside every top-k is kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_instances import instances

from mentora.matching import check_instance, solve
from mentora.matching.candidates import JITTER, candidate_graph
from mentora.matching.scoring import Scorer


def reference_graph(scorer: Scorer, top_k: int, block_elements: int, seed: int = 0) -> set[tuple[int, int, float]]:
    instance = scorer.instance
    m = scorer.n_mentors
    active = np.nonzero(instance.mentee_capacity > 0)[0]
    if m == 0 or len(active) == 0:
        return set()
    block_rows = max(1, min(len(active), block_elements // m))
    rng = np.random.default_rng(seed)
    jitter = rng.random((m, block_rows), dtype=np.float32) * np.float32(JITTER)
    values = np.full((len(active), m), -np.inf, np.float32)  # jittered, -inf where not allowed
    plain = np.zeros((len(active), m), np.float32)
    for start in range(0, len(active), block_rows):
        rows = active[start:start + block_rows]
        block = scorer.score_block_transposed(rows)
        jittered = block + jitter[:, : len(rows)]
        values[start:start + len(rows)] = jittered.T
        plain[start:start + len(rows)] = (jittered - jitter[:, : len(rows)]).T
    values[:, instance.mentor_capacity <= 0] = -np.inf
    position = {int(i): p for p, i in enumerate(active)}
    for i, j in instance.excluded:
        if i in position:
            values[position[i], j] = -np.inf

    chosen: set[tuple[int, int]] = set()
    for p in range(len(active)):
        allowed = [j for j in range(m) if np.isfinite(values[p, j])]
        allowed.sort(key=lambda j: (-float(values[p, j]), j))
        chosen.update((p, j) for j in allowed[:top_k])
    for j in range(m):
        allowed = [p for p in range(len(active)) if np.isfinite(values[p, j])]
        allowed.sort(key=lambda p: (-float(values[p, j]), int(active[p])))
        chosen.update((p, j) for p in allowed[:top_k])
    return {
        (int(active[p]), j, float(np.round(np.clip(np.float64(plain[p, j]), 0.0, 100.0), 2)))
        for p, j in chosen
    }


def graph_of(candidates: Any) -> set[tuple[int, int, float]]:
    return set(zip(candidates.mentee.tolist(), candidates.mentor.tolist(), candidates.score.tolist(), strict=True))


@settings(max_examples=40, deadline=None)
@given(
    instances(max_mentees=24, max_mentors=12),
    st.integers(1, 4),
    st.sampled_from([1, 7, 40, 10_000]),
    st.sampled_from([1, 2]),
    st.booleans(),
    st.sampled_from([1, 13, 10_000]),
)
def test_candidate_graph_equals_the_reference_on_random_instances(
    document: dict[str, Any], top_k: int, block_elements: int, threads: int, prune: bool, chunk_elements: int
) -> None:
    """`chunk_elements` below `block_elements` works through each jitter block in slices."""
    instance = check_instance(document, top_k=top_k)
    scorer = Scorer(instance, text_embedder=None)
    candidates = candidate_graph(scorer, top_k=top_k, threads=threads, block_elements=block_elements,
                                 prune=prune, chunk_elements=chunk_elements)
    assert graph_of(candidates) == reference_graph(scorer, top_k, block_elements)


def test_candidate_graph_equals_the_reference_on_a_larger_skewed_instance() -> None:
    """Enough mentors that the sampled mentee thresholds and the running mentor thresholds are used."""
    rng = np.random.default_rng(5)
    specialties = ["internal_medicine", "pediatrics", "surgery", "psychiatry"]
    texts = ["heart failure outcomes", "sepsis mortality", "medical education", "kidney transplant outcomes",
             "heart failure in women", "global surgery capacity"]

    def person(prefix: str, index: int, mentor: bool) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "specialty": specialties[min(3, int(rng.zipf(2.0)) - 1)],
            "research_interests": " and ".join(rng.choice(texts, size=2, replace=False)),
            "career_tracks": ["research", "education", "clinical"][: int(rng.integers(1, 4))],
            "level": int(rng.integers(0, 30)),
            "utc_offset": float(rng.choice([-8, -5, 0, 5.5])),
        }
        person = {"id": f"{prefix}{index}", "attributes": attributes}
        if mentor:
            person["capacity"] = int(rng.integers(0, 4))
        return person

    document = {
        "mentees": [person("r", i, False) for i in range(300)],
        "mentors": [person("m", j, True) for j in range(400)],
        "forbidden": [["r1", "m2"], ["r7", "m9"]],
        "previous": [["r3", "m4"]],
    }
    top_k = 5
    instance = check_instance(document, top_k=top_k)
    scorer = Scorer(instance, text_embedder=None)
    for prune in (False, True):
        for chunk_elements in (400 * 37, 400 * 5):
            candidates = candidate_graph(scorer, top_k=top_k, threads=2, block_elements=400 * 37, prune=prune,
                                         chunk_elements=chunk_elements)
            assert graph_of(candidates) == reference_graph(scorer, top_k, 400 * 37)


# ---------------------------------------------------------------- pruning
# The candidate graph skips pairs whose score bound is below both sides' k-th best. These tests check
# that the bounds hold, that a restricted block is bit for bit the full block, that pruning really skips
# work (counters), and that the pruned graph equals both the reference and the graph of every pair.


def clustered_document(seed: int, mentees: int, mentors: int, *, duplicates: bool = False) -> dict[str, Any]:
    """Clusters of specialty, country and interests: most cross-cluster pairs cannot enter a top_k.

    With `duplicates`, people are copied so that many scores tie exactly; given scores add more ties.
    """
    rng = np.random.default_rng(seed)
    clusters = [
        ("internal_medicine", "cardiology", "IN", "southern_asia", ["hi"], "heart failure outcomes"),
        ("pediatrics", "neonatology", "NG", "western_africa", ["yo"], "neonatal sepsis mortality"),
        ("surgery", None, "MX", "latin_america", ["es"], "global surgery capacity"),
        ("psychiatry", "addiction", "PK", "southern_asia", ["ur"], "opioid use disorder treatment"),
        ("neurology", "stroke", "EG", "northern_africa", ["ar"], "stroke thrombectomy outcomes"),
    ]
    tracks = ["research", "education", "clinical", "leadership"]

    def person(prefix: str, index: int, mentor: bool) -> dict[str, Any]:
        specialty, sub, country, region, languages, topic = clusters[int(rng.integers(len(clusters)))]
        attributes: dict[str, Any] = {"specialty": specialty, "country": country, "region": region,
                                      "languages": ["en", *languages],
                                      "career_tracks": list(rng.choice(tracks, size=int(rng.integers(1, 3)),
                                                                       replace=False)),
                                      "level": int(rng.integers(12, 30) if mentor else rng.integers(0, 8)),
                                      "utc_offset": float(rng.choice([-5, 0, 5.5]))}
        if sub and rng.random() < 0.6:
            attributes["subspecialty"] = sub
        if rng.random() < 0.9:
            attributes["research_interests"] = topic + (" and medical education" if rng.random() < 0.3 else "")
        if rng.random() < 0.3:
            attributes["interest_tags"] = [topic.split()[0]]
        if rng.random() < 0.2:
            attributes["gender"] = str(rng.choice(["woman", "man"]))
            attributes["concordance_consent" if mentor else "concordance_wanted"] = ["gender"]
        record: dict[str, Any] = {"id": f"{prefix}{index}", "attributes": attributes}
        if mentor:
            record["capacity"] = int(rng.integers(0, 4))
        return record

    people_mentees = [person("r", i, False) for i in range(mentees)]
    people_mentors = [person("m", j, True) for j in range(mentors)]
    if duplicates:
        for i in range(1, mentees, 3):
            people_mentees[i] = {**people_mentees[i - 1], "id": f"r{i}"}
        for j in range(1, mentors, 2):
            people_mentors[j] = {**people_mentors[j - 1], "id": f"m{j}"}
    document: dict[str, Any] = {
        "mentees": people_mentees, "mentors": people_mentors,
        "forbidden": [["r1", "m2"], ["r7", "m9"], ["r8", "m3"]], "previous": [["r3", "m4"]],
    }
    if duplicates:
        document["scores"] = [{"mentee": f"r{i}", "mentor": f"m{j}", "score": 50}
                              for i, j in [(2, 5), (2, 6), (4, 5), (11, 40)]]
    return document


@settings(max_examples=30, deadline=None)
@given(instances(max_mentees=24, max_mentors=12), st.integers(0, 11))
def test_upper_bounds_hold_for_every_pair(document: dict[str, Any], limit: int) -> None:
    instance = check_instance(document)
    scorer = Scorer(instance, text_embedder=None)
    mentors = np.nonzero(instance.mentor_capacity > 0)[0]
    if len(mentors) == 0:
        return
    groups = scorer.mentor_groups(mentors, limit=limit)
    rows = np.arange(scorer.n_mentees)
    bounds = groups.upper_bounds(rows)[:, groups.group]  # (mentees, the mentors)
    scores = scorer.score_block(rows)[:, mentors] + np.float32(JITTER)
    assert np.all(bounds >= scores)


def test_upper_bounds_hold_with_sentence_embeddings() -> None:
    """Embeddings may be negative: the bound pairs positive parts with maxima, negative with minima."""

    def embedder(texts: Any) -> np.ndarray:
        vectors = np.stack([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    document = clustered_document(3, 40, 30)
    instance = check_instance(document)
    scorer = Scorer(instance, text_embedder=embedder)
    assert scorer.research_method == "embeddings"
    mentors = np.nonzero(instance.mentor_capacity > 0)[0]
    groups = scorer.mentor_groups(mentors, limit=4)
    rows = np.arange(scorer.n_mentees)
    assert np.all(groups.upper_bounds(rows)[:, groups.group] >= scorer.score_block(rows)[:, mentors] + JITTER)


@settings(max_examples=30, deadline=None)
@given(instances(max_mentees=12, max_mentors=12), st.randoms(use_true_random=False))
def test_a_block_restricted_to_some_mentors_is_the_full_block_bit_for_bit(document: dict[str, Any],
                                                                          random: Any) -> None:
    scorer = Scorer(check_instance(document), text_embedder=None)
    rows = np.asarray(sorted(random.sample(range(scorer.n_mentees), random.randint(1, scorer.n_mentees))))
    cols = np.asarray(sorted(random.sample(range(scorer.n_mentors), random.randint(1, scorer.n_mentors))))
    full = scorer.score_block_transposed(rows)
    assert np.array_equal(scorer.score_block_transposed(rows, cols), full[cols])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("duplicates", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("threads", [1, 2])
def test_pruning_skips_pairs_and_keeps_the_graph(seed: int, duplicates: bool, threads: int) -> None:
    document = clustered_document(seed, 300, 200, duplicates=duplicates)
    top_k = 3
    instance = check_instance(document, top_k=top_k)
    scorer = Scorer(instance, text_embedder=None)
    block_elements = 200 * 37
    counters: dict[str, int] = {}
    pruned = candidate_graph(scorer, top_k=top_k, threads=threads, block_elements=block_elements,
                             prune=True, counters=counters, pruned_block_rows=16)
    full_counters: dict[str, int] = {}
    every_pair = candidate_graph(scorer, top_k=top_k, threads=threads, block_elements=block_elements,
                                 prune=False, counters=full_counters)
    assert full_counters["scored"] == full_counters["pairs"] == 300 * 200
    assert counters["scored"] < 0.5 * counters["pairs"]  # pruning fired
    assert counters["mentee_rest"] + counters["mentor_side"] > 0  # both later stages ran
    assert graph_of(pruned) == graph_of(every_pair) == reference_graph(scorer, top_k, block_elements)


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=24, max_mentors=12), st.integers(1, 4), st.sampled_from([1, 7, 40, 10_000]),
       st.sampled_from([1, 3, 64]))
def test_pruned_graph_equals_the_graph_of_every_pair(document: dict[str, Any], top_k: int, block_elements: int,
                                                     pruned_block_rows: int) -> None:
    scorer = Scorer(check_instance(document, top_k=top_k), text_embedder=None)
    pruned = candidate_graph(scorer, top_k=top_k, block_elements=block_elements, prune=True,
                             pruned_block_rows=pruned_block_rows, group_limit=pruned_block_rows)
    every_pair = candidate_graph(scorer, top_k=top_k, block_elements=block_elements, prune=False)
    assert graph_of(pruned) == graph_of(every_pair)


@pytest.mark.parametrize("algorithm", ["optimal", "stable"])
@pytest.mark.parametrize("duplicates", [False, True], ids=["distinct", "ties"])
def test_solve_with_pruning_gives_the_same_result(algorithm: str, duplicates: bool) -> None:
    document = clustered_document(7, 240, 160, duplicates=duplicates)
    for mentor in document["mentors"]:
        mentor["capacity"] = max(1, mentor["capacity"])  # enough room for every mentee

    def without_timings(result: dict[str, Any]) -> dict[str, Any]:
        stats = {k: v for k, v in result["stats"].items() if k not in {"seconds", "phase_seconds", "scored_pairs"}}
        return {**result, "stats": stats}

    pruned = solve(document, algorithm=algorithm, top_k=4, text_embedder=None, prune=True)
    every_pair = solve(document, algorithm=algorithm, top_k=4, text_embedder=None, prune=False)
    assert pruned["stats"]["scored_pairs"] < every_pair["stats"]["scored_pairs"] == 240 * 160
    assert without_timings(pruned) == without_timings(every_pair)
    assert len(pruned["assignments"]) > 150  # a real matching, not an empty one


# ---------------------------------------------------------------- per-group top k
# `_first_k_sorted` packs (group, value, tie) into one 64-bit key when they fit and sorts numbers; the
# result must equal a plain sort, ties and all, and equal the unpacked path it falls back to.


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, -0.0, 1e-7, 0.5, 0.5000001, 33.25, 100.0]),
                       st.integers(0, 40)), max_size=60, unique_by=lambda item: (item[0], item[2])),
    st.integers(1, 4),
    st.booleans(),
)
def test_first_k_sorted_equals_a_plain_sort(items: list[tuple[int, float, int]], k: int, wide: bool) -> None:
    from mentora.matching.candidates import _first_k_sorted

    # `wide` ties need more than 33 bits next to the value: the unpacked path.
    offset = 2 ** 40 if wide else 0
    group = np.asarray([g for g, _, _ in items], np.int64)
    values = np.asarray([v for _, v, _ in items], np.float32)
    tie = np.asarray([t + offset for _, _, t in items], np.int64)
    expected: list[tuple[int, float, int]] = []
    for g in range(6):
        members = sorted(((float(v), int(t)) for gg, v, t in zip(group, values, tie, strict=True) if gg == g),
                         key=lambda item: (-item[0], item[1]))
        expected.extend((g, v, t) for v, t in members[:k])
    got_group, got_values, got_tie = _first_k_sorted(group, values, tie, k, 6)
    assert list(zip(got_group.tolist(), got_values.tolist(), got_tie.tolist(), strict=True)) == expected
