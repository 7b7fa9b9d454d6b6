"""The optimal algorithm against exhaustive, LP and linear_sum_assignment optima; candidates; widening."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import given, settings
from matching_instances import instances
from scipy.optimize import linear_sum_assignment, linprog

from mentora.matching import check_instance, solve
from mentora.matching.candidates import JITTER, candidate_graph
from mentora.matching.optimal import fair_matching, min_cost_matching
from mentora.matching.scoring import Scorer

BIG = 10**7  # one more matched slot outweighs any difference in total score (in hundredths)


def full_graph(document: dict[str, Any]) -> tuple[Any, Any]:
    """Candidates with top_k large enough that the graph is every allowed pair."""
    instance = check_instance(document, top_k=1000)
    scorer = Scorer(instance, text_embedder=None)
    return instance, candidate_graph(scorer, top_k=1000, threads=1)


def assignments_ok(document: dict[str, Any], result: dict[str, Any]) -> None:
    capacity = {p["id"]: p.get("capacity", 1) for p in document["mentors"]}
    mentee_capacity = {p["id"]: p.get("capacity", 1) for p in document["mentees"]}
    forbidden = {tuple(p) for p in document.get("forbidden", [])}
    if not document.get("allow_previous"):
        forbidden |= {tuple(p) for p in document.get("previous", [])}
    pairs = [(a["mentee"], a["mentor"]) for a in result["assignments"]]
    assert len(pairs) == len(set(pairs))
    assert not forbidden & set(pairs)
    for mentor, limit in capacity.items():
        assert sum(1 for _, j in pairs if j == mentor) <= limit
    for mentee, limit in mentee_capacity.items():
        assert sum(1 for i, _ in pairs if i == mentee) <= limit


def lp_optimum(instance: Any, candidates: Any) -> tuple[int, int]:
    """(matched, total cents) of the lexicographic optimum by linear programming (integral polytope)."""
    cents = np.rint(candidates.score * 100).astype(np.int64)
    edges = len(candidates)
    if edges == 0:
        return 0, 0
    n, m = len(instance.mentees), len(instance.mentors)
    rows = np.zeros((n + m, edges))
    rows[candidates.mentee, np.arange(edges)] = 1
    rows[n + candidates.mentor, np.arange(edges)] = 1
    bounds = np.concatenate([instance.mentee_capacity, instance.mentor_capacity])
    solution = linprog(-(BIG + cents), A_ub=rows, b_ub=bounds, bounds=(0, 1), method="highs")
    x = np.rint(solution.x).astype(np.int64)
    return int(x.sum()), int((x * cents).sum())


@settings(max_examples=30, deadline=None)
@given(instances(max_mentees=6, max_mentors=4, mentee_capacity=2))
def test_optimal_equals_the_lp_optimum_and_respects_constraints(document: dict[str, Any]) -> None:
    instance, candidates = full_graph(document)
    selected = min_cost_matching(candidates, instance.mentee_capacity, instance.mentor_capacity)
    cents = np.rint(candidates.score * 100).astype(np.int64)
    assert (int(selected.sum()), int(cents[selected].sum())) == lp_optimum(instance, candidates)
    result = solve(document, algorithm="optimal", top_k=1000, text_embedder=None, threads=1)
    assignments_ok(document, result)
    assert result["stats"]["matched"] == int(selected.sum())


@settings(max_examples=25, deadline=None)
@given(instances(max_mentees=7, max_mentors=4, allow_zero_capacity=False))
def test_optimal_total_equals_linear_sum_assignment_on_the_capacity_expanded_matrix(document: dict[str, Any]) -> None:
    instance, candidates = full_graph(document)
    n = len(instance.mentees)
    columns = np.repeat(np.arange(len(instance.mentors)), instance.mentor_capacity)
    value = np.zeros((n, len(instance.mentors)), np.int64)  # 0 = not allowed
    value[candidates.mentee, candidates.mentor] = BIG + np.rint(candidates.score * 100).astype(np.int64)
    expanded = value[:, columns]
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    chosen = expanded[rows, cols]
    chosen = chosen[chosen > 0]
    selected = min_cost_matching(candidates, instance.mentee_capacity, instance.mentor_capacity)
    cents = np.rint(candidates.score * 100).astype(np.int64)
    assert int(selected.sum()) == len(chosen)
    assert int(cents[selected].sum()) == int((chosen - BIG).sum())


@settings(max_examples=25, deadline=None)
@given(instances(max_mentees=8, max_mentors=4))
def test_widening_matches_everyone_the_full_graph_can_match(document: dict[str, Any]) -> None:
    instance, candidates = full_graph(document)
    maximum = int(min_cost_matching(candidates, instance.mentee_capacity, instance.mentor_capacity).sum())
    result = solve(document, algorithm="optimal", top_k=1, text_embedder=None, threads=1)
    assignments_ok(document, result)
    assert result["stats"]["matched"] == maximum
    assert result["stats"]["maximum_certified"]


def exhaustive_fair(instance: Any, candidates: Any) -> tuple[int, int, int]:
    """(matched, lowest, total) of the best matching by brute force over edge subsets."""
    cents = np.rint(candidates.score * 100).astype(np.int64)
    best = (0, 0, 0)
    for size in range(len(candidates), 0, -1):
        for subset in itertools.combinations(range(len(candidates)), size):
            chosen = list(subset)
            if np.any(np.bincount(candidates.mentee[chosen], minlength=len(instance.mentees)) > instance.mentee_capacity):
                continue
            if np.any(np.bincount(candidates.mentor[chosen], minlength=len(instance.mentors)) > instance.mentor_capacity):
                continue
            best = max(best, (size, int(cents[chosen].min()), int(cents[chosen].sum())))
        if best[0]:
            return best
    return best


@settings(max_examples=25, deadline=None)
@given(instances(max_mentees=4, max_mentors=3, max_mentor_capacity=2))
def test_fair_maximises_the_lowest_score_then_the_total(document: dict[str, Any]) -> None:
    instance, candidates = full_graph(document)
    selected = fair_matching(candidates, instance.mentee_capacity, instance.mentor_capacity)
    cents = np.rint(candidates.score * 100).astype(np.int64)
    got = (int(selected.sum()), int(cents[selected].min()) if selected.any() else 0, int(cents[selected].sum()))
    assert got == exhaustive_fair(instance, candidates)


def test_fair_trades_total_for_the_lowest_score() -> None:
    document = {
        "mentees": [{"id": "a"}, {"id": "b"}],
        "mentors": [{"id": "x"}, {"id": "y"}],
        "scores": [{"mentee": "a", "mentor": "x", "score": 100}, {"mentee": "a", "mentor": "y", "score": 40},
                   {"mentee": "b", "mentor": "x", "score": 40}, {"mentee": "b", "mentor": "y", "score": 10}],
    }
    plain = solve(document, text_embedder=None)
    fair = solve(document, fair=True, text_embedder=None)
    assert (plain["stats"]["total_score"], plain["stats"]["min_score"]) == (110, 10)
    assert (fair["stats"]["total_score"], fair["stats"]["min_score"]) == (80, 40)
    assert {(a["mentee"], a["mentor"]) for a in fair["assignments"]} == {("a", "y"), ("b", "x")}


@settings(max_examples=25, deadline=None)
@given(instances(max_mentees=8, max_mentors=6))
def test_candidates_hold_each_sides_top_k_and_no_excluded_pair(document: dict[str, Any]) -> None:
    k = 2
    instance = check_instance(document, top_k=k)
    scorer = Scorer(instance, text_embedder=None)
    candidates = candidate_graph(scorer, top_k=k, threads=2, block_elements=8)
    one_thread = candidate_graph(scorer, top_k=k, threads=1, block_elements=8)
    assert np.array_equal(candidates.mentee, one_thread.mentee) and np.array_equal(candidates.mentor, one_thread.mentor)
    chosen = set(zip(candidates.mentee.tolist(), candidates.mentor.tolist(), strict=True))
    assert not chosen & instance.excluded
    assert all(instance.mentors[j].capacity > 0 for _, j in chosen)
    scores = scorer.score_block(np.arange(len(instance.mentees))).astype(np.float64)
    allowed = np.ones_like(scores, bool)
    for i, j in instance.excluded:
        allowed[i, j] = False
    allowed[:, instance.mentor_capacity <= 0] = False
    allowed[instance.mentee_capacity <= 0, :] = False
    for i in range(scores.shape[0]):
        values = np.sort(scores[i][allowed[i]])[::-1]
        if len(values) > k:
            must = np.nonzero(allowed[i] & (scores[i] > values[k - 1] + 2 * JITTER))[0]
            assert all((i, int(j)) in chosen for j in must)
        else:
            assert all((i, int(j)) in chosen for j in np.nonzero(allowed[i])[0])
    for j in range(scores.shape[1]):
        values = np.sort(scores[:, j][allowed[:, j]])[::-1]
        if len(values) > k:
            must = np.nonzero(allowed[:, j] & (scores[:, j] > values[k - 1] + 2 * JITTER))[0]
            assert all((int(i), j) in chosen for i in must)


class _ReversedPool:
    """A thread pool stand-in that finishes blocks last-first (the order threads may take)."""

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers

    def __enter__(self) -> _ReversedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn: Any, items: Any) -> list[Any]:
        return [fn(item) for item in reversed(list(items))]


def test_candidates_do_not_depend_on_the_order_blocks_finish(monkeypatch: Any) -> None:
    """Equal scores for one mentor across blocks: its top_k is the smaller mentees either way."""
    from mentora.matching import candidates as module

    mentees = [{"id": f"r{i}", "attributes": {}} for i in range(6)]
    mentors = [{"id": f"m{j}", "capacity": 3, "attributes": {}} for j in range(5)]
    document: dict[str, Any] = {"mentees": mentees, "mentors": mentors, "scores": []}
    instance = check_instance(document, top_k=2)
    scorer = Scorer(instance, text_embedder=None)
    in_order = candidate_graph(scorer, top_k=2, threads=1, block_elements=5)  # one mentee per block
    monkeypatch.setattr(module, "ThreadPoolExecutor", _ReversedPool)
    reversed_order = candidate_graph(scorer, top_k=2, threads=2, block_elements=5)
    assert list(zip(in_order.mentee, in_order.mentor, strict=True)) == list(
        zip(reversed_order.mentee, reversed_order.mentor, strict=True)
    )
