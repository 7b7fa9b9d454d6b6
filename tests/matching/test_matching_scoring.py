"""Scores, reasons and the text-similarity hook."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_instances import attributes, instances

from mentora.matching import SENSITIVE_REASON, Scorer, check_instance, score_mentee
from mentora.matching.scoring import CRITERIA, gap_similarity


def scorer_for(document: dict[str, Any], **options: Any) -> Scorer:
    return Scorer(check_instance(document), text_embedder=options.get("text_embedder"))


def pair(mentee: dict[str, Any], mentor: dict[str, Any], **document: Any) -> tuple[float, list[dict[str, Any]]]:
    scorer = scorer_for({"mentees": [{"id": "r1", "attributes": mentee, **document.pop("mentee_extra", {})}],
                         "mentors": [{"id": "m1", "attributes": mentor}], **document})
    return scorer.explain(np.array([0]), np.array([0]))[0]


def test_reasons_read_like_sentences() -> None:
    score, reasons = pair(
        {"specialty": "internal_medicine", "country": "IN", "research_interests": "heart failure outcomes",
         "languages": ["hi", "en"]},
        {"specialty": "Internal Medicine", "country": "in", "research_interests": "Outcomes in heart failure care",
         "languages": ["en", "hi"]},
    )
    texts = {r["criterion"]: r["text"] for r in reasons}
    assert texts["specialty"] == "Both in internal medicine"
    assert texts["country"] == "Both trained in India"
    assert texts["research_interests"] == "Shares your interest in heart failure outcomes"
    assert texts["languages"] == "Both speak Hindi"
    assert score == pytest.approx(sum(r["points"] for r in reasons), abs=1e-9)


def test_specialty_similarity_and_missing_attributes_drop_out() -> None:
    same_sub, _ = pair({"specialty": "im", "subspecialty": "cardiology"}, {"specialty": "im", "subspecialty": "cardiology"})
    same_specialty, _ = pair({"specialty": "im", "subspecialty": "cardiology"}, {"specialty": "im"})
    different, _ = pair({"specialty": "im"}, {"specialty": "surgery"})
    assert (same_sub, same_specialty, different) == (100.0, 70.0, 0.0)
    # Missing on the mentee's side (languages), a criterion leaves the denominator; missing on the
    # mentor's side (country), it stays there with similarity 0: 100 * (3 x 0.7) / (3 + 1).
    score, reasons = pair({"specialty": "im", "country": "IN"}, {"specialty": "im", "languages": ["es"]})
    assert score == 52.5 and [r["criterion"] for r in reasons] == ["specialty"]


def test_weights_replace_defaults_key_by_key_and_zero_switches_off() -> None:
    mentee = {"specialty": "im", "country": "IN"}
    mentor = {"specialty": "im", "country": "PK"}
    # Defaults: specialty 3 x 0.7, country 1 x 0 -> 100 * 2.1 / 4
    assert pair(mentee, mentor)[0] == 52.5
    assert pair(mentee, mentor, weights={"country": 3})[0] == 35.0
    assert pair(mentee, mentor, weights={"country": 3}, mentee_extra={"weights": {"country": 0}})[0] == 70.0


def test_sensitive_concordance_needs_wish_and_consent_and_never_names_the_value() -> None:
    wanted = {"specialty": "im", "gender": "woman", "race_ethnicity": "black",
              "concordance_wanted": ["gender", "race_ethnicity"]}
    consenting = {"specialty": "im", "gender": "woman", "race_ethnicity": "black",
                  "concordance_consent": ["gender", "race_ethnicity"]}
    score, reasons = pair(wanted, consenting)
    sensitive = [r for r in reasons if r["criterion"] in ("gender", "race_ethnicity")]
    assert len(sensitive) == 2
    assert all(r["text"] == SENSITIVE_REASON for r in sensitive)
    assert all("woman" not in r["text"] and "black" not in r["text"] for r in reasons)
    # Without consent the mentor gets no points for it (the wish still counts in the denominator).
    silent = {k: v for k, v in consenting.items() if k != "concordance_consent"}
    score_silent, reasons_silent = pair(wanted, silent)
    assert not [r for r in reasons_silent if r["criterion"] in ("gender", "race_ethnicity")]
    assert score_silent < score
    # Without the wish the attribute is not used at all.
    unwanted = {k: v for k, v in wanted.items() if k != "concordance_wanted"}
    assert pair(unwanted, consenting)[0] == 70.0


def test_given_score_replaces_the_computed_one() -> None:
    score, reasons = pair({"specialty": "im"}, {"specialty": "im"},
                          scores=[{"mentee": "r1", "mentor": "m1", "score": 12.5}])
    assert score == 12.5
    assert reasons == [{"criterion": "given", "points": 12.5, "text": "Score given by the program"}]


def test_training_gap_and_time_zone() -> None:
    assert gap_similarity(np.array([-3, 0, 1, 2, 15, 20, 25, 30])).tolist() == [0, 0, 0.5, 1, 1, 0.5, 0, 0]
    score, reasons = pair({"utc_offset": -5}, {"utc_offset": 1})
    assert score == 50.0 and reasons[0]["text"] == "Time zones 6 hours apart"
    assert pair({"utc_offset": -11}, {"utc_offset": 12})[0] == pytest.approx(100 * (1 - 1 / 12), abs=0.01)


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=5, max_mentors=5))
def test_blocks_pairs_and_reasons_agree(document: dict[str, Any]) -> None:
    scorer = scorer_for(document)
    n, m = scorer.n_mentees, scorer.n_mentors
    block = scorer.score_block(np.arange(n))
    ii, jj = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    pairs = scorer.score_pairs(ii.ravel(), jj.ravel()).reshape(n, m)
    np.testing.assert_allclose(block, pairs, atol=1e-3)
    assert block.min() >= 0 and block.max() <= 100 + 1e-3
    for (score, reasons), exact in zip(scorer.explain(ii.ravel(), jj.ravel()), pairs.ravel(), strict=True):
        assert round(sum(r["points"] for r in reasons), 2) == score
        assert abs(score - exact) <= 0.011
        assert all(r["criterion"] == "given" or (r["criterion"] in CRITERIA and r["points"] > 0) for r in reasons)
        assert all(r["text"] == SENSITIVE_REASON for r in reasons if r["criterion"] in ("gender", "race_ethnicity"))


def test_text_embedder_hook_is_used_when_given() -> None:
    calls: list[int] = []

    def embedder(texts: Any) -> np.ndarray:
        calls.append(len(texts))
        vocabulary = ["cardio", "kidney"]
        return np.array([[float(word in text.lower()) + 0.01 for word in vocabulary] for text in texts])

    document = {"mentees": [{"id": "r1", "attributes": {"research_interests": "cardiology outcomes"}}],
                "mentors": [{"id": "m1", "attributes": {"research_interests": "heart: cardiovascular trials"}},
                            {"id": "m2", "attributes": {"research_interests": "kidney transplant"}}]}
    scorer = scorer_for(document, text_embedder=embedder)
    assert scorer.research_method == "embeddings" and calls
    scores = scorer.score_block(np.array([0]))[0]
    assert scores[0] > 95 and scores[1] < 5  # no shared word, yet similar by the embedding
    assert scorer.explain(np.array([0]), np.array([0]))[0][1][0]["text"] == "Similar research interests"
    # Default: TF-IDF, which sees no shared word.
    assert scorer_for(document).score_block(np.array([0]))[0][0] == 0


def test_score_mentee_ranks_all_mentors_and_skips_excluded() -> None:
    document = {
        "mentees": [{"id": "r1", "attributes": {"specialty": "im", "subspecialty": "cardiology"}}],
        "mentors": [{"id": "m1", "attributes": {"specialty": "im"}},
                    {"id": "m2", "attributes": {"specialty": "im", "subspecialty": "cardiology"}},
                    {"id": "m3", "attributes": {"specialty": "im", "subspecialty": "cardiology"}},
                    {"id": "m4", "capacity": 0, "attributes": {"specialty": "im", "subspecialty": "cardiology"}},
                    {"id": "m5", "attributes": {"specialty": "surgery"}}],
        "forbidden": [["r1", "m3"]],
    }
    ranked = score_mentee(document, "r1", limit=10, text_embedder=None)
    assert [r["mentor"] for r in ranked] == ["m2", "m1", "m5"]
    assert [r["score"] for r in ranked] == [100.0, 70.0, 0.0]
    assert ranked[0]["reasons"][0]["text"] == "Both in cardiology (im)"


# The sparse-profile rule: no evidence of fit is not a perfect fit.

CRITERION_KEYS: dict[str, tuple[str, ...]] = {
    "specialty": ("specialty", "subspecialty"),
    "research_interests": ("research_interests", "interest_tags"),
    "career_tracks": ("career_tracks",),
    "img_background": ("img_status",),
    "country": ("country", "region"),
    "languages": ("languages",),
    "time_zone": ("utc_offset",),
    "training_gap": ("level",),
    "institution": ("institution",),
    "gender": ("gender", "concordance_consent"),
}


def test_a_sparse_mentor_with_one_matching_criterion_is_not_a_perfect_fit() -> None:
    mentee = {"specialty": "internal_medicine", "country": "IN", "languages": ["hi", "en"], "utc_offset": 5.5,
              "career_tracks": ["research"], "level": 1, "research_interests": "heart failure outcomes"}
    # "Same time zone" alone used to give 100/100.
    time_zone_only, reasons = pair(mentee, {"utc_offset": 5.5})
    assert time_zone_only == pytest.approx(100 * 0.5 / 10, abs=0.01)
    assert [r["criterion"] for r in reasons] == ["time_zone"]
    # A just-imported mentor with only a specialty used to score 70.
    specialty_only, _ = pair(mentee, {"specialty": "internal_medicine"})
    assert specialty_only == pytest.approx(100 * 2.1 / 10, abs=0.01)
    # A mentor who matches on the specialty and more ranks first.
    document = {"mentees": [{"id": "r1", "attributes": mentee}],
                "mentors": [{"id": "sparse", "attributes": {"specialty": "internal_medicine"}},
                            {"id": "full", "attributes": {"specialty": "internal_medicine", "country": "PK",
                                                          "languages": ["en"], "utc_offset": -5, "level": 6}}]}
    ranked = score_mentee(document, "r1", limit=10, text_embedder=None)
    assert [r["mentor"] for r in ranked] == ["full", "sparse"]
    assert ranked[0]["score"] > ranked[1]["score"]


def test_a_criterion_missing_on_the_mentee_side_still_drops_out() -> None:
    score, reasons = pair({"specialty": "im"}, {"specialty": "im", "country": "IN", "utc_offset": 0})
    assert score == 70.0 and [r["criterion"] for r in reasons] == ["specialty"]


def _has(value: Any) -> bool:
    """Whether an attribute is there, as the engine reads it: 0 (UTC, an applicant's level) is a value."""
    return value is not None and value != "" and value != [] and value != ()


def _lacking(mentor: dict[str, Any], donor: dict[str, Any]) -> list[str]:
    """Criteria the mentor has no attribute for and the donor has."""
    return [name for name, keys in CRITERION_KEYS.items()
            if not any(_has(mentor.get(key)) for key in keys) and any(_has(donor.get(key)) for key in keys)]


def _check_adding(mentee: dict[str, Any], mentor: dict[str, Any], donor: dict[str, Any], added: list[str]) -> None:
    fuller = dict(mentor)
    for name in added:
        for key in CRITERION_KEYS[name]:
            if key in donor:
                fuller[key] = donor[key]
    document = {"mentees": [{"id": "r1", "attributes": mentee}],
                "mentors": [{"id": "sparse", "attributes": mentor}, {"id": "fuller", "attributes": fuller}]}
    scorer = scorer_for(document)
    sparse_score, fuller_score = scorer.score_block(np.array([0]))[0].tolist()
    assert fuller_score >= sparse_score - 1e-3
    pairs = scorer.score_pairs(np.array([0, 0]), np.array([0, 1]))
    assert pairs[1] >= pairs[0] - 1e-9
    ranked = score_mentee(document, "r1", limit=2, text_embedder=None)
    if ranked[0]["score"] != ranked[1]["score"]:
        assert ranked[0]["mentor"] == "fuller"


@settings(max_examples=80, deadline=None)
@given(attributes(False), attributes(True), attributes(True), st.data())
def test_adding_a_criterion_to_a_mentor_never_lowers_their_score(
    mentee: dict[str, Any], mentor: dict[str, Any], donor: dict[str, Any], data: st.DataObject
) -> None:
    """The mentor gains the attributes of some criteria they lacked (taken from another profile): the score
    with every mentee holds or rises, and the sparse mentor never outranks the fuller one."""
    lacking = _lacking(mentor, donor)
    added = data.draw(st.lists(st.sampled_from(lacking), unique=True) if lacking else st.just([]))
    _check_adding(mentee, mentor, donor, added)


def test_a_mentor_in_utc_has_a_time_zone() -> None:
    """The example Hypothesis found (100 -> 86.67): a mentor at UTC+0 was taken for one without a time zone,
    and "adding" one replaced their 0 with UTC-8. UTC is a time zone like any other: the mentor at UTC
    matches a mentee at UTC fully, one with no time zone gets 0 on it, and only the latter lacks it."""
    mentee = {"career_tracks": ["research"], "utc_offset": 0}
    at_utc = {"career_tracks": ["research"], "utc_offset": 0}
    without = {"career_tracks": ["research"]}
    donor = {"utc_offset": -8}
    document = {"mentees": [{"id": "r1", "attributes": mentee}],
                "mentors": [{"id": "utc", "attributes": at_utc}, {"id": "none", "attributes": without},
                            {"id": "far", "attributes": {**without, **donor}}]}
    scores = scorer_for(document).score_block(np.array([0]))[0].tolist()
    # 100 x (2 x 1 + 0.5 x s) / 2.5 with s = 1 (same zone), 0 (none), 1 - 8/12 (eight hours apart)
    assert scores == pytest.approx([100.0, 80.0, 100 * (2 + 0.5 / 3) / 2.5], abs=0.01)
    _score, reasons = pair(mentee, at_utc)
    assert {r["criterion"]: r["text"] for r in reasons}["time_zone"] == "Same time zone"
    assert "time_zone" not in _lacking(at_utc, donor)
    assert _lacking(without, donor) == ["time_zone"]
    _check_adding(mentee, without, donor, ["time_zone"])
    # A level of 0 (an applicant) is a level too.
    assert "training_gap" not in _lacking({"level": 0}, {"level": 9})


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=8, max_mentors=8), st.booleans())
def test_similarity_tables_give_the_computed_scores_bit_for_bit(document: dict[str, Any], subset: bool) -> None:
    """Criteria with few codes look similarities up in a table built from the same function: blocks
    (all mentors or some) must equal the blocks computed without tables, to the last bit."""
    from mentora.matching import scoring

    instance = check_instance(document)
    with_tables = Scorer(instance, text_embedder=None)
    assert any(criterion.table is not None for criterion in with_tables.tables)
    original = scoring.SIMILARITY_TABLE_CELLS
    scoring.SIMILARITY_TABLE_CELLS = 0
    try:
        computed = Scorer(instance, text_embedder=None)
    finally:
        scoring.SIMILARITY_TABLE_CELLS = original
    assert all(criterion.table is None for criterion in computed.tables)
    rows = np.arange(computed.n_mentees)
    cols = np.arange(0, computed.n_mentors, 2) if subset else None
    expected = computed.score_block_transposed(rows, cols)
    assert with_tables.score_block_transposed(rows, cols).view(np.uint32).tolist() == expected.view(
        np.uint32).tolist()


def _explain_pair_by_pair(scorer: Scorer, ii: np.ndarray, jj: np.ndarray) -> list[tuple[float, list[dict[str, Any]]]]:
    """The reasons as the contract words them, one pair at a time (the reference for `Scorer.explain`)."""
    from mentora.matching.scoring import GIVEN_REASON, _round_to_total, reason_text

    explained = []
    contributions = scorer.contributions(ii, jj)
    for row, (i, j) in enumerate(zip(ii.tolist(), jj.tolist(), strict=True)):
        given = scorer.instance.given_scores.get((i, j))
        if given is not None:
            explained.append((round(given, 2), [{"criterion": "given", "points": round(given, 2),
                                                 "text": GIVEN_REASON}]))
            continue
        points = contributions[row]
        cents = _round_to_total(points)
        reasons = [{"criterion": CRITERIA[c], "points": int(cents[c]) / 100,
                    "text": reason_text(CRITERIA[c], scorer.instance.mentees[i], scorer.instance.mentors[j])}
                   for c in np.argsort(-points, kind="stable") if cents[c] > 0]
        explained.append((int(cents.sum()) / 100, reasons))
    return explained


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=8, max_mentors=8))
def test_explaining_many_pairs_at_once_gives_each_pairs_reasons(document: dict[str, Any]) -> None:
    """All pairs explained in one call (rounding over all rows, research texts split once) give the
    same scores, points, order and texts as explaining each pair alone."""
    scorer = scorer_for(document)
    ii, jj = np.meshgrid(np.arange(scorer.n_mentees), np.arange(scorer.n_mentors), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    assert scorer.explain(ii, jj) == _explain_pair_by_pair(scorer, ii, jj)


def test_rounding_all_rows_at_once_gives_each_rows_cents() -> None:
    """Largest-remainder rounding of many rows at once equals rounding each row alone, ties included."""
    from mentora.matching.scoring import _round_to_total, _round_to_total_rows

    rng = np.random.default_rng(7)
    points = rng.random((3000, len(CRITERIA))) * rng.integers(0, 3, (3000, len(CRITERIA))) * 12.5
    points[::7] = np.round(points[::7], 3)  # exact halves and equal remainders
    points[::11, :4] = 33.335
    points[5] = 0.0
    rows = _round_to_total_rows(points)
    assert rows.tolist() == [_round_to_total(row).tolist() for row in points]


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=9, max_mentors=9), st.data())
def test_dense_and_sparse_cosine_blocks_are_the_same_bits(document: dict[str, Any], data: st.DataObject) -> None:
    """TF-IDF cosines computed into a dense block (short texts, small vocabulary) give the very scores
    of the sparse product, tags' Jaccard included, for all mentors or some."""
    from mentora.matching import scoring

    for person in document["mentees"] + document["mentors"]:
        if data.draw(st.booleans()):
            person.setdefault("attributes", {})["interest_tags"] = data.draw(
                st.lists(st.sampled_from(["sepsis", "Heart", "education", "kidney"]), max_size=3))
    instance = check_instance(document)
    blocks = []
    for dense in (True, False):
        original = scoring.DENSE_COSINE_TERMS_PER_PRODUCT
        scoring.DENSE_COSINE_TERMS_PER_PRODUCT = 1e9 if dense else 0.0
        try:
            scorer = Scorer(instance, text_embedder=None)
        finally:
            scoring.DENSE_COSINE_TERMS_PER_PRODUCT = original
        rows = np.arange(scorer.n_mentees)
        cols = np.arange(0, scorer.n_mentors, 2)
        blocks.append([scorer.score_block_transposed(rows).view(np.uint32).tolist(),
                       scorer.score_block_transposed(rows, cols).view(np.uint32).tolist()])
    assert blocks[0] == blocks[1]


def test_dense_cosine_is_chosen_for_short_texts_over_a_small_vocabulary() -> None:
    from mentora.matching import text
    from mentora.matching.scoring import _dense_cosine_pays

    phrases = ["sepsis mortality", "heart failure outcomes", "medical education"]
    short = [phrases[i % 3] for i in range(60)]
    assert _dense_cosine_pays(*text.tfidf_matrices(short, short[:20]))
    rare = [f"word{i} other{i} third{i} fourth{i}" for i in range(60)]
    assert not _dense_cosine_pays(*text.tfidf_matrices(rare, rare[:20]))


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=8, max_mentors=3), st.data())
def test_effective_weights_follow_the_contract_mentee_by_mentee(document: dict[str, Any], data: st.DataObject) -> None:
    """The weights table (built column by column) equals the contract read mentee by mentee: instance
    weights over the defaults, a mentee's own over those, sensitive ones only where wanted."""
    from mentora.matching.scoring import DEFAULT_WEIGHTS, SENSITIVE

    names = st.sampled_from([*CRITERIA, "unknown"])
    for mentee in document["mentees"]:
        mentee["weights"] = data.draw(st.dictionaries(names, st.sampled_from([0, 0.5, 2, 7]), max_size=3))
        mentee["weights"].pop("unknown", None)
    document["weights"] = data.draw(st.dictionaries(st.sampled_from(CRITERIA), st.sampled_from([0, 1, 4]),
                                                    max_size=3))
    scorer = scorer_for(document)
    base = {**DEFAULT_WEIGHTS, **document["weights"]}
    for row, mentee in enumerate(document["mentees"]):
        wanted = mentee.get("attributes", {}).get("concordance_wanted") or []
        expected = [0.0 if name in SENSITIVE and name not in wanted else mentee["weights"].get(name, base[name])
                    for name in CRITERIA]
        assert scorer.weights[row].tolist() == pytest.approx(expected)
