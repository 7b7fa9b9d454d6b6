"""Instance validation: JSON paths in messages, the shipped schema, and the fast checker agreeing with it."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentora.matching import InstanceError, check_instance, instance_schema
from mentora.matching.validation import fast_schema_check

CONTRACT_EXAMPLE: dict[str, Any] = {
    "mentees": [
        {"id": "r1", "capacity": 1,
         "attributes": {"specialty": "internal_medicine", "languages": ["es", "en"], "country": "MX",
                        "research_interests": "heart failure outcomes", "gender": "woman",
                        "concordance_wanted": ["gender"]},
         "weights": {"specialty": 3, "languages": 1},
         "ranking": ["m2", "m1"]}
    ],
    "mentors": [
        {"id": "m1", "capacity": 3,
         "attributes": {"specialty": "internal_medicine", "gender": "woman", "concordance_consent": ["gender"]},
         "ranking": ["r1"]},
        {"id": "m2"},
        {"id": "m3"},
    ],
    "weights": {"specialty": 3, "research_interests": 2},
    "scores": [{"mentee": "r1", "mentor": "m1", "score": 87.5}],
    "forbidden": [["r1", "m2"]],
    "previous": [["r1", "m3"]],
    "allow_previous": False,
    "top_k": 50,
}


def error_of(document: Any, **options: Any) -> str:
    with pytest.raises(InstanceError) as caught:
        check_instance(document, **options)
    return str(caught.value)


def test_contract_example_is_valid_against_the_shipped_schema() -> None:
    jsonschema.validate(CONTRACT_EXAMPLE, instance_schema())
    instance = check_instance(CONTRACT_EXAMPLE)
    assert [p.id for p in instance.mentors] == ["m1", "m2", "m3"]
    assert instance.excluded == {(0, 1), (0, 2)}
    assert instance.given_scores == {(0, 0): 87.5}


def test_only_ids_are_required_and_capacity_defaults_to_one() -> None:
    instance = check_instance({"mentees": [{"id": "a"}], "mentors": [{"id": "b"}]})
    assert instance.mentees[0].capacity == 1 and instance.mentors[0].capacity == 1
    assert instance.top_k == 50


def test_duplicate_id_names_the_path() -> None:
    document = {"mentees": [{"id": "r1"}, {"id": "r2"}, {"id": "r3"}, {"id": "r1"}], "mentors": [{"id": "m1"}]}
    assert error_of(document) == 'mentees[3].id: duplicate id "r1"'


@pytest.mark.parametrize(
    ("change", "expected_path"),
    [
        (lambda d: d["mentees"][0].__setitem__("capacity", "two"), "mentees[0].capacity:"),
        (lambda d: d["mentees"][0]["attributes"].__setitem__("languages", ["spanish"]),
         "mentees[0].attributes.languages[0]:"),
        (lambda d: d["mentors"][0]["attributes"].__setitem__("img_status", "foreign"), "mentors[0].attributes.img_status:"),
        (lambda d: d["weights"].__setitem__("speciality", 2), "weights:"),
        (lambda d: d["forbidden"].append(["r1"]), "forbidden[1]:"),
        (lambda d: d["mentees"][0].__setitem__("capcity", 1), "mentees[0]:"),
        (lambda d: d.__setitem__("top_k", 0), "top_k:"),
        (lambda d: d["scores"][0].__setitem__("score", 101), "scores[0].score:"),
        (lambda d: d["forbidden"].append(["r1", "m9"]), 'forbidden[1][1]: unknown mentor "m9"'),
        (lambda d: d["scores"].append({"mentee": "r7", "mentor": "m1", "score": 3}), 'scores[1].mentee: unknown mentee "r7"'),
        (lambda d: d["mentees"][0]["ranking"].append("m9"), 'mentees[0].ranking[2]: unknown mentor "m9"'),
        (lambda d: d["mentors"][0]["ranking"].append("r1"), 'mentors[0].ranking[1]: "r1" is ranked twice'),
    ],
)
def test_errors_name_the_json_path(change: Any, expected_path: str) -> None:
    document = copy.deepcopy(CONTRACT_EXAMPLE)
    change(document)
    assert error_of(document).startswith(expected_path)


def test_not_an_object() -> None:
    assert error_of([1, 2]).startswith("(instance):")


def test_command_line_top_k_overrides_and_must_be_positive() -> None:
    assert check_instance(CONTRACT_EXAMPLE, top_k=7).top_k == 7
    assert error_of(CONTRACT_EXAMPLE, top_k=0).startswith("top_k:")


VALUES = [None, True, 0, 1, -1, 2.5, 1e9, "", "x", "XY", "non_us_img", "gender", [], ["en"], ["e1"], [1],
          {}, {"specialty": 1}, {"specialty": -1}, ["gender", "race_ethnicity"], ["r1", "m1"]]


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fast_checker_agrees_with_jsonschema(data: st.DataObject) -> None:
    document = copy.deepcopy(CONTRACT_EXAMPLE)
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(paths(document)))
        value = copy.deepcopy(data.draw(st.sampled_from(VALUES)))
        if not target:
            continue
        parent = document
        for part in target[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["id", "capacity", "extra", "gender", "top_k", "ranking"]))] = value
        else:
            parent[target[-1]] = value
    expected = jsonschema.Draft202012Validator(instance_schema()).is_valid(document)
    assert fast_schema_check()(document) == expected, json.dumps(document)[:500]


def _solve_outcome(document: Any, *, in_child: bool, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    from mentora.matching import solve, validation

    monkeypatch.setattr(validation, "SCHEMA_CHECK_IN_CHILD_PEOPLE", 0 if in_child else 10**9)
    try:
        result = solve(copy.deepcopy(document), text_embedder=None, **options)
    except InstanceError as error:
        return ("error", str(error))
    result["stats"].pop("seconds")
    result["stats"].pop("phase_seconds")
    return ("result", result)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: None,
        lambda d: d["mentees"][0].__setitem__("capacity", "two"),
        lambda d: d["mentees"][0].__setitem__("attributes", ["not", "an", "object"]),  # the build itself fails
        lambda d: d["mentors"][0]["attributes"].__setitem__("languages", "es"),
        lambda d: d["mentees"][0].__setitem__("ranking", "m1"),
        lambda d: d["mentees"].append({"id": "r1"}),  # valid schema, duplicate id: the semantic error
        lambda d: d["mentees"][0].__setitem__("capacity", 2),  # stable needs capacity 1
        lambda d: d.__setitem__("top_k", 0),
    ],
)
@pytest.mark.parametrize("algorithm", ["optimal", "stable"])
def test_schema_checked_in_a_forked_process_gives_the_same_outcome(
    change: Any, algorithm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large documents are schema-checked by a child process while the instance is built: every
    document gives the same result or the same first error as checking before building."""
    document = copy.deepcopy(CONTRACT_EXAMPLE)
    for mentee in document["mentees"]:
        mentee.pop("ranking", None)
    for mentor in document["mentors"]:
        mentor.pop("ranking", None)
    change(document)
    in_line = _solve_outcome(document, in_child=False, monkeypatch=monkeypatch, algorithm=algorithm)
    in_child = _solve_outcome(document, in_child=True, monkeypatch=monkeypatch, algorithm=algorithm)
    assert in_child == in_line
