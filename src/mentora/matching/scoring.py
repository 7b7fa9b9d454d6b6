"""Scores of mentee-mentor pairs, vectorised, with the reasons that add up to them.

Score = 100 x sum(w_c x s_c) / sum(w_c) over the criteria the mentee has an attribute for, where s_c in
[0, 1] is the similarity of criterion c (see DESIGN.md, "Matching engine contract"). A criterion missing on
the mentor's side stays in the denominator with similarity 0: no evidence of fit is not a perfect fit, so a
mentor with a sparse profile never outranks one who matches on the same criteria and more.

How it stays fast at 100,000 x 25,000 pairs: categorical criteria are encoded as integer codes into a
small vocabulary with a similarity function over codes ("table criteria"). Mentors are grouped by their
combination of codes for a few criteria at a time (a "profile"); a block of mentees is scored against
the few profiles first and the result gathered out to all mentors, so the per-pair work is one gather and
one add per group. Free text, tags, languages and institutions are sparse matrices multiplied blockwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse import _sparsetools

from mentora.matching import text as text_similarity
from mentora.matching.criteria import CRITERIA, DEFAULT_WEIGHTS, SENSITIVE, SENSITIVE_REASON
from mentora.matching.names import country_name, language_name
from mentora.matching.validation import Instance, Person

GIVEN_REASON = "Score given by the program"
IMG_STATUSES = frozenset({"non_us_img", "us_img"})
INDEX = {name: position for position, name in enumerate(CRITERIA)}
SIMILARITY_TABLE_CELLS = 4_000_000  # largest (codes x codes) similarity table kept for a criterion

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(value: Any) -> str | None:
    """Compare categorical values case- and punctuation-insensitively: "Internal Medicine" = "internal_medicine"."""
    if value is None:
        return None
    if type(value) is str:
        return _normalise_text(value)
    text = _NON_WORD.sub("_", str(value).strip().lower()).strip("_")
    return text or None


@lru_cache(maxsize=1 << 16)
def _normalise_text(value: str) -> str | None:
    # Kept: a network repeats the same few specialties, tracks and tags in every profile.
    text = _NON_WORD.sub("_", value.strip().lower()).strip("_")
    return text or None


def humanise(value: str) -> str:
    return value.replace("_", " ").strip()


class Vocabulary:
    """Integer codes for hashable values, shared by both sides."""

    def __init__(self) -> None:
        self.codes: dict[Any, int] = {}
        self.values: list[Any] = []

    def code(self, value: Any) -> int:
        if value is None:
            return -1
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code


SimilarityOverCodes = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class TableCriterion:
    """A criterion over integer codes: -1 means the attribute is missing.

    Missing on the mentee's side, the criterion drops out; missing on the mentor's side, its similarity is 0.
    """

    name: str
    mentee_codes: np.ndarray
    mentor_codes: np.ndarray
    similarity: SimilarityOverCodes  # broadcasting, codes >= 0 only, returns float32
    presence_only: bool = False  # stands for a sparse criterion in the denominator
    table: np.ndarray | None = None  # similarity[mentor code, mentee code], when the codes are few

    def block(self, mentee_codes: np.ndarray, mentor_codes: np.ndarray) -> np.ndarray:
        """(len(mentor_codes), len(mentee_codes)) similarities (codes >= 0): looked up in `table` when
        there is one, otherwise computed; the table holds the same function's values, so both agree bit for
        bit."""
        if self.table is not None:
            # Columns first (a few codes x the mentees), then whole rows per mentor code.
            return self.table[:, mentee_codes][mentor_codes]
        return self.similarity(mentee_codes[None, :], mentor_codes[:, None])


@dataclass
class SparseCriterion:
    """A criterion computed from sparse (or dense) matrix products, blockwise.

    `block(rows, cols)` returns the similarities transposed, (len(cols), len(rows)) (all mentors when cols
    is None); `pairs(ii, jj)` one per pair; `group_bound(mentors, group, n_groups)` returns a function of
    rows giving, for each mentee and each group of those mentors, an upper bound of the similarity
    (len(rows), n_groups).
    """

    name: str
    mentee_present: np.ndarray
    mentor_present: np.ndarray
    block: Callable[[np.ndarray, np.ndarray | None], sp.csr_matrix | np.ndarray]
    pairs: Callable[[np.ndarray, np.ndarray], np.ndarray]
    group_bound: Callable[[np.ndarray, np.ndarray, int], Callable[[np.ndarray], np.ndarray]]
    # A dense block may be nonzero for a mentor without the attribute (embeddings): multiplied by presence.
    dense_needs_presence: bool = True


def _binary_rows(sets: Sequence[Sequence[str]], vocabulary: Vocabulary) -> sp.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for items in sets:
        codes = sorted({vocabulary.code(item) for item in items})
        indices.extend(codes)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.ones(len(indices), np.float32), np.asarray(indices, np.int64), np.asarray(indptr, np.int64)),
        shape=(len(sets), max(1, len(vocabulary.values) + 1)),
    )


def _bits_set(words: np.ndarray) -> np.ndarray:
    """Number of set bits over the last axis of uint64 words (NumPy 2's bitwise_count, or a fallback)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=-1, dtype=np.int32)
    as_bytes = np.ascontiguousarray(words).view(np.uint8)
    return np.unpackbits(as_bytes, axis=-1).sum(axis=-1, dtype=np.int32)


def _bit_masks(sets: list[Any], items: Vocabulary) -> np.ndarray:
    """One row of 63-bit words per set, bit i set when item code i is in the set."""
    words = max(1, (len(items.values) + 62) // 63)
    masks = np.zeros((max(1, len(sets)), words), np.uint64)
    for code, members in enumerate(sets):
        for member in members:
            bit = items.codes[member]
            masks[code, bit // 63] |= np.uint64(1) << np.uint64(bit % 63)
    return masks


DENSE_COSINE_TERMS_PER_PRODUCT = 20.0  # see _dense_cosine_pays


def _dense_cosine_pays(mentee_tfidf: sp.csr_matrix, mentor_tfidf: sp.csr_matrix) -> bool:
    """Whether blocks of TF-IDF cosines are cheaper computed into a dense block (`_cosine_dense`).

    The sparse product costs about 15 ns per product of two shared terms' weights (two passes, index
    bookkeeping, then a sparse maximum and a scatter); the dense one about 0.3 to 0.5 ns per mentor
    term and mentee of the block, shared or not. Short texts over a small vocabulary (profiles written
    as a few phrases) favour the dense one, long free texts the sparse one. Both give the same bits.
    """
    n, m = mentee_tfidf.shape[0], mentor_tfidf.shape[0]
    if n == 0 or m == 0 or mentor_tfidf.nnz == 0:
        return False
    mentee_df = np.bincount(mentee_tfidf.indices, minlength=mentee_tfidf.shape[1]).astype(np.float64)
    mentor_df = np.bincount(mentor_tfidf.indices, minlength=mentor_tfidf.shape[1]).astype(np.float64)
    products_per_pair = float(mentee_df @ mentor_df) / (n * m)
    terms_per_mentor = mentor_tfidf.nnz / m
    return terms_per_mentor <= DENSE_COSINE_TERMS_PER_PRODUCT * products_per_pair


def _cosine_dense(mentor_tfidf: sp.csr_matrix, mentee_tfidf: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """mentor_tfidf @ mentee_tfidf[rows].T as a dense float32 (mentors, len(rows)) block.

    Bit for bit the sparse product: each value sums the same float32 products in the same order (the
    mentor's terms in index order), the terms the mentee lacks adding exact zeros.
    """
    b = len(rows)
    m, width = mentor_tfidf.shape
    mentees = mentee_tfidf[rows]
    vectors = np.zeros((width, b), np.float32)  # the block's mentees as columns
    vectors[mentees.indices, np.repeat(np.arange(b), np.diff(mentees.indptr))] = mentees.data
    cosine = np.zeros((m, b), np.float32)
    _sparsetools.csr_matvecs(m, width, b, mentor_tfidf.indptr, mentor_tfidf.indices,
                             np.asarray(mentor_tfidf.data, np.float32), vectors.ravel(), cosine.ravel())
    return cosine


def _rowwise_dot(left: sp.csr_matrix, right: sp.csr_matrix, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
    if len(ii) == 0:
        return np.zeros(0, np.float64)
    return np.asarray(left[ii].multiply(right[jj]).sum(axis=1), dtype=np.float64).ravel()


class Scorer:
    """Scores for one instance. Build once, then ask for blocks of rows, for pairs, or for reasons."""

    def __init__(self, instance: Instance, *, text_embedder: text_similarity.TextEmbedder | None = None) -> None:
        self.instance = instance
        self.n_mentees = len(instance.mentees)
        self.n_mentors = len(instance.mentors)
        self.weights = self._weights(instance)
        self.text_embedder = text_embedder
        self.tables: list[TableCriterion] = []
        self.sparse: list[SparseCriterion] = []
        self._build_criteria()
        self._build_tables()
        self._build_groups()
        self._build_given()

    # ----------------------------------------------------------------- weights

    def _weights(self, instance: Instance) -> np.ndarray:
        """Effective weight of each criterion for each mentee, (n_mentees, n_criteria) float32."""
        base = dict(DEFAULT_WEIGHTS)
        base.update(instance.weights)
        mentees = instance.mentees
        weights = np.tile(np.asarray([base[name] for name in CRITERIA], np.float32), (len(mentees), 1))
        for row, mentee in enumerate(mentees):
            for name, weight in mentee.weights.items():  # usually none: the network's weights
                if name in INDEX:
                    weights[row, INDEX[name]] = weight
        wanted = [mentee.attributes.get("concordance_wanted") or () for mentee in mentees]
        for name in SENSITIVE:
            asked = np.fromiter((name in listed for listed in wanted), bool, count=len(mentees))
            weights[~asked, INDEX[name]] = 0.0
        return weights

    # ---------------------------------------------------------------- criteria

    def _table(self, name: str, mentee_values: list[Any], mentor_values: list[Any], vocabulary: Vocabulary,
               similarity: SimilarityOverCodes) -> None:
        self.tables.append(
            TableCriterion(
                name=name,
                mentee_codes=np.asarray([vocabulary.code(v) for v in mentee_values], np.int32).reshape(-1),
                mentor_codes=np.asarray([vocabulary.code(v) for v in mentor_values], np.int32).reshape(-1),
                similarity=similarity,
            )
        )

    def _build_criteria(self) -> None:
        mentees = [p.attributes for p in self.instance.mentees]
        mentors = [p.attributes for p in self.instance.mentors]
        both = mentees + mentors

        # specialty: 1 same subspecialty, 0.7 same specialty
        def specialty_value(attributes: dict[str, Any]) -> tuple[str | None, str | None] | None:
            value = (normalise(attributes.get("specialty")), normalise(attributes.get("subspecialty")))
            return None if value == (None, None) else value

        vocabulary = Vocabulary()
        mentee_values = [specialty_value(a) for a in mentees]
        mentor_values = [specialty_value(a) for a in mentors]
        for value in mentee_values + mentor_values:
            vocabulary.code(value)
        parts = Vocabulary()
        specialty_codes = np.asarray([parts.code(v[0]) for v in vocabulary.values] or [0], np.int32)
        subspecialty_codes = np.asarray([parts.code(v[1]) for v in vocabulary.values] or [0], np.int32)

        def specialty(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            sub_a, sub_b = subspecialty_codes[a], subspecialty_codes[b]
            spec_a, spec_b = specialty_codes[a], specialty_codes[b]
            same_sub = (sub_a == sub_b) & (sub_a >= 0) & ((spec_a == spec_b) | (spec_a < 0) | (spec_b < 0))
            same_spec = (spec_a == spec_b) & (spec_a >= 0)
            return np.where(same_sub, np.float32(1.0), np.where(same_spec, np.float32(0.7), np.float32(0.0)))

        self._table("specialty", mentee_values, mentor_values, vocabulary, specialty)

        # career_tracks: Jaccard of the sets, as bit masks
        tracks = Vocabulary()
        track_sets = [frozenset(filter(None, map(normalise, a.get("career_tracks") or ()))) or None for a in both]
        vocabulary = Vocabulary()
        for value in track_sets:
            vocabulary.code(value)
        for value in vocabulary.values:
            for track in sorted(value):
                tracks.code(track)
        masks = _bit_masks(vocabulary.values, tracks)

        def jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            left, right = masks[a], masks[b]
            shared = _bits_set(left & right)
            union = _bits_set(left | right)
            return (shared / np.maximum(union, 1)).astype(np.float32)

        self._table("career_tracks", track_sets[: len(mentees)], track_sets[len(mentees):], vocabulary, jaccard)

        # img_background: 1 if both are international medical graduates
        vocabulary = Vocabulary()
        values = [a.get("img_status") for a in both]
        for value in values:
            vocabulary.code(value)
        is_img = np.asarray([v in IMG_STATUSES for v in vocabulary.values] or [False])

        def img(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return (is_img[a] & is_img[b]).astype(np.float32)

        self._table("img_background", values[: len(mentees)], values[len(mentees):], vocabulary, img)

        # country: 1 same country, 0.5 same region
        def country_value(attributes: dict[str, Any]) -> tuple[str | None, str | None] | None:
            country = attributes.get("country")
            value = (country.upper() if country else None, normalise(attributes.get("region")))
            return None if value == (None, None) else value

        vocabulary = Vocabulary()
        values = [country_value(a) for a in both]
        for value in values:
            vocabulary.code(value)
        parts = Vocabulary()
        country_codes = np.asarray([parts.code(v[0]) for v in vocabulary.values] or [0], np.int32)
        region_codes = np.asarray([parts.code(v[1]) for v in vocabulary.values] or [0], np.int32)

        def country(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            same_country = (country_codes[a] == country_codes[b]) & (country_codes[a] >= 0)
            same_region = (region_codes[a] == region_codes[b]) & (region_codes[a] >= 0)
            return np.where(same_country, np.float32(1.0), np.where(same_region, np.float32(0.5), np.float32(0.0)))

        self._table("country", values[: len(mentees)], values[len(mentees):], vocabulary, country)

        # time_zone: 1 - |difference| / 12, the difference taken around the clock
        vocabulary = Vocabulary()
        values = [None if a.get("utc_offset") is None else float(a["utc_offset"]) for a in both]
        for value in values:
            vocabulary.code(value)
        offsets = np.asarray(vocabulary.values or [0.0], np.float32)

        def time_zone(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            difference = np.abs(offsets[a] - offsets[b])
            difference = np.minimum(difference, 24.0 - difference)
            return np.clip(1.0 - difference / 12.0, 0.0, 1.0).astype(np.float32)

        self._table("time_zone", values[: len(mentees)], values[len(mentees):], vocabulary, time_zone)

        # training_gap: 1 when the mentor is 2 to 15 levels ahead, falling to 0 at 0 and at 25 ahead
        vocabulary = Vocabulary()
        values = [None if a.get("level") is None else int(a["level"]) for a in both]
        for value in values:
            vocabulary.code(value)
        levels = np.asarray(vocabulary.values or [0], np.float32)

        def training_gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return gap_similarity(levels[b] - levels[a])

        self._table("training_gap", values[: len(mentees)], values[len(mentees):], vocabulary, training_gap)

        # gender, race_ethnicity: only where wanted (mentee) and consented (mentor)
        for name in SENSITIVE:
            vocabulary = Vocabulary()
            vocabulary.code(("undisclosed",))  # a mentor who did not consent: counted, never similar
            mentee_values = []
            for attributes in mentees:
                wanted = name in (attributes.get("concordance_wanted") or ())
                mentee_values.append(normalise(attributes.get(name)) if wanted else None)
            mentor_values = []
            for attributes in mentors:
                consent = name in (attributes.get("concordance_consent") or ())
                value = normalise(attributes.get(name)) if consent else None
                mentor_values.append(value if value is not None else ("undisclosed",))
            for value in mentee_values + mentor_values:
                vocabulary.code(value)

            def equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
                return ((a == b) & (a != 0)).astype(np.float32)

            self._table(name, mentee_values, mentor_values, vocabulary, equal)

        self._build_research(mentees, mentors)
        self._build_languages(mentees, mentors)
        self._build_institution(mentees, mentors)

    def _build_tables(self) -> None:
        """Similarity tables (mentor code x mentee code) for criteria with few codes: one lookup per
        mentor profile and mentee instead of the similarity function's several array operations."""
        for criterion in self.tables:
            codes = 1 + max(int(criterion.mentee_codes.max(initial=0)), int(criterion.mentor_codes.max(initial=0)))
            if codes * codes <= SIMILARITY_TABLE_CELLS:
                every = np.arange(codes)
                criterion.table = np.ascontiguousarray(
                    criterion.similarity(every[None, :], every[:, None]).astype(np.float32, copy=False))

    def _build_research(self, mentees: list[dict[str, Any]], mentors: list[dict[str, Any]]) -> None:
        mentee_texts = [a.get("research_interests") or None for a in mentees]
        mentor_texts = [a.get("research_interests") or None for a in mentors]
        tags = Vocabulary()
        mentee_tags = _binary_rows([[normalise(t) for t in a.get("interest_tags") or () if normalise(t)]
                                    for a in mentees], tags)
        mentor_tags = _binary_rows([[normalise(t) for t in a.get("interest_tags") or () if normalise(t)]
                                    for a in mentors], tags)
        width = max(1, len(tags.values) + 1)
        mentee_tags.resize((mentee_tags.shape[0], width))
        mentor_tags.resize((mentor_tags.shape[0], width))
        mentee_tag_count = np.asarray(mentee_tags.sum(axis=1), np.float32).ravel()
        mentor_tag_count = np.asarray(mentor_tags.sum(axis=1), np.float32).ravel()
        mentee_tags_csc = mentee_tags.tocsc()

        embedder = self.text_embedder
        if embedder is not None:
            mentee_vectors = text_similarity.embed(embedder, mentee_texts)
            mentor_vectors = text_similarity.embed(embedder, mentor_texts)
            self.research_method = "embeddings"
        else:
            mentee_tfidf, mentor_tfidf = text_similarity.tfidf_matrices(mentee_texts, mentor_texts)
            mentee_tfidf_t = mentee_tfidf.T.tocsc()  # columns = mentees: slicing columns is cheap
            self.research_method = "tfidf"
            dense_cosine = _dense_cosine_pays(mentee_tfidf, mentor_tfidf)

        def tag_jaccard_block(rows: np.ndarray, cols: np.ndarray | None) -> sp.csr_matrix:
            """Tag Jaccard, transposed: (mentors or cols, len(rows))."""
            tags_of = mentor_tags if cols is None else mentor_tags[cols]
            count_of = mentor_tag_count if cols is None else mentor_tag_count[cols]
            shared = (tags_of @ mentee_tags_csc[rows].T).tocsr()
            if shared.nnz:
                row_of = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
                union = count_of[row_of] + mentee_tag_count[rows][shared.indices] - shared.data
                shared.data = (shared.data / union).astype(np.float32)
            return shared

        def block(rows: np.ndarray, cols: np.ndarray | None = None) -> sp.csr_matrix | np.ndarray:
            """Similarity, transposed: (mentors, len(rows)), sparse for TF-IDF, dense for embeddings.

            With `cols`, only those mentors, in that order (each value computed exactly as in the full block).
            """
            jaccard = tag_jaccard_block(rows, cols)
            if embedder is not None:
                dense = (mentor_vectors if cols is None else mentor_vectors[cols]) @ mentee_vectors[rows].T
                np.maximum(dense, 0.0, out=dense)
                if jaccard.nnz:
                    row_of = np.repeat(np.arange(jaccard.shape[0]), np.diff(jaccard.indptr))
                    dense[row_of, jaccard.indices] = np.maximum(dense[row_of, jaccard.indices], jaccard.data)
                return dense
            mentors_tfidf = mentor_tfidf if cols is None else mentor_tfidf[cols]
            if dense_cosine:
                cosine = _cosine_dense(mentors_tfidf, mentee_tfidf, rows)
                if jaccard.nnz:
                    row_of = np.repeat(np.arange(jaccard.shape[0]), np.diff(jaccard.indptr))
                    cosine[row_of, jaccard.indices] = np.maximum(cosine[row_of, jaccard.indices], jaccard.data)
                return cosine
            cosine = (mentors_tfidf @ mentee_tfidf_t[:, rows]).tocsr()
            return cosine.maximum(jaccard).tocsr() if jaccard.nnz else cosine

        def group_bound(mentors: np.ndarray, group: np.ndarray, n_groups: int) -> Callable[[np.ndarray], np.ndarray]:
            """Upper bound of the similarity of each mentee to every mentor of each group (mentors[p] is in
            group[p]).

            Cosine: x . y <= x . max(y over the group) for non-negative TF-IDF rows (for embeddings,
            positive parts against the group's maxima and negative parts against its minima). Tag
            Jaccard: |A & B| / |A | B| <= |A & union of the group's tags| / |A|.
            """
            membership = sp.csr_matrix((np.ones(len(group), np.float32), (group, np.arange(len(group)))),
                                       shape=(n_groups, len(group)))
            tag_union = (membership @ mentor_tags[mentors]).tocsr()
            tag_union.data[:] = 1.0
            tag_union_t = tag_union.T.tocsr()
            if embedder is not None:
                order = np.argsort(group, kind="stable")
                starts = np.searchsorted(group[order], np.arange(n_groups))
                dimension = mentor_vectors.shape[1]
                highest = np.zeros((n_groups, dimension), np.float32)
                lowest = np.zeros((n_groups, dimension), np.float32)
                present_groups = np.unique(group)
                if len(order):
                    vectors = mentor_vectors[mentors][order]
                    highest[present_groups] = np.maximum.reduceat(vectors, starts[present_groups])
                    lowest[present_groups] = np.minimum.reduceat(vectors, starts[present_groups])
            else:
                # The largest weight of each term within each group (one entry per group and term).
                tfidf = mentor_tfidf[mentors].tocoo()
                key = group[tfidf.row].astype(np.int64) * mentor_tfidf.shape[1] + tfidf.col
                order = np.lexsort((-tfidf.data, key))
                first = np.ones(len(order), bool)
                first[1:] = key[order][1:] != key[order][:-1]
                chosen = order[first]
                highest_sparse = sp.csr_matrix((tfidf.data[chosen], (group[tfidf.row[chosen]], tfidf.col[chosen])),
                                               shape=(n_groups, mentor_tfidf.shape[1]))
                highest_t = highest_sparse.T.tocsr()

            def bound(rows: np.ndarray) -> np.ndarray:
                if embedder is not None:
                    vectors = mentee_vectors[rows]
                    cosine = np.maximum(vectors, 0.0) @ highest.T + np.minimum(vectors, 0.0) @ lowest.T
                else:
                    cosine = np.asarray((mentee_tfidf[rows] @ highest_t).todense(), np.float32)
                tags = mentee_tags[rows]
                if tags.nnz:
                    shared = np.asarray((tags @ tag_union_t).todense(), np.float32)
                    shared /= np.maximum(mentee_tag_count[rows], 1.0)[:, None]
                    np.maximum(cosine, shared, out=cosine)
                np.minimum(cosine, np.float32(1.0), out=cosine)
                return cosine

            return bound

        def pairs(ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
            shared = _rowwise_dot(mentee_tags, mentor_tags, ii, jj)
            union = mentee_tag_count[ii] + mentor_tag_count[jj] - shared
            jaccard = np.where(union > 0, shared / np.maximum(union, 1), 0.0)
            if embedder is not None:
                cosine = np.clip(np.einsum("ij,ij->i", mentee_vectors[ii], mentor_vectors[jj]), 0.0, None)
            else:
                cosine = _rowwise_dot(mentee_tfidf, mentor_tfidf, ii, jj)
            return np.minimum(np.maximum(cosine, jaccard), 1.0)

        self.sparse.append(
            SparseCriterion(
                name="research_interests",
                mentee_present=np.asarray([bool(t) for t in mentee_texts], bool) | (mentee_tag_count > 0),
                mentor_present=np.asarray([bool(t) for t in mentor_texts], bool) | (mentor_tag_count > 0),
                block=block,
                pairs=pairs,
                group_bound=group_bound,
                dense_needs_presence=embedder is not None,
            )
        )

    def _build_languages(self, mentees: list[dict[str, Any]], mentors: list[dict[str, Any]]) -> None:
        """languages: 1 if any shared language other than English; present if any language is listed."""
        languages = Vocabulary()

        def value(attributes: dict[str, Any]) -> frozenset[str] | None:
            listed = attributes.get("languages")
            if not listed:
                return None
            return frozenset(code.lower() for code in listed) - {"en"}

        vocabulary = Vocabulary()
        values = [value(a) for a in mentees + mentors]
        for item in values:
            vocabulary.code(item)
        for item in vocabulary.values:
            for language in sorted(item):
                languages.code(language)
        masks = _bit_masks(vocabulary.values, languages)

        def shared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return (np.any(masks[a] & masks[b], axis=-1)).astype(np.float32)

        self._table("languages", values[: len(mentees)], values[len(mentees):], vocabulary, shared)

    def _build_institution(self, mentees: list[dict[str, Any]], mentors: list[dict[str, Any]]) -> None:
        vocabulary = Vocabulary()
        values = [normalise(a.get("institution")) for a in mentees + mentors]
        for item in values:
            vocabulary.code(item)

        def equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return (a == b).astype(np.float32)

        self._table("institution", values[: len(mentees)], values[len(mentees):], vocabulary, equal)

    # ------------------------------------------------------------------ groups

    def _build_groups(self) -> None:
        """Group table criteria so that each group has few distinct mentor profiles."""
        mentee_present = np.zeros((self.n_mentees, len(CRITERIA)), bool)
        mentor_present = np.zeros((self.n_mentors, len(CRITERIA)), bool)
        for criterion in self.tables:
            mentee_present[:, INDEX[criterion.name]] = criterion.mentee_codes >= 0
            mentor_present[:, INDEX[criterion.name]] = criterion.mentor_codes >= 0
        for sparse_criterion in self.sparse:
            mentee_present[:, INDEX[sparse_criterion.name]] = sparse_criterion.mentee_present
            mentor_present[:, INDEX[sparse_criterion.name]] = sparse_criterion.mentor_present
        # Weights premultiplied by 100 and zeroed where the mentee lacks the attribute.
        self.row_weights = (self.weights * mentee_present * np.float32(100.0)).astype(np.float32)
        # The denominator depends on the mentee alone: a criterion the mentor lacks counts as no fit.
        self.row_denominator = (self.weights * mentee_present).sum(axis=1).astype(np.float32)
        self.mentor_present = mentor_present

        # Criteria no mentee uses (weight 0 or attribute missing on every mentee) cost nothing.
        used = [c for c in self.tables if np.any(self.row_weights[:, INDEX[c.name]] > 0)]
        limit = max(64, self.n_mentors // 4)
        used.sort(key=lambda c: len(np.unique(c.mentor_codes)))
        self.groups: list[tuple[list[TableCriterion], np.ndarray, np.ndarray]] = []
        current: list[TableCriterion] = []
        profiles = inverse = None
        for criterion in used:
            trial = current + [criterion]
            stacked = np.stack([c.mentor_codes for c in trial], axis=1)
            trial_profiles, trial_inverse = np.unique(stacked, axis=0, return_inverse=True)
            if current and len(trial_profiles) > limit:
                self.groups.append((current, profiles, inverse))
                current = [criterion]
                profiles, inverse = np.unique(criterion.mentor_codes[:, None], axis=0, return_inverse=True)
            else:
                current, profiles, inverse = trial, trial_profiles, trial_inverse
        if current:
            self.groups.append((current, profiles, inverse))
        self.groups = [(g, p, np.asarray(i, np.int64).reshape(-1)) for g, p, i in self.groups]

    def _build_given(self) -> None:
        given = self.instance.given_scores
        if given:
            pairs = np.asarray(sorted(given), np.int64)
            self._given_rows = pairs[:, 0]
            self._given_cols = pairs[:, 1]
            self._given_values = np.asarray([given[(int(i), int(j))] for i, j in pairs], np.float32)
        else:
            self._given_rows = self._given_cols = np.zeros(0, np.int64)
            self._given_values = np.zeros(0, np.float32)

    # ------------------------------------------------------------------ blocks

    def score_block(self, rows: np.ndarray) -> np.ndarray:
        """Scores of the mentees `rows` against every mentor: (len(rows), n_mentors) float32 in [0, 100]."""
        return self.score_block_transposed(rows).T

    def score_block_transposed(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """Scores as (n_mentors, len(rows)), C-ordered: the layout in which gathers copy whole rows.

        With `cols` (increasing mentor indices), only those mentors: (len(cols), len(rows)), every value
        computed by the same float32 operations in the same order as in the full block (bit for bit).
        """
        rows = np.asarray(rows, np.int64)
        b = len(rows)
        m = self.n_mentors if cols is None else len(cols)
        scores: np.ndarray | None = None
        for group, profiles, inverse in self.groups:
            if cols is None:
                used_profiles, local = profiles, inverse
            else:
                chosen = inverse[cols]
                mask = np.zeros(len(profiles), bool)
                mask[chosen] = True
                used_profiles = profiles[mask]
                local = (np.cumsum(mask) - 1)[chosen]
            profile_scores = np.zeros((len(used_profiles), b), np.float32)
            for column, criterion in enumerate(group):
                weight = self.row_weights[rows, INDEX[criterion.name]]
                codes = np.maximum(criterion.mentee_codes[rows], 0)
                profile_codes = used_profiles[:, column]
                similarity = criterion.block(codes, np.maximum(profile_codes, 0))
                similarity *= (profile_codes >= 0)[:, None]
                similarity *= weight[None, :]
                profile_scores += similarity
            if scores is None:
                scores = profile_scores[local]
            else:
                scores += profile_scores[local]
        if scores is None:
            scores = np.zeros((m, b), np.float32)
        for criterion in self.sparse:
            weight = self.row_weights[rows, INDEX[criterion.name]]
            if not np.any(weight > 0):
                continue
            similarity = criterion.block(rows, cols)  # (m, b)
            if isinstance(similarity, np.ndarray):
                # In place, the same float32 operations in the same order as similarity * weight * present
                # (TF-IDF and tags are 0 for a mentor without them, whom presence would multiply by 0).
                similarity *= weight[None, :]
                if criterion.dense_needs_presence:
                    present = criterion.mentor_present if cols is None else criterion.mentor_present[cols]
                    similarity *= present[:, None]
                scores += similarity
                continue
            if similarity.nnz == 0:
                continue
            similarity = similarity.tocsr()
            data = (similarity.data * weight[similarity.indices]).astype(np.float32)
            # Adds the sparse values into the dense block in place (scipy's own C loop).
            _sparsetools.csr_todense(m, b, similarity.indptr, similarity.indices, data, scores)
        denominator = np.maximum(self.row_denominator[rows], np.float32(1e-12))
        scores /= denominator[None, :]
        self._apply_given(rows, scores.T, cols)
        return scores

    def _apply_given(self, rows: np.ndarray, block: np.ndarray, cols: np.ndarray | None = None) -> None:
        if len(self._given_rows) == 0:
            return
        order = np.argsort(rows, kind="stable")
        sorted_rows = rows[order]
        for position in np.nonzero(np.isin(self._given_rows, sorted_rows))[0]:
            local = order[np.searchsorted(sorted_rows, self._given_rows[position])]
            column = int(self._given_cols[position])
            if cols is not None:
                found = int(np.searchsorted(cols, column))
                if found >= len(cols) or cols[found] != column:
                    continue
                column = found
            block[local, column] = self._given_values[position]

    # ------------------------------------------------------------------ bounds

    def mentor_groups(self, mentors: np.ndarray, limit: int | None = None) -> MentorGroups:
        """Groups of the mentors `mentors` by their profile on the heaviest criteria, with score bounds."""
        return MentorGroups(self, np.asarray(mentors, np.int64), limit)

    # ------------------------------------------------------------------- pairs

    def contributions(self, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
        """Points of each criterion for the pairs (ii[p], jj[p]): (len(ii), n_criteria) float64.

        Rows add up to the computed score (before given scores replace it).
        """
        ii = np.asarray(ii, np.int64)
        jj = np.asarray(jj, np.int64)
        weighted = np.zeros((len(ii), len(CRITERIA)), np.float64)
        present = np.zeros((len(ii), len(CRITERIA)), np.float64)
        for criterion in self.tables:
            column = INDEX[criterion.name]
            a, b = criterion.mentee_codes[ii], criterion.mentor_codes[jj]
            weight = self.weights[ii, column].astype(np.float64) * (a >= 0)
            present[:, column] = weight  # in the denominator whenever the mentee has the attribute
            weighted[:, column] = weight * (b >= 0) * criterion.similarity(np.maximum(a, 0), np.maximum(b, 0))
        for criterion in self.sparse:
            column = INDEX[criterion.name]
            weight = self.weights[ii, column].astype(np.float64) * criterion.mentee_present[ii]
            present[:, column] = weight
            selected = np.nonzero(weight * criterion.mentor_present[jj] > 0)[0]
            if len(selected):
                weighted[selected, column] = weight[selected] * criterion.pairs(ii[selected], jj[selected])
        denominator = present.sum(axis=1)
        denominator[denominator == 0] = 1.0
        return 100.0 * weighted / denominator[:, None]

    def score_pairs(self, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
        """Scores of the pairs (ii[p], jj[p]), given scores included: float64 in [0, 100]."""
        scores = self.contributions(ii, jj).sum(axis=1)
        for position, (i, j) in enumerate(zip(np.asarray(ii).tolist(), np.asarray(jj).tolist(), strict=True)):
            given = self.instance.given_scores.get((i, j))
            if given is not None:
                scores[position] = given
        return scores

    # ----------------------------------------------------------------- reasons

    def explain(self, ii: np.ndarray, jj: np.ndarray) -> list[tuple[float, list[dict[str, Any]]]]:
        """Score (rounded to 0.01) and reasons for each pair; the reasons' points add up to the score.

        The rounding and ordering run over all pairs at once, and each research text is split into words
        once (a mentor's text serves all their mentees): the same reasons as explaining pair by pair.
        """
        ii = np.asarray(ii, np.int64)
        jj = np.asarray(jj, np.int64)
        contributions = self.contributions(ii, jj)
        cents_all = _round_to_total_rows(contributions)
        order_all = np.argsort(-contributions, axis=1, kind="stable")
        totals = cents_all.sum(axis=1).tolist()
        given_scores = self.instance.given_scores
        mentees, mentors = self.instance.mentees, self.instance.mentors
        words: dict[str, list[str]] = {}  # the words of each research text, split once
        explained = []
        for row, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
            given = given_scores.get((i, j)) if given_scores else None
            if given is not None:
                score = round(given, 2)
                explained.append((score, [{"criterion": "given", "points": score, "text": GIVEN_REASON}]))
                continue
            mentee, mentor = mentees[i], mentors[j]
            cents = cents_all[row].tolist()
            reasons = []
            for column in order_all[row].tolist():
                if cents[column] <= 0:
                    continue
                name = CRITERIA[column]
                reasons.append({"criterion": name, "points": cents[column] / 100,
                                "text": reason_text(name, mentee, mentor, words)})
            explained.append((totals[row] / 100, reasons))
        return explained


def gap_similarity(gap: np.ndarray) -> np.ndarray:
    """1 when the mentor is 2 to 15 levels ahead; linear to 0 at 0 ahead and at 25 ahead."""
    gap = np.asarray(gap, np.float32)
    rising = np.clip(gap / 2.0, 0.0, 1.0)
    falling = np.clip(1.0 - (gap - 15.0) / 10.0, 0.0, 1.0)
    return np.minimum(rising, falling).astype(np.float32)


def _round_to_total(points: np.ndarray) -> np.ndarray:
    """Points in cents, rounded so that they add up to the rounded total (largest remainder)."""
    exact = np.maximum(points, 0.0) * 100.0
    total = int(round(float(exact.sum())))
    cents = np.floor(exact).astype(np.int64)
    short = total - int(cents.sum())
    if short > 0:
        order = np.argsort(-(exact - cents), kind="stable")[:short]
        cents[order] += 1
    return cents


def _round_to_total_rows(points: np.ndarray) -> np.ndarray:
    """`_round_to_total` of every row of a (pairs, criteria) array at once (the same cents)."""
    exact = np.maximum(points, 0.0) * 100.0
    total = np.rint(exact.sum(axis=1)).astype(np.int64)  # a row sums as a 1-D array does (pairwise)
    cents = np.floor(exact).astype(np.int64)
    short = total - cents.sum(axis=1)
    order = np.argsort(-(exact - cents), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(points.shape[1]), order.shape), axis=1)
    cents += rank < short[:, None]
    return cents


def _country_name(code: str) -> str:
    return country_name(code.upper())


def _list_words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _tokens(text: str, words: dict[str, list[str]] | None) -> list[str]:
    if words is None:
        return text_similarity.tokens(text)
    found = words.get(text)
    if found is None:
        found = words[text] = text_similarity.tokens(text)
    return found


def shared_phrases(mentee_text: str, mentor_text: str, limit: int = 6,
                   words: dict[str, list[str]] | None = None) -> str:
    """Words of the mentee's text that the mentor's text shares, runs kept together in the mentee's order.

    `words`, when given, keeps each text's words for the next call (text -> words).
    """
    mentor_words = set(_tokens(mentor_text, words))
    runs: list[list[str]] = []
    previous_shared = False
    count = 0
    for word in _tokens(mentee_text, words):
        shared = word in mentor_words and count < limit and not any(word in run for run in runs)
        if shared:
            if previous_shared:
                runs[-1].append(word)
            else:
                runs.append([word])
            count += 1
        previous_shared = shared
    return _list_words([" ".join(run) for run in runs])


def reason_text(name: str, mentee: Person, mentor: Person, words: dict[str, list[str]] | None = None) -> str:
    """A sentence a mentee understands, for a criterion that contributed points.

    `words`: a cache of research texts' words shared by calls (see `shared_phrases`).
    """
    a, b = mentee.attributes, mentor.attributes
    if name in SENSITIVE:
        return SENSITIVE_REASON
    if name == "specialty":
        sub_a, sub_b = normalise(a.get("subspecialty")), normalise(b.get("subspecialty"))
        specialty = b.get("specialty") or a.get("specialty")
        if sub_a and sub_a == sub_b:
            sub = humanise(str(b["subspecialty"]).lower())
            return f"Both in {sub} ({humanise(str(specialty).lower())})" if specialty else f"Both in {sub}"
        return f"Both in {humanise(str(specialty).lower())}"
    if name == "research_interests":
        tags_a = {normalise(t): t for t in a.get("interest_tags") or ()}
        shared_tags = [tags_a[t] for t in (normalise(x) for x in b.get("interest_tags") or ()) if t in tags_a]
        phrase = ""
        if a.get("research_interests") and b.get("research_interests"):
            phrase = shared_phrases(a["research_interests"], b["research_interests"], words=words)
        if phrase and (not shared_tags or len(phrase) >= len(", ".join(shared_tags))):
            return f"Shares your interest in {phrase}"
        if shared_tags:
            return f"Shares your interest in {_list_words([humanise(str(t)) for t in shared_tags])}"
        return "Similar research interests"
    if name == "career_tracks":
        shared = sorted({normalise(t) for t in a.get("career_tracks") or ()}
                        & {normalise(t) for t in b.get("career_tracks") or ()} - {None})
        tracks = _list_words([humanise(t) for t in shared])
        return f"Both on the {tracks} track" + ("s" if len(shared) > 1 else "")
    if name == "img_background":
        return "Both international medical graduates"
    if name == "country":
        if a.get("country") and b.get("country") and a["country"].upper() == b["country"].upper():
            return f"Both trained in {_country_name(a['country'])}"
        return f"Both trained in {humanise(str(b.get('region')))}"
    if name == "languages":
        shared = sorted({x.lower() for x in a.get("languages") or ()} & {x.lower() for x in b.get("languages") or ()}
                        - {"en"})
        return f"Both speak {_list_words([language_name(code) for code in shared])}"
    if name == "time_zone":
        difference = abs(float(a["utc_offset"]) - float(b["utc_offset"]))
        difference = min(difference, 24.0 - difference)
        if difference == 0:
            return "Same time zone"
        return f"Time zones {difference:g} hour{'s' if difference != 1 else ''} apart"
    if name == "training_gap":
        gap = int(b["level"]) - int(a["level"])
        return f"{gap} training level{'s' if gap != 1 else ''} ahead of you"
    if name == "institution":
        return f"Both at {b['institution']}"
    return humanise(name).capitalize()


BOUND_MARGIN = np.float32(0.01)  # points: covers float32 rounding of both the scores and the bounds
TABLE_CELLS = 50_000_000  # largest (codes x groups) table of a criterion; beyond it, bound by presence
PACK_CELLS = 16_000_000  # largest (mentee profiles x groups) table of a pack of criteria


class MentorGroups:
    """Mentors grouped by their codes on the heaviest table criteria, with per-group similarity maxima.

    `upper_bounds(rows)` gives, for each mentee of `rows` and each group, a number no score of that
    mentee with any mentor of the group can exceed (tie-breaking jitter included): the sum over criteria
    of the mentee's weight times the largest similarity any mentor of the group has on that criterion.
    On the grouping criteria that maximum is the exact similarity; research interests are bounded by
    the group's largest TF-IDF weight per term and the union of its tags. Given scores count as unbounded.
    """

    def __init__(self, scorer: Scorer, mentors: np.ndarray, limit: int | None) -> None:
        self.scorer = scorer
        self.mentors = mentors
        n = len(mentors)
        limit = max(16, n // 3) if limit is None else limit
        used = [c for c in scorer.tables if np.any(scorer.row_weights[:, INDEX[c.name]] > 0)]
        mean_weight = {c.name: float(scorer.row_weights[:, INDEX[c.name]].mean()) for c in used}
        chosen: list[TableCriterion] = []
        group = np.zeros(n, np.int64)
        n_groups = 1 if n else 0
        for criterion in sorted(used, key=lambda c: -mean_weight[c.name]):
            codes = np.stack([c.mentor_codes[mentors] for c in [*chosen, criterion]], axis=1)
            _, trial = np.unique(codes, axis=0, return_inverse=True)
            trial = np.asarray(trial, np.int64).reshape(-1)
            count = int(trial.max()) + 1 if n else 0
            if count > limit:
                continue
            chosen.append(criterion)
            group, n_groups = trial, count
        self.criteria = [c.name for c in chosen]
        self.group = group  # group of each mentor in `mentors`
        self.n_groups = n_groups
        self.sizes = np.bincount(group, minlength=n_groups)
        self.order = np.argsort(group, kind="stable")  # positions in `mentors`, group by group
        self.starts = np.concatenate([[0], np.cumsum(self.sizes)])
        self.omega = (scorer.row_weights / np.maximum(scorer.row_denominator, np.float32(1e-12))[:, None]).astype(
            np.float32)
        self.packs = self._packs(used)
        self.inverse_denominator = (np.float32(1.0) / np.maximum(scorer.row_denominator, np.float32(1e-12))).astype(
            np.float32)
        # A group without research interests has an empty maximum and tag union: its bound is 0.
        self.sparse = [(INDEX[c.name], c.group_bound(mentors, group, n_groups)) for c in scorer.sparse]
        given_rows, given_cols, mentor_position = scorer._given_rows, scorer._given_cols, None
        if len(given_rows):
            mentor_position = np.full(scorer.n_mentors, -1, np.int64)
            mentor_position[mentors] = np.arange(n)
        self._given = (given_rows, given_cols, mentor_position)

    def _packs(self, used: list[TableCriterion]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Table criteria packed so that few distinct mentee profiles (codes and weights) cover a pack.

        Each pack is (profile of each mentee, table (profiles, groups) of sum(weight x group maximum)):
        a mentee's bound is then one gathered row per pack instead of one per criterion.
        """
        weights = self.scorer.row_weights
        packs: list[tuple[np.ndarray, np.ndarray]] = []
        current: list[TableCriterion] = []
        profiles = inverse = None

        def close() -> None:
            if not current or profiles is None or inverse is None:
                return
            table = np.zeros((len(profiles), self.n_groups), np.float32)
            for position, criterion in enumerate(current):
                codes = profiles[:, 2 * position]
                weight = profiles[:, 2 * position + 1].astype(np.int32).view(np.float32)
                maxima = self._maxima(criterion)
                table += maxima[np.maximum(codes, 0)] * weight[:, None]
            packs.append((np.asarray(inverse, np.int64).reshape(-1), table))

        def columns(criteria: list[TableCriterion]) -> np.ndarray:
            parts = []
            for criterion in criteria:
                parts.append(criterion.mentee_codes.astype(np.int64))
                parts.append(np.ascontiguousarray(weights[:, INDEX[criterion.name]]).view(np.int32).astype(np.int64))
            return np.stack(parts, axis=1)

        for criterion in sorted(used, key=lambda c: len(np.unique(c.mentee_codes))):
            trial_profiles, trial_inverse = np.unique(columns([*current, criterion]), axis=0, return_inverse=True)
            if current and len(trial_profiles) * max(1, self.n_groups) > PACK_CELLS:
                close()
                current = [criterion]
                profiles, inverse = np.unique(columns(current), axis=0, return_inverse=True)
            else:
                current, profiles, inverse = [*current, criterion], trial_profiles, trial_inverse
        close()
        return packs

    def _maxima(self, criterion: TableCriterion) -> np.ndarray:
        """(codes, groups): the largest similarity of a mentee with that code to any mentor of the group."""
        mentor_codes = criterion.mentor_codes[self.mentors]
        codes = max(int(criterion.mentee_codes.max(initial=0)), int(mentor_codes.max(initial=0))) + 1
        if codes * self.n_groups > TABLE_CELLS:
            present = np.bincount(self.group, weights=(mentor_codes >= 0), minlength=self.n_groups) > 0
            return np.broadcast_to(present.astype(np.float32)[None, :], (codes, self.n_groups))
        pairs = np.unique(np.stack([self.group, mentor_codes], axis=1), axis=0)
        values = criterion.similarity(np.arange(codes)[:, None], np.maximum(pairs[:, 1], 0)[None, :])
        values = values * (pairs[:, 1] >= 0)[None, :]
        starts = np.searchsorted(pairs[:, 0], np.arange(self.n_groups))
        return np.ascontiguousarray(np.maximum.reduceat(values.astype(np.float32), starts, axis=1))

    def members(self, groups: np.ndarray) -> np.ndarray:
        """Mentor indices (increasing) of the groups where `groups` (a boolean mask) is set."""
        selected = groups[self.group]
        return self.mentors[selected]

    def upper_bounds(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), n_groups) float32: bounds of the jittered scores of each mentee against each group."""
        rows = np.asarray(rows, np.int64)
        bounds: np.ndarray | None = None
        for profile, table in self.packs:
            if bounds is None:
                bounds = table[profile[rows]]
            else:
                bounds += table[profile[rows]]
        if bounds is None:
            bounds = np.zeros((len(rows), self.n_groups), np.float32)
        bounds *= self.inverse_denominator[rows][:, None]
        for column, bound in self.sparse:
            weight = self.omega[rows, column]
            if not np.any(weight > 0):
                continue
            research = bound(rows)
            research *= weight[:, None]
            bounds += research
        bounds += BOUND_MARGIN + np.float32(1e-3)  # the tie-breaking jitter stays below 0.001
        given_rows, given_cols, mentor_position = self._given
        if mentor_position is not None:
            order = np.argsort(rows, kind="stable")
            sorted_rows = rows[order]
            for position in np.nonzero(np.isin(given_rows, sorted_rows))[0]:
                mentor = mentor_position[given_cols[position]]
                if mentor >= 0:
                    local = order[np.searchsorted(sorted_rows, given_rows[position])]
                    bounds[local, self.group[mentor]] = np.inf
        return bounds
