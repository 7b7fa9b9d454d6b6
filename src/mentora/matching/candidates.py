"""The candidate graph: each mentee's top_k mentors united with each mentor's top_k mentees.

Mentees are scored in blocks of rows against all mentors (see scoring.py). In every block:

* a random jitter below 0.001 points breaks ties (fixed seed), so that popular mentors with equal
  scores do not crowd every list;
* excluded pairs (forbidden, previous) and mentors without capacity are set to -inf;
* the row-wise top_k comes from a threshold estimated on a sample of columns, checked, then an exact
  sort of the few values above it (much cheaper than argpartition over all columns);
* the column-wise top_k is kept exactly across blocks: each mentor's current k-th best is a lower bound
  of its final k-th best, so only values above it need to be kept; survivors are merged now and then.

Two threads work on blocks at once (NumPy releases the GIL in the heavy loops).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from mentora.matching.scoring import Scorer

Progress = Callable[[str, int, int], None]
JITTER = 1e-3
BLOCK_ELEMENTS = 16_000_000
CHUNK_ELEMENTS = 1_500_000
PRUNED_BLOCK_ROWS = 64


@dataclass
class Candidates:
    """Edges of the candidate graph, sorted by (mentee, mentor), with their scores."""

    mentee: np.ndarray  # int64
    mentor: np.ndarray  # int64
    score: np.ndarray  # float64, rounded to 0.01

    def __len__(self) -> int:
        return len(self.mentee)

    @staticmethod
    def build(mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray) -> Candidates:
        mentee = np.asarray(mentee, np.int64)
        mentor = np.asarray(mentor, np.int64)
        score = np.round(np.asarray(score, np.float64), 2)
        if len(mentee) == 0:
            return Candidates(mentee, mentor, score)
        key = mentee * (int(mentor.max()) + 1) + mentor
        order = np.argsort(key, kind="stable")
        key = key[order]
        keep = np.ones(len(key), bool)
        keep[1:] = key[1:] != key[:-1]
        order = order[keep]
        return Candidates(mentee[order], mentor[order], score[order])

    def union(self, other: Candidates) -> Candidates:
        return Candidates.build(
            np.concatenate([self.mentee, other.mentee]),
            np.concatenate([self.mentor, other.mentor]),
            np.concatenate([self.score, other.score]),
        )


class _MentorSide:
    """Exact top_k mentees of every mentor over the blocks seen so far."""

    def __init__(self, k: int, n_mentors: int, merge_every: float = 0.5) -> None:
        self.k = k
        self.merge_every = merge_every  # merge when the buffer holds this many times k values per mentor
        self.n_mentors = n_mentors
        self.values = np.full(0, -np.inf, np.float32)
        self.rows = np.zeros(0, np.int64)
        self.cols = np.zeros(0, np.int64)
        self.threshold = np.full(n_mentors, -np.inf, np.float32)
        self.floor = np.full(n_mentors, -np.inf, np.float32)  # a known lower bound of each final k-th best
        self.buffer: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.buffered = 0
        self.lock = threading.Lock()

    def add(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, *, merge: bool = False) -> None:
        with self.lock:
            self.buffer.append((rows, cols, values))
            self.buffered += len(rows)
            if merge or self.buffered > self.merge_every * self.k * self.n_mentors:
                self._merge()

    def _merge(self) -> None:
        parts = [(self.rows, self.cols, self.values), *self.buffer]
        rows = np.concatenate([p[0] for p in parts])
        cols = np.concatenate([p[1] for p in parts])
        values = np.concatenate([p[2] for p in parts])
        self.cols, self.values, self.rows = _first_k_sorted(cols, values, rows, self.k, self.n_mentors)
        self.buffer, self.buffered = [], 0
        # Kept values are sorted by mentor, best first: a full mentor's k-th best closes its run.
        counts = np.bincount(self.cols, minlength=self.n_mentors)
        threshold = np.full(self.n_mentors, -np.inf, np.float32)
        full = counts >= self.k
        if full.any():
            ends = np.cumsum(counts) - 1
            threshold[full] = self.values[ends[full]]
        self.threshold = np.maximum(threshold, self.floor)

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        with self.lock:
            self._merge()
            return self.rows, self.cols, self.values


def _nonzero(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.nonzero of a 2-D mask, from the flat positions (several times faster on large masks)."""
    flat = np.flatnonzero(mask)
    return np.divmod(flat, mask.shape[1])


def _mentee_top_k(block: np.ndarray, k: int, sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a transposed block (mentors x mentees): (mentor, local mentee) of each mentee's k best.

    A threshold per mentee comes from a sample of mentors, chosen so that well over k values pass it;
    mentees where fewer than k pass get an exact threshold. Then the survivors are sorted.
    """
    m, b = block.shape
    if k >= m:
        cols, rows = np.nonzero(np.isfinite(block))
        return cols, rows
    s = len(sample)
    if s < m:
        rank = min(s, math.ceil(2.5 * k * s / m) + 2)
        # Partitions along contiguous rows: one per mentee.
        threshold = np.partition(np.ascontiguousarray(block[sample].T), s - rank, axis=1)[:, s - rank]
        cols, rows = _nonzero(block >= threshold[None, :])
        short = np.nonzero(np.bincount(rows, minlength=b) < k)[0]
    else:
        cols = rows = np.zeros(0, np.int64)
        short = np.arange(b)
    if len(short):
        is_short = np.zeros(b, bool)
        is_short[short] = True
        passed = ~is_short[rows]
        columns = np.ascontiguousarray(block[:, short].T)
        exact = np.partition(columns, m - k, axis=1)[:, m - k]
        short_cols, short_rows = _nonzero(block[:, short] >= exact[None, :])
        cols = np.concatenate([cols[passed], short_cols])
        rows = np.concatenate([rows[passed], short[short_rows]])
    values = block[cols, rows]
    finite = np.isfinite(values)
    cols, rows, values = cols[finite], rows[finite], values[finite]
    rows, _, cols = _first_k_sorted(rows, values, cols, k, b)
    return cols, rows


def _first_k_sorted(group: np.ndarray, values: np.ndarray, tie: np.ndarray, k: int,
                    n_groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(group, value, tie) of the k largest values within each group, sorted by group, value
    (descending), then tie; equal values: smaller `tie` first. `values` are finite.

    When group, value and tie fit in 64 bits (group and tie non-negative, values >= 0), they are packed
    into one unsigned key and sorted as numbers (several times faster than a sort on two keys), then
    unpacked: a non-negative float32's bits order like its value.
    """
    group = np.asarray(group, np.int64)
    tie = np.asarray(tie, np.int64)
    values = np.asarray(values, np.float32) + np.float32(0.0)  # -0.0 becomes 0.0
    if len(group) == 0:
        return group, values, tie
    tie_bits = max(1, int(tie.max()).bit_length())
    group_bits = max(1, int(max(n_groups - 1, 0)).bit_length())
    if group_bits + 31 + tie_bits > 64 or values.min() < 0 or tie.min() < 0:
        order = np.lexsort((tie, -values, group))
        starts = np.concatenate([[0], np.cumsum(np.bincount(group, minlength=n_groups))])
        keep = order[np.arange(len(order)) - starts[group[order]] < k]
        return group[keep], values[keep], tie[keep]
    value_shift = np.uint64(tie_bits)
    group_shift = np.uint64(tie_bits + 31)
    inverted = np.uint64(0x7FFFFFFF) - values.view(np.uint32).astype(np.uint64)
    key = (group.astype(np.uint64) << group_shift) | (inverted << value_shift) | tie.astype(np.uint64)
    key.sort()
    sorted_group = (key >> group_shift).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(np.bincount(sorted_group, minlength=n_groups))])
    rank = np.arange(len(key)) - starts[sorted_group]
    key = key[rank < k]
    bits = (np.uint64(0x7FFFFFFF) - ((key >> value_shift) & np.uint64(0x7FFFFFFF))).astype(np.uint32)
    tie_mask = np.uint64((1 << tie_bits) - 1)
    return (key >> group_shift).astype(np.int64), bits.view(np.float32), (key & tie_mask).astype(np.int64)


def candidate_graph(
    scorer: Scorer,
    *,
    top_k: int,
    seed: int = 0,
    progress: Progress | None = None,
    threads: int = 2,
    block_elements: int = BLOCK_ELEMENTS,
    prune: bool = False,
    counters: dict[str, int] | None = None,
    group_limit: int | None = None,
    pruned_block_rows: int = PRUNED_BLOCK_ROWS,
    chunk_elements: int = CHUNK_ELEMENTS,
) -> Candidates:
    """Union of each mentee's top_k mentors and each mentor's top_k mentees, excluded pairs removed.

    With `prune`, pairs that provably cannot enter either top_k are never scored (see `_pruned_graph`);
    the graph is the same. `counters`, when given, receives the number of pairs in the instance, of
    pairs scored (per stage when pruning) and of bounds computed.
    """
    if prune:
        return _pruned_graph(scorer, top_k=top_k, seed=seed, progress=progress, threads=threads,
                             block_elements=block_elements, counters=counters, group_limit=group_limit,
                             block_rows_pruned=pruned_block_rows)
    instance = scorer.instance
    m = scorer.n_mentors
    mentee_capacity = instance.mentee_capacity
    mentor_capacity = instance.mentor_capacity
    active_rows = np.nonzero(mentee_capacity > 0)[0]
    if m == 0 or len(active_rows) == 0:
        return Candidates.build(np.zeros(0), np.zeros(0), np.zeros(0))
    column_penalty = np.where(mentor_capacity > 0, 0.0, -np.inf).astype(np.float32)
    penalise_columns = bool(np.any(mentor_capacity <= 0))
    excluded_rows, excluded_cols = instance.excluded_arrays()

    block_rows = max(1, min(len(active_rows), block_elements // m))
    rng = np.random.default_rng(seed)
    jitter = rng.random((m, block_rows), dtype=np.float32) * np.float32(JITTER)
    sample = np.sort(rng.choice(m, size=min(m, max(16 * top_k, m // 8)), replace=False))
    k_mentor = min(top_k, len(active_rows))
    mentor_side = _MentorSide(k_mentor, m)
    # The jitter is laid out for blocks of `block_rows` mentees; the work goes in slices of such a block
    # small enough to stay in the processor's cache (a pair's jitter is the same either way).
    slice_rows = block_rows // math.ceil(block_rows / max(1, min(block_rows, chunk_elements // m)))
    starts = [start + offset for start in range(0, len(active_rows), block_rows)
              for offset in range(0, min(block_rows, len(active_rows) - start), slice_rows)]
    blocks = [active_rows[start:min(start + slice_rows, len(active_rows), start - start % block_rows + block_rows)]
              for start in starts]
    row_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    done = [0]
    progress_lock = threading.Lock()

    def work(index: int) -> None:
        rows = blocks[index]
        b = len(rows)
        column = starts[index] % block_rows
        block = scorer.score_block_transposed(rows)  # (mentors, mentees of the block)
        block += jitter[:, column:column + b]
        if penalise_columns:
            block += column_penalty[:, None]
        lo = np.searchsorted(excluded_rows, rows[0], side="left")
        hi = np.searchsorted(excluded_rows, rows[-1], side="right")
        if hi > lo:
            local = np.searchsorted(rows, excluded_rows[lo:hi])
            inside = (local < b) & (rows[np.minimum(local, b - 1)] == excluded_rows[lo:hi])
            block[excluded_cols[lo:hi][inside], local[inside]] = -np.inf
        cols, local_rows = _mentee_top_k(block, top_k, sample)
        row_parts.append((rows[local_rows], cols, block[cols, local_rows] - jitter[cols, column + local_rows]))
        if index == 0:
            k = min(k_mentor, b)
            if k < b:
                local_rows = np.argpartition(block, b - k, axis=1)[:, b - k:].reshape(-1)
            else:
                local_rows = np.tile(np.arange(b), m)
            cols = np.repeat(np.arange(m), k)
        else:
            # Values equal to the k-th best still go to the merge, which breaks ties by mentee,
            # so the result does not depend on which block finished first.
            cols, local_rows = _nonzero(block >= mentor_side.threshold[:, None])
        values = block[cols, local_rows]
        finite = np.isfinite(values)
        mentor_side.add(rows[local_rows[finite]], cols[finite], values[finite], merge=index == 0)
        with progress_lock:
            done[0] += b
            if progress is not None:
                progress("candidates", done[0], len(active_rows))

    work(0)
    if threads > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(work, range(1, len(blocks))))
    else:
        for index in range(1, len(blocks)):
            work(index)

    if counters is not None:
        counters.update(pairs=len(active_rows) * m, scored=len(active_rows) * m, bounds=0)
    mentor_rows, mentor_cols, mentor_values = mentor_side.result()
    jitter_of = _jitter_lookup(mentor_rows, active_rows, block_rows, jitter, mentor_cols)
    mentee = np.concatenate([p[0] for p in row_parts] + [mentor_rows])
    mentor = np.concatenate([p[1] for p in row_parts] + [mentor_cols])
    score = np.concatenate([p[2] for p in row_parts] + [mentor_values - jitter_of])
    return Candidates.build(mentee, mentor, np.clip(score, 0.0, 100.0))


def _jitter_lookup(rows: np.ndarray, active_rows: np.ndarray, block_rows: int, jitter: np.ndarray,
                   cols: np.ndarray) -> np.ndarray:
    position = np.searchsorted(active_rows, rows) % block_rows
    return jitter[cols, position]


def pair_candidates(scorer: Scorer, mentee: np.ndarray, mentor: np.ndarray) -> Candidates:
    """Scored edges for given pairs (used for explicit rankings and for widening)."""
    mentee = np.asarray(mentee, np.int64)
    mentor = np.asarray(mentor, np.int64)
    if len(mentee) == 0:
        return Candidates.build(mentee, mentor, np.zeros(0))
    return Candidates.build(mentee, mentor, scorer.score_pairs(mentee, mentor))


def _pruned_graph(
    scorer: Scorer,
    *,
    top_k: int,
    seed: int,
    progress: Progress | None,
    threads: int,
    block_elements: int,
    counters: dict[str, int] | None,
    group_limit: int | None,
    block_rows_pruned: int,
) -> Candidates:
    """The candidate graph, scoring only pairs that may enter a top_k. Same edges as scoring every pair.

    Mentors with capacity are grouped by profile on the heaviest criteria (`MentorGroups`); mentees are
    sorted by the same criteria and taken in small blocks. For each mentee and group an upper bound
    of the score is computed (cheap: one value per group, not per mentor).

    1. Mentee side. In each block, the groups with the highest bounds are scored first (about 2 x top_k
       mentors per mentee); each mentee's k-th best score among them is a lower bound of its final
       k-th best, T. Then every group whose bound reaches T for some mentee of the block is scored
       too. A mentor left out has, for every mentee of the block, a bound below T: k scored mentors
       are strictly better, so it is in no mentee's top_k whatever the tie-breaking.
    2. Mentor side. Every scored value goes to the exact per-mentor top_k (as when scoring every pair).
       Then, block by block, a mentor not scored against the block is scored when the block's highest
       bound for its group reaches the mentor's current k-th best (a lower bound of its final one);
       below it, the pair is strictly worse than k others and in no mentor's top_k either.

    Scores are computed by the same float32 operations as the full block (`score_block_transposed`
    with columns), and the tie-breaking jitter of a pair depends only on the pair (the mentee's
    position among mentees with capacity, modulo the full-block height), so the edges equal those of
    scoring every pair.
    """
    instance = scorer.instance
    m = scorer.n_mentors
    mentee_capacity = instance.mentee_capacity
    mentor_capacity = instance.mentor_capacity
    active_rows = np.nonzero(mentee_capacity > 0)[0]
    open_mentors = np.nonzero(mentor_capacity > 0)[0]
    total_pairs = len(active_rows) * m
    if m == 0 or len(active_rows) == 0 or len(open_mentors) == 0:
        if counters is not None:
            counters.update(pairs=total_pairs, scored=0, bounds=0)
        return Candidates.build(np.zeros(0), np.zeros(0), np.zeros(0))
    excluded_rows, excluded_cols = instance.excluded_arrays()

    # The same jitter as scoring every pair: the full-block height decides a mentee's jitter column.
    block_rows = max(1, min(len(active_rows), block_elements // m))
    rng = np.random.default_rng(seed)
    jitter = rng.random((m, block_rows), dtype=np.float32) * np.float32(JITTER)
    jitter_by_column = np.ascontiguousarray(jitter.T)  # (block_rows, m): a block's rows are copied whole
    jitter_column = np.zeros(scorer.n_mentees, np.int64)
    jitter_column[active_rows] = np.arange(len(active_rows)) % block_rows

    groups = scorer.mentor_groups(open_mentors, group_limit)
    k_mentor = min(top_k, len(active_rows))
    mentor_side = _MentorSide(k_mentor, m, merge_every=2.0)
    # Mentees sorted by their codes on the grouping criteria: a block's mentees want similar mentors.
    keys = [table.mentee_codes[active_rows] for table in scorer.tables if table.name in groups.criteria]
    order = active_rows[np.lexsort(tuple(reversed(keys)))] if keys else active_rows
    blocks = [np.sort(order[start:start + block_rows_pruned]) for start in range(0, len(order), block_rows_pruned)]
    first_pass: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(blocks)
    row_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    tally = {"scored": 0, "bounds": 0, "seed": 0, "mentee_first": 0, "mentee_rest": 0, "mentor_side": 0,
             "mentor_side_kept": 0}
    lock = threading.Lock()
    done = [0]
    wanted = min(len(open_mentors), 2 * top_k)

    def score(rows: np.ndarray, cols: np.ndarray, stage: str, jitter_rows: np.ndarray | None = None) -> np.ndarray:
        """Jittered scores (len(cols), len(rows)), -inf on excluded pairs.

        `jitter_rows`: the jitter of `rows` against every mentor, (len(rows), m), when already copied.
        """
        block = scorer.score_block_transposed(rows, cols)
        if jitter_rows is None:
            jitter_rows = jitter_by_column[jitter_column[rows]]
        block += jitter_rows[:, cols].T
        lo = np.searchsorted(excluded_rows, rows[0], side="left")
        hi = np.searchsorted(excluded_rows, rows[-1], side="right")
        if hi > lo:
            ex_rows, ex_cols = excluded_rows[lo:hi], excluded_cols[lo:hi]
            local_row = np.minimum(np.searchsorted(rows, ex_rows), len(rows) - 1)
            local_col = np.minimum(np.searchsorted(cols, ex_cols), max(len(cols) - 1, 0))
            inside = (rows[local_row] == ex_rows) & (len(cols) > 0)
            if len(cols):
                inside &= cols[local_col] == ex_cols
            block[local_col[inside], local_row[inside]] = -np.inf
        with lock:
            tally["scored"] += block.size
            tally[stage] += block.size
        return block

    def feed_mentor_side(rows: np.ndarray, cols: np.ndarray, block: np.ndarray) -> None:
        local_cols, local_rows = np.nonzero(block >= mentor_side.threshold[cols][:, None])
        values = block[local_cols, local_rows]
        finite = np.isfinite(values)
        mentor_side.add(rows[local_rows[finite]], cols[local_cols[finite]], values[finite])
        with lock:
            tally["mentor_side_kept"] += int(np.count_nonzero(finite))

    def mentee_side(index: int) -> None:
        rows = blocks[index]
        b = len(rows)
        bounds = groups.upper_bounds(rows)  # (b, groups)
        # Stage A: per mentee, the groups of highest bound holding about 2 x top_k mentors.
        bins = np.clip(np.floor(bounds), 0, 127).astype(np.int64)
        bins[~np.isfinite(bounds)] = 127
        histogram = np.bincount((np.arange(b)[:, None] * 128 + bins).ravel(),
                                weights=np.broadcast_to(groups.sizes[None, :], bounds.shape).ravel(),
                                minlength=b * 128).reshape(b, 128)
        from_top = np.cumsum(histogram[:, ::-1], axis=1)[:, ::-1]  # mentors in groups with bin >= t
        reach = np.where(from_top >= wanted, np.arange(128)[None, :], -1).max(axis=1)
        stage_a = np.any(bins >= reach[:, None], axis=0)
        cols_a = groups.members(stage_a)
        jitter_rows = jitter_by_column[jitter_column[rows]]
        block_a = score(rows, cols_a, "mentee_first", jitter_rows)
        if len(cols_a) >= top_k:
            kth = np.partition(block_a, len(cols_a) - top_k, axis=0)[len(cols_a) - top_k]
        else:
            kth = np.full(b, -np.inf, np.float32)
        # Stage B: every other group whose bound reaches some mentee's k-th best so far.
        stage_b = np.any(bounds >= kth[:, None], axis=0) & ~stage_a
        cols_b = groups.members(stage_b)
        parts_cols = [cols_a]
        parts_blocks = [block_a]
        if len(cols_b):
            block_b = score(rows, cols_b, "mentee_rest", jitter_rows)
            parts_cols.append(cols_b)
            parts_blocks.append(block_b)
        cand_cols, cand_rows, cand_values = [], [], []
        for cols, block in zip(parts_cols, parts_blocks, strict=True):
            local_cols, local_rows = np.nonzero(block >= kth[None, :])
            values = block[local_cols, local_rows]
            finite = np.isfinite(values)
            cand_cols.append(cols[local_cols[finite]])
            cand_rows.append(local_rows[finite])
            cand_values.append(values[finite])
            feed_mentor_side(rows, cols, block)
        mentors = np.concatenate(cand_cols)
        local = np.concatenate(cand_rows)
        values = np.concatenate(cand_values)
        local, values, mentors = _first_k_sorted(local, values, mentors, top_k, b)
        row_parts.append((rows[local], mentors, values - jitter[mentors, jitter_column[rows[local]]]))
        first_pass[index] = (bounds.max(axis=0), stage_a | stage_b)
        with lock:
            tally["bounds"] += bounds.size
            done[0] += b
            if progress is not None:
                progress("candidates", done[0], 2 * len(active_rows))

    def mentor_side_pass(index: int) -> None:
        rows = blocks[index]
        highest, scored = first_pass[index]
        first_pass[index] = None
        group_of = groups.group
        wanted_mentors = ~scored[group_of] & (highest[group_of] >= mentor_side.threshold[open_mentors])
        cols = open_mentors[wanted_mentors]
        if len(cols):
            feed_mentor_side(rows, cols, score(rows, cols, "mentor_side"))
        with lock:
            done[0] += len(rows)
            if progress is not None:
                progress("candidates", done[0], 2 * len(active_rows))

    # A random sample of mentees scored against every mentor gives each mentor a first lower bound of
    # its k-th best (the sample's k-th best), so that the mentor side keeps only values above it.
    if k_mentor < len(active_rows):
        sample = np.sort(np.random.default_rng(seed + 1).choice(
            active_rows, size=min(len(active_rows), max(4 * k_mentor, block_rows_pruned, len(active_rows) // 50)),
            replace=False))
        seed_block = score(sample, open_mentors, "seed")
        floor = np.full(m, -np.inf, np.float32)
        floor[open_mentors] = np.partition(seed_block, len(sample) - k_mentor, axis=1)[:, len(sample) - k_mentor]
        mentor_side.floor = floor
        mentor_side.threshold = np.maximum(mentor_side.threshold, floor)
        del seed_block

    for work in (mentee_side, mentor_side_pass):
        if threads > 1 and len(blocks) > 1:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(work, range(len(blocks))))
        else:
            for index in range(len(blocks)):
                work(index)
        mentor_side.add(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), merge=True)

    if counters is not None:
        counters.update(pairs=total_pairs, **tally)
    mentor_rows, mentor_cols, mentor_values = mentor_side.result()
    jitter_of = jitter[mentor_cols, jitter_column[mentor_rows]]
    mentee = np.concatenate([p[0] for p in row_parts] + [mentor_rows])
    mentor = np.concatenate([p[1] for p in row_parts] + [mentor_cols])
    score_values = np.concatenate([p[2] for p in row_parts] + [mentor_values - jitter_of])
    return Candidates.build(mentee, mentor, np.clip(score_values, 0.0, 100.0))
