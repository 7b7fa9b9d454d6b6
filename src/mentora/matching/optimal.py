"""The `optimal` algorithm: most matched mentee slots, then the largest total score (or, with `fair`,
the largest lowest score, then the largest total), exact on the candidate graph.

Network: source -> mentee (capacity = mentee capacity) -> mentor (capacity 1, cost = -score in
hundredths) -> sink (capacity = mentor capacity). OR-Tools' `solve_max_flow_with_min_cost` gives a
maximum flow of minimum cost, which is exactly "most matched, then highest total".

Widening: after a solve, a breadth-first search over the *full* graph (every pair that is not excluded)
looks for augmenting paths from mentees with free capacity to mentors with free capacity. It never
materialises the full graph: a mentee's neighbours are all mentors but the few it may not meet, so each
mentor is visited once ("complement graph" search). When paths exist, their edges and each such mentee's
best free mentors are added and the solve repeats; when none exists, the matching is maximum on the full
graph (the absence of augmenting paths certifies it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from mentora.matching.candidates import Candidates
from mentora.matching.validation import Instance

Progress = Callable[[str, int, int], None]


class SolverError(RuntimeError):
    pass


def _cents(candidates: Candidates) -> np.ndarray:
    return np.rint(candidates.score * 100).astype(np.int64)


def min_cost_matching(
    candidates: Candidates,
    mentee_capacity: np.ndarray,
    mentor_capacity: np.ndarray,
    *,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of the chosen edges: maximum cardinality, then maximum total score (in cents)."""
    n, m = len(mentee_capacity), len(mentor_capacity)
    selected = np.zeros(len(candidates), bool)
    edge_ids = np.arange(len(candidates)) if allowed is None else np.nonzero(allowed)[0]
    if len(edge_ids) == 0:
        return selected
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    mentees = np.arange(n, dtype=np.int64)
    mentors = np.arange(m, dtype=np.int64)
    edges = flow.add_arcs_with_capacity_and_unit_cost(
        candidates.mentee[edge_ids], candidates.mentor[edge_ids] + n,
        np.ones(len(edge_ids), np.int64), -_cents(candidates)[edge_ids],
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n, source, np.int64), mentees, mentee_capacity.astype(np.int64), np.zeros(n, np.int64)
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        mentors + n, np.full(m, sink, np.int64), mentor_capacity.astype(np.int64), np.zeros(m, np.int64)
    )
    total = int(min(mentee_capacity.sum(), mentor_capacity.sum()))
    flow.set_nodes_supplies(np.asarray([source, sink], np.int64), np.asarray([total, -total], np.int64))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow failed with status {status}")
    selected[edge_ids] = flow.flows(edges) > 0
    return selected


def max_cardinality(
    candidates: Candidates,
    mentee_capacity: np.ndarray,
    mentor_capacity: np.ndarray,
    allowed: np.ndarray | None = None,
) -> int:
    n, m = len(mentee_capacity), len(mentor_capacity)
    edge_ids = np.arange(len(candidates)) if allowed is None else np.nonzero(allowed)[0]
    if len(edge_ids) == 0:
        return 0
    source, sink = n + m, n + m + 1
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(candidates.mentee[edge_ids], candidates.mentor[edge_ids] + n,
                                np.ones(len(edge_ids), np.int64))
    flow.add_arcs_with_capacity(np.full(n, source, np.int64), np.arange(n, dtype=np.int64),
                                mentee_capacity.astype(np.int64))
    flow.add_arcs_with_capacity(np.arange(m, dtype=np.int64) + n, np.full(m, sink, np.int64),
                                mentor_capacity.astype(np.int64))
    status = flow.solve(source, sink)
    if status != flow.OPTIMAL:
        raise SolverError(f"max flow failed with status {status}")
    return int(flow.optimal_flow())


def fair_matching(
    candidates: Candidates, mentee_capacity: np.ndarray, mentor_capacity: np.ndarray
) -> np.ndarray:
    """Maximum cardinality; among those the largest lowest score; then the largest total.

    Binary search over the distinct edge scores for the highest threshold whose edges still carry a
    maximum-cardinality matching (max-flow feasibility), then min-cost flow restricted to those edges.
    """
    if len(candidates) == 0:
        return np.zeros(0, bool)
    cents = _cents(candidates)
    target = max_cardinality(candidates, mentee_capacity, mentor_capacity)
    if target == 0:
        return np.zeros(len(candidates), bool)
    thresholds = np.unique(cents)
    low, high = 0, len(thresholds) - 1  # thresholds[low] is always feasible
    while low < high:
        middle = (low + high + 1) // 2
        if max_cardinality(candidates, mentee_capacity, mentor_capacity, cents >= thresholds[middle]) == target:
            low = middle
        else:
            high = middle - 1
    return min_cost_matching(candidates, mentee_capacity, mentor_capacity, allowed=cents >= thresholds[low])


def augmenting_paths(
    instance: Instance, candidates: Candidates, selected: np.ndarray
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Forward pairs of augmenting paths in the full graph, and the mentees with free capacity.

    An empty list means the matching is of maximum cardinality over all allowed pairs.
    """
    n, m = len(instance.mentees), len(instance.mentors)
    mentee_capacity, mentor_capacity = instance.mentee_capacity, instance.mentor_capacity
    chosen_mentee, chosen_mentor = candidates.mentee[selected], candidates.mentor[selected]
    mentee_load = np.bincount(chosen_mentee, minlength=n)
    mentor_load = np.bincount(chosen_mentor, minlength=m)
    free_mentees = np.nonzero(mentee_load < mentee_capacity)[0]
    free_mentor = mentor_load < mentor_capacity
    if len(free_mentees) == 0 or not free_mentor.any():
        return [], free_mentees

    blocked: dict[int, set[int]] = {}
    for i, j in instance.excluded:
        blocked.setdefault(i, set()).add(j)
    matched_mentors: dict[int, set[int]] = {}
    matched_mentees: dict[int, list[int]] = {}
    for i, j in zip(chosen_mentee.tolist(), chosen_mentor.tolist(), strict=True):
        matched_mentors.setdefault(i, set()).add(j)
        matched_mentees.setdefault(j, []).append(i)

    unvisited = set(np.nonzero(mentor_capacity > 0)[0].tolist())
    parent_of_mentor: dict[int, int] = {}
    parent_of_mentee: dict[int, int] = {}
    seen_mentees = set(free_mentees.tolist())
    queue = deque(free_mentees.tolist())
    ends: list[int] = []
    while queue and unvisited:
        mentee = queue.popleft()
        cannot = blocked.get(mentee, set()) | matched_mentors.get(mentee, set())
        reached = unvisited - cannot
        unvisited &= cannot
        for mentor in reached:
            parent_of_mentor[mentor] = mentee
            if free_mentor[mentor]:
                ends.append(mentor)
                continue
            for other in matched_mentees.get(mentor, ()):
                if other not in seen_mentees:
                    seen_mentees.add(other)
                    parent_of_mentee[other] = mentor
                    queue.append(other)
    pairs: set[tuple[int, int]] = set()
    for end in ends:
        mentor = end
        while True:
            mentee = parent_of_mentor[mentor]
            pairs.add((mentee, mentor))
            if mentee not in parent_of_mentee:
                break
            mentor = parent_of_mentee[mentee]
    return sorted(pairs), free_mentees
