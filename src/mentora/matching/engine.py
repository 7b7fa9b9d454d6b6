"""Run a matching from an instance document to a result document (see DESIGN.md)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import numpy as np

from mentora.matching import text as text_similarity
from mentora.matching.candidates import Candidates, Progress, candidate_graph, pair_candidates
from mentora.matching.criteria import ALGORITHMS, CRITERIA, SENSITIVE
from mentora.matching.optimal import augmenting_paths, fair_matching, min_cost_matching
from mentora.matching.scoring import Scorer
from mentora.matching.stable import blocking_pairs, build_preferences, deferred_acceptance
from mentora.matching.validation import (
    Instance,
    InstanceError,
    SchemaCheckInChild,
    check_instance,
    check_stable_capacities,
)

Algorithm = Literal["optimal", "stable"]
MAX_WIDENING_ROUNDS = 100


class _DefaultEmbedder:
    pass


DEFAULT_EMBEDDER: Any = _DefaultEmbedder()


class _Clock:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last = self.started
        self.phases: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self.last, 3)
        self.last = now

    @property
    def total(self) -> float:
        return round(time.perf_counter() - self.started, 3)


def _resolve_embedder(text_embedder: Any) -> text_similarity.TextEmbedder | None:
    if text_embedder is DEFAULT_EMBEDDER:
        return text_similarity.default_text_embedder()
    return text_embedder


def prepare(
    instance: dict[str, Any] | Instance,
    *,
    top_k: int | None = None,
    text_embedder: Any = DEFAULT_EMBEDDER,
) -> tuple[Instance, Scorer]:
    """Check the instance (unless it is already an `Instance`) and build its scorer."""
    checked = instance if isinstance(instance, Instance) else check_instance(instance, top_k=top_k)
    if top_k is not None:
        checked.top_k = top_k
    return checked, Scorer(checked, text_embedder=_resolve_embedder(text_embedder))


def score_mentee(
    instance: dict[str, Any] | Instance,
    mentee_id: str,
    *,
    limit: int = 20,
    text_embedder: Any = DEFAULT_EMBEDDER,
) -> list[dict[str, Any]]:
    """Mentors ranked for one mentee ("recommended for you"): best first, with score and reasons.

    Excluded pairs (forbidden, previous unless allowed) and mentors without capacity are left out.
    The instance usually holds the one mentee and all mentors accepting mentees.
    """
    checked, scorer = prepare(instance, text_embedder=text_embedder)
    index = next((i for i, person in enumerate(checked.mentees) if person.id == mentee_id), None)
    if index is None:
        raise InstanceError("mentees", f'unknown mentee "{mentee_id}"')
    scores = scorer.score_block(np.asarray([index])).astype(np.float64)[0]
    scores[checked.mentor_capacity <= 0] = -np.inf
    for i, j in checked.excluded:
        if i == index:
            scores[j] = -np.inf
    ids = np.asarray([person.id for person in checked.mentors], dtype=object)
    order = np.lexsort((ids, -np.round(scores, 2)))
    order = [j for j in order.tolist() if np.isfinite(scores[j])][:limit]
    explained = scorer.explain(np.full(len(order), index), np.asarray(order, np.int64))
    return [
        {"mentor": checked.mentors[j].id, "score": score, "reasons": reasons}
        for j, (score, reasons) in zip(order, explained, strict=True)
    ]


def solve(
    instance: dict[str, Any] | Instance,
    *,
    algorithm: Algorithm = "optimal",
    fair: bool = False,
    top_k: int | None = None,
    progress: Progress | None = None,
    text_embedder: Any = DEFAULT_EMBEDDER,
    seed: int = 0,
    threads: int = 2,
    prune: bool = False,
) -> dict[str, Any]:
    """Match mentees to mentors and return the result document.

    Raises `InstanceError` (with a JSON path) for bad input. `progress(phase, done, total)` is called
    during long phases. `prune` skips pairs whose score bound rules them out of every top_k (same
    result; see candidates.py).
    """
    if algorithm not in ALGORITHMS:
        raise InstanceError("algorithm", f'unknown algorithm "{algorithm}" (choose optimal or stable)')
    if fair and algorithm != "optimal":
        raise InstanceError("fair", "fair applies to the optimal algorithm only")
    clock = _Clock()
    # A large document's schema is checked by a forked process while this one builds the instance and
    # its scorer; its verdict is awaited before any matching (a failing document raises the same error).
    schema_check = None if isinstance(instance, Instance) else SchemaCheckInChild.start(instance)
    try:
        if isinstance(instance, Instance):
            checked = instance
        else:
            checked = check_instance(instance, top_k=top_k, schema=schema_check is None)
        if top_k is not None:
            checked.top_k = top_k
        if algorithm == "stable":
            check_stable_capacities(checked)
        clock.lap("validate")
        scorer = Scorer(checked, text_embedder=_resolve_embedder(text_embedder))
    except Exception:
        if schema_check is not None:
            schema_check.finish()  # a schema violation comes first, as when checking in line
        raise
    except BaseException:
        if schema_check is not None:
            schema_check.cancel()
        raise
    if schema_check is not None:
        schema_check.finish()
    clock.lap("encode")
    counters: dict[str, int] = {}
    candidates = candidate_graph(scorer, top_k=checked.top_k, seed=seed, progress=progress, threads=threads,
                                 prune=prune, counters=counters)
    clock.lap("candidates")
    extra: dict[str, Any] = {"candidate_edges": len(candidates), "scored_pairs": counters.get("scored", 0)}
    if algorithm == "optimal":
        candidates, selected, extra_solve = _solve_optimal(checked, scorer, candidates, fair, progress, clock,
                                                           blocking=False)
        extra.update(extra_solve)
    else:
        candidates, selected, extra_solve = _solve_stable(checked, scorer, candidates)
        extra.update(extra_solve)
        clock.lap("solve")
    if algorithm == "optimal" and bool(np.all(checked.mentee_capacity <= 1)):
        # The blocking pairs (sorting every candidate edge, the GIL released) are counted on a second
        # thread while this one writes the reasons (Python): the same count, on both cores.
        with ThreadPoolExecutor(max_workers=1) as pool:
            blocking = pool.submit(_optimal_blocking_pairs, checked, candidates, selected)
            result = _result(checked, scorer, candidates, selected, algorithm, fair, extra)
            result["stats"]["blocking_pairs"] = blocking.result()
    else:
        result = _result(checked, scorer, candidates, selected, algorithm, fair, extra)
    clock.lap("explain")
    result["stats"]["phase_seconds"] = clock.phases
    result["stats"]["seconds"] = clock.total
    return result


def _solve_optimal(
    instance: Instance, scorer: Scorer, candidates: Candidates, fair: bool, progress: Progress | None,
    clock: _Clock, *, blocking: bool = True,
) -> tuple[Candidates, np.ndarray, dict[str, Any]]:
    """The optimal matching on the candidate graph, widened until it is maximum on the full graph.

    `blocking`: also count the blocking pairs (for information, one mentor per mentee) into the extra
    figures; `solve` counts them itself, beside the reasons.
    """
    mentee_capacity, mentor_capacity = instance.mentee_capacity, instance.mentor_capacity

    def run(edges: Candidates) -> np.ndarray:
        return min_cost_matching(edges, mentee_capacity, mentor_capacity)

    selected = run(candidates)
    clock.lap("solve")
    rounds = 0
    added = 0
    while rounds < MAX_WIDENING_ROUNDS:
        pairs, free_mentees = augmenting_paths(instance, candidates, selected)
        if not pairs:
            break
        rounds += 1
        widening = _widening_edges(instance, scorer, candidates, selected, free_mentees, pairs)
        before = len(candidates)
        candidates = candidates.union(widening)
        added += len(candidates) - before
        if progress is not None:
            progress("widening", rounds, rounds)
        selected = run(candidates)
        clock.lap("widen")
    if fair:
        selected = fair_matching(candidates, mentee_capacity, mentor_capacity)
        clock.lap("fair")
    certified = not augmenting_paths(instance, candidates, selected)[0]
    clock.lap("widen")
    extra: dict[str, Any] = {"widening_rounds": rounds, "widening_edges": added, "maximum_certified": certified}
    if blocking and bool(np.all(mentee_capacity <= 1)):
        extra["blocking_pairs"] = _optimal_blocking_pairs(instance, candidates, selected)
        clock.lap("explain")
    return candidates, selected, extra


def _optimal_blocking_pairs(instance: Instance, candidates: Candidates, selected: np.ndarray) -> int:
    """For information: pairs of the candidate graph that would both rather be together (by score)."""
    n, m = len(instance.mentees), len(instance.mentors)
    preferences = build_preferences(candidates, n, m, [p.id for p in instance.mentees],
                                    [p.id for p in instance.mentors], [None] * n, [None] * m)
    return blocking_pairs(preferences, selected, instance.mentor_capacity)


def _widening_edges(
    instance: Instance, scorer: Scorer, candidates: Candidates, selected: np.ndarray,
    free_mentees: np.ndarray, pairs: list[tuple[int, int]],
) -> Candidates:
    """Edges of the augmenting paths, and each free mentee's top_k mentors among those with room."""
    m = scorer.n_mentors
    load = np.bincount(candidates.mentor[selected], minlength=m)
    free_mentors = np.nonzero(load < instance.mentor_capacity)[0]
    path = np.asarray(pairs, np.int64).reshape(-1, 2)
    rows: list[np.ndarray] = [path[:, 0]]
    cols: list[np.ndarray] = [path[:, 1]]
    excluded = instance.excluded
    k = instance.top_k
    step = max(1, 8_000_000 // max(1, m))
    for start in range(0, len(free_mentees), step):
        block_rows = free_mentees[start:start + step]
        block = scorer.score_block(block_rows)[:, free_mentors]
        if len(free_mentors) > k:
            best = np.argpartition(-block, k - 1, axis=1)[:, :k]
        else:
            best = np.broadcast_to(np.arange(len(free_mentors))[None, :], block.shape)
        rows.append(np.repeat(block_rows, best.shape[1]))
        cols.append(free_mentors[best].reshape(-1))
    mentee = np.concatenate(rows)
    mentor = np.concatenate(cols)
    if excluded:
        keep = np.asarray([(i, j) not in excluded for i, j in zip(mentee.tolist(), mentor.tolist(), strict=True)])
        mentee, mentor = mentee[keep], mentor[keep]
    return pair_candidates(scorer, mentee, mentor)


def _solve_stable(
    instance: Instance, scorer: Scorer, candidates: Candidates
) -> tuple[Candidates, np.ndarray, dict[str, Any]]:
    mentee_ranked = np.asarray([p.ranking is not None for p in instance.mentees], bool)
    mentor_ranked = np.asarray([p.ranking is not None for p in instance.mentors], bool)
    # Pairs where neither side ranks explicitly come from the candidate graph (score order).
    keep = ~mentee_ranked[candidates.mentee] & ~mentor_ranked[candidates.mentor]
    edges = Candidates(candidates.mentee[keep], candidates.mentor[keep], candidates.score[keep])
    # Pairs decided by explicit rankings: acceptable only if each ranking side lists the other.
    mentor_index = {p.id: j for j, p in enumerate(instance.mentors)}
    mentee_index = {p.id: i for i, p in enumerate(instance.mentees)}
    mentor_lists = {j: {mentee_index[x] for x in p.ranking} for j, p in enumerate(instance.mentors)
                    if p.ranking is not None}
    explicit: set[tuple[int, int]] = set()
    for i, person in enumerate(instance.mentees):
        if person.ranking is not None:
            for mentor_id in person.ranking:
                j = mentor_index[mentor_id]
                if j not in mentor_lists or i in mentor_lists[j]:
                    explicit.add((i, j))
    for j, listed in mentor_lists.items():
        for i in listed:
            if instance.mentees[i].ranking is None:
                explicit.add((i, j))
    excluded = instance.excluded
    capacity = instance.mentor_capacity
    explicit_pairs = sorted(p for p in explicit if p not in excluded and capacity[p[1]] > 0)
    if explicit_pairs:
        array = np.asarray(explicit_pairs, np.int64)
        edges = edges.union(pair_candidates(scorer, array[:, 0], array[:, 1]))
    preferences = build_preferences(
        edges, len(instance.mentees), len(instance.mentors),
        [p.id for p in instance.mentees], [p.id for p in instance.mentors],
        [p.ranking for p in instance.mentees], [p.ranking for p in instance.mentors],
    )
    selected = deferred_acceptance(preferences, capacity)
    blocking = blocking_pairs(preferences, selected, capacity)
    return edges, selected, {"acceptable_pairs": len(edges), "blocking_pairs": blocking}


def _distribution(scores: np.ndarray) -> dict[str, Any]:
    if len(scores) == 0:
        return {"quantiles": {}, "histogram": {"edges": [], "counts": []}}
    quantiles = {f"p{q}": round(float(np.percentile(scores, q)), 2) for q in (0, 10, 25, 50, 75, 90, 100)}
    bins = np.linspace(0, 100, 11)
    counts, _ = np.histogram(np.clip(scores, 0, 100), bins=bins)
    return {"quantiles": quantiles, "histogram": {"edges": bins.tolist(), "counts": counts.tolist()}}


def _result(
    instance: Instance, scorer: Scorer, candidates: Candidates, selected: np.ndarray, algorithm: str,
    fair: bool, extra: dict[str, Any],
) -> dict[str, Any]:
    mentee, mentor = candidates.mentee[selected], candidates.mentor[selected]
    explained = scorer.explain(mentee, mentor)
    assignments = [
        {"mentee": instance.mentees[i].id, "mentor": instance.mentors[j].id, "score": score, "reasons": reasons}
        for i, j, (score, reasons) in zip(mentee.tolist(), mentor.tolist(), explained, strict=True)
    ]
    n, m = len(instance.mentees), len(instance.mentors)
    mentee_load = np.bincount(mentee, minlength=n)
    mentor_load = np.bincount(mentor, minlength=m)
    has_edge = np.bincount(candidates.mentee, minlength=n) > 0
    if algorithm == "optimal":
        has_edge |= _has_any_allowed_mentor(instance)
    unmatched = []
    for i, person in enumerate(instance.mentees):
        missing = person.capacity - int(mentee_load[i])
        if missing <= 0:
            continue
        entry: dict[str, Any] = {
            "mentee": person.id,
            "reason": "no acceptable mentor with free capacity" if has_edge[i] else "no acceptable mentor",
        }
        if person.capacity > 1:
            entry["unfilled_slots"] = missing
        unmatched.append(entry)
    scores = np.asarray([a["score"] for a in assignments], np.float64)
    concordance: dict[str, dict[str, int]] = {}
    for name in SENSITIVE:
        asked = sum(1 for p in instance.mentees if name in (p.attributes.get("concordance_wanted") or ()))
        achieved = sum(1 for a in assignments if any(r["criterion"] == name for r in a["reasons"]))
        concordance[name] = {"asked": asked, "achieved": achieved}
    load_values, load_counts = np.unique(mentor_load[instance.mentor_capacity > 0], return_counts=True)
    stats: dict[str, Any] = {
        "total_score": round(float(scores.sum()), 2),
        "mean_score": round(float(scores.mean()), 2) if len(scores) else None,
        "min_score": round(float(scores.min()), 2) if len(scores) else None,
        "score_distribution": _distribution(scores),
        "matched": len(assignments),
        "matched_mentees": int(np.count_nonzero(mentee_load)),
        "unmatched": int(sum(max(0, p.capacity - int(mentee_load[i])) for i, p in enumerate(instance.mentees))),
        "unmatched_mentees": len(unmatched),
        "blocking_pairs": extra.pop("blocking_pairs", None),
        "concordance": concordance,
        "mentor_load": {
            "mentors_used": int(np.count_nonzero(mentor_load)),
            "full": int(np.count_nonzero((mentor_load >= instance.mentor_capacity) & (instance.mentor_capacity > 0))),
            "mean": round(float(mentor_load.mean()), 3) if m else None,
            "max": int(mentor_load.max()) if m else 0,
            "counts": {str(int(v)): int(c) for v, c in zip(load_values, load_counts, strict=True)},
        },
        "top_k": instance.top_k,
        "research_similarity": scorer.research_method,
        "criteria": list(CRITERIA),
        **extra,
    }
    result: dict[str, Any] = {"algorithm": algorithm}
    if fair:
        result["fair"] = True
    result.update({"assignments": assignments, "unmatched": unmatched, "stats": stats})
    return result


def _has_any_allowed_mentor(instance: Instance) -> np.ndarray:
    """Whether each mentee has at least one mentor with capacity that is not excluded for them."""
    open_mentors = int(np.count_nonzero(instance.mentor_capacity > 0))
    blocked = np.zeros(len(instance.mentees), np.int64)
    capacity = instance.mentor_capacity
    for i, j in instance.excluded:
        if capacity[j] > 0:
            blocked[i] += 1
    return blocked < open_mentors

