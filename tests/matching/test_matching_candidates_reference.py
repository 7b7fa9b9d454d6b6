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
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_instances import instances

from mentora.matching import check_instance
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
)
def test_candidate_graph_equals_the_reference_on_random_instances(
    document: dict[str, Any], top_k: int, block_elements: int, threads: int
) -> None:
    instance = check_instance(document, top_k=top_k)
    scorer = Scorer(instance, text_embedder=None)
    candidates = candidate_graph(scorer, top_k=top_k, threads=threads, block_elements=block_elements)
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
    candidates = candidate_graph(scorer, top_k=top_k, threads=2, block_elements=400 * 37)
    assert graph_of(candidates) == reference_graph(scorer, top_k, 400 * 37)
