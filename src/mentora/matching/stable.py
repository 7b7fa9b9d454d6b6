"""The `stable` algorithm: mentee-proposing deferred acceptance with mentor capacities.

Preferences are over acceptable pairs only. A side with an explicit `ranking` uses it (and then a pair
is acceptable only if that side lists the other); a side without one ranks its candidate pairs by score,
ties broken by id. The result is the mentee-optimal stable matching for these preferences.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from mentora.matching.candidates import Candidates


@dataclass
class Preferences:
    """Acceptable pairs as edges, with each side's order over them."""

    edges: Candidates
    mentee_order: np.ndarray  # edge ids sorted by (mentee, mentee's preference)
    mentee_start: np.ndarray  # (n + 1,) offsets into mentee_order
    mentee_position: np.ndarray  # per edge: position in its mentee's list (0 = favourite)
    mentor_rank: np.ndarray  # per edge: position in its mentor's list (0 = favourite)


def _id_ranks(ids: list[str]) -> np.ndarray:
    ranks = np.empty(len(ids), np.int64)
    ranks[np.argsort(np.asarray(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    return ranks


def _order(group: np.ndarray, key1: np.ndarray, key2: np.ndarray) -> np.ndarray:
    """Edge ids sorted by (group, key1, key2): one int64 key when it fits, else lexsort."""
    if len(group) == 0:
        return np.zeros(0, np.int64)
    low1, low2 = int(key1.min()), int(key2.min())
    span1, span2 = int(key1.max()) - low1 + 1, int(key2.max()) - low2 + 1
    if (int(group.max()) + 1) * span1 * span2 < 2**62:
        key = (group.astype(np.int64) * span1 + (key1 - low1)) * span2 + (key2 - low2)
        return np.argsort(key, kind="stable")
    return np.lexsort((key2, key1, group))


def build_preferences(
    edges: Candidates,
    n_mentees: int,
    n_mentors: int,
    mentee_ids: list[str],
    mentor_ids: list[str],
    mentee_rankings: list[list[str] | None],
    mentor_rankings: list[list[str] | None],
) -> Preferences:
    """Order the acceptable edges for both sides (explicit rankings first, else score, then id)."""
    mentee_index = {identifier: position for position, identifier in enumerate(mentee_ids)}
    mentor_index = {identifier: position for position, identifier in enumerate(mentor_ids)}
    cents = np.rint(edges.score * 100).astype(np.int64)

    def explicit_positions(rankings: list[list[str] | None], owners: np.ndarray, others: np.ndarray,
                           index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        has = np.asarray([r is not None for r in rankings], bool)
        position = np.zeros(len(owners), np.int64)
        lookup: dict[tuple[int, int], int] = {}
        for owner, ranking in enumerate(rankings):
            if ranking is not None:
                for rank, other_id in enumerate(ranking):
                    lookup[(owner, index[other_id])] = rank
        if lookup:
            for edge in np.nonzero(has[owners])[0].tolist():
                position[edge] = lookup[(int(owners[edge]), int(others[edge]))]
        return has, position

    mentee_has, mentee_explicit = explicit_positions(mentee_rankings, edges.mentee, edges.mentor, mentor_index)
    mentor_has, mentor_explicit = explicit_positions(mentor_rankings, edges.mentor, edges.mentee, mentee_index)

    mentor_id_rank = _id_ranks(mentor_ids)
    mentee_id_rank = _id_ranks(mentee_ids)
    by_mentee = mentee_has[edges.mentee]
    key1 = np.where(by_mentee, mentee_explicit, -cents)
    key2 = np.where(by_mentee, 0, mentor_id_rank[edges.mentor])
    mentee_order = _order(edges.mentee, key1, key2)
    mentee_start = np.searchsorted(edges.mentee[mentee_order], np.arange(n_mentees + 1))
    mentee_position = np.empty(len(edges), np.int64)
    mentee_position[mentee_order] = np.arange(len(edges)) - mentee_start[edges.mentee[mentee_order]]

    by_mentor = mentor_has[edges.mentor]
    key1 = np.where(by_mentor, mentor_explicit, -cents)
    key2 = np.where(by_mentor, 0, mentee_id_rank[edges.mentee])
    mentor_order = _order(edges.mentor, key1, key2)
    mentor_start = np.searchsorted(edges.mentor[mentor_order], np.arange(n_mentors + 1))
    mentor_rank = np.empty(len(edges), np.int64)
    mentor_rank[mentor_order] = np.arange(len(edges)) - mentor_start[edges.mentor[mentor_order]]
    return Preferences(edges, mentee_order, mentee_start, mentee_position, mentor_rank)


def deferred_acceptance(preferences: Preferences, mentor_capacity: np.ndarray) -> np.ndarray:
    """Mentee-proposing deferred acceptance. Returns a boolean mask of the matched edges."""
    edges = preferences.edges
    # Memoryviews give Python ints cheaply for the few proposals actually made (no 6-million-item lists).
    order = memoryview(np.ascontiguousarray(preferences.mentee_order, np.int64))
    start = preferences.mentee_start.tolist()
    mentor_of = memoryview(np.ascontiguousarray(edges.mentor, np.int64))
    rank_of = memoryview(np.ascontiguousarray(preferences.mentor_rank, np.int64))
    capacity = mentor_capacity.tolist()
    n = len(start) - 1
    pointer = start[:-1]
    end = start[1:]
    held: list[list[tuple[int, int, int]]] = [[] for _ in capacity]  # (-rank, mentee, edge)
    match_edge = [-1] * n
    free = [i for i in range(n - 1, -1, -1) if start[i] < end[i]]
    while free:
        mentee = free.pop()
        while pointer[mentee] < end[mentee]:
            edge = order[pointer[mentee]]
            pointer[mentee] += 1
            mentor = mentor_of[edge]
            heap = held[mentor]
            rank = rank_of[edge]
            if len(heap) < capacity[mentor]:
                heapq.heappush(heap, (-rank, mentee, edge))
                match_edge[mentee] = edge
                break
            if heap and -heap[0][0] > rank:
                _, rejected, _ = heapq.heapreplace(heap, (-rank, mentee, edge))
                match_edge[mentee] = edge
                match_edge[rejected] = -1
                free.append(rejected)
                break
    selected = np.zeros(len(edges), bool)
    matched = [e for e in match_edge if e >= 0]
    selected[matched] = True
    return selected


def blocking_pairs(preferences: Preferences, selected: np.ndarray, mentor_capacity: np.ndarray) -> int:
    """Acceptable unmatched pairs that both prefer each other to what they have (one mentor per mentee)."""
    edges = preferences.edges
    n = len(preferences.mentee_start) - 1
    m = len(mentor_capacity)
    matched_position = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(matched_position, edges.mentee[selected], preferences.mentee_position[selected])
    load = np.bincount(edges.mentor[selected], minlength=m)
    worst = np.full(m, -1, np.int64)
    np.maximum.at(worst, edges.mentor[selected], preferences.mentor_rank[selected])
    mentee_wants = preferences.mentee_position < matched_position[edges.mentee]
    mentor_wants = (load[edges.mentor] < mentor_capacity[edges.mentor]) | (
        preferences.mentor_rank < worst[edges.mentor]
    )
    return int(np.count_nonzero(mentee_wants & mentor_wants & ~selected))
