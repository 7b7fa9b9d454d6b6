"""Agreement of the analyzer with mentor labels on the goal sets in this folder.

The sets were labelled with the guide in docs/smart.md before the analyzer was written
(goals_eval.csv, goals_holdout.csv) or before it was first run on them (goals_blind.csv,
goals_fresh.csv, goals_final.csv; goals_final.csv was never used to change a rule). Labels are
never changed to suit the analyzer. The statements are judged alone, on the reference date of
the labelling guide. docs/smart.md records the figures and which sets rules were tuned on.
"""

import csv
import datetime
from pathlib import Path

import pytest

from mentora.smart import CRITERIA, analyze

HERE = Path(__file__).parent
REFERENCE_DATE = datetime.date(2026, 11, 1)

# Minimum agreement per criterion. The issue requires 0.85 on specific, measurable and
# time-bound; achievable and relevant are held to the same level where it is honestly met.
REQUIRED = {"specific": 0.85, "measurable": 0.85, "achievable": 0.85, "relevant": 0.85, "time_bound": 0.85}


def load(name):
    with open(HERE / f"goals_{name}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert set(row) == {"goal", *CRITERIA}
        assert all(row[name] in {"0", "1"} for name in CRITERIA)
    return rows


def agreement(rows):
    hits = dict.fromkeys(CRITERIA, 0)
    for row in rows:
        result = analyze(row["goal"], today=REFERENCE_DATE)
        for name in CRITERIA:
            hits[name] += getattr(result, name).ok == (row[name] == "1")
    return {name: hits[name] / len(rows) for name in CRITERIA}


def test_evaluation_set_is_large_and_varied():
    rows = load("eval")
    assert len(rows) >= 100
    assert len({row["goal"] for row in rows}) == len(rows)
    for name in CRITERIA:
        labels = {row[name] for row in rows}
        assert labels == {"0", "1"}, f"{name} needs both passing and failing examples"


@pytest.mark.parametrize("name", ["eval", "holdout", "blind", "fresh", "final"])
def test_agreement_with_mentor_labels(name, capsys):
    if not (HERE / f"goals_{name}.csv").exists():
        pytest.skip(f"goals_{name}.csv not present")
    rows = load(name)
    scores = agreement(rows)
    with capsys.disabled():
        print(f"\nSMART agreement on {name} ({len(rows)} goals): "
              + ", ".join(f"{criterion} {score:.1%}" for criterion, score in scores.items()))
    for criterion, score in scores.items():
        assert score >= REQUIRED[criterion], f"{criterion} agreement {score:.1%} on {name}"


def test_sets_do_not_overlap():
    seen = set()
    for name in ["eval", "holdout", "blind", "fresh", "final"]:
        if (HERE / f"goals_{name}.csv").exists():
            goals = {row["goal"].lower() for row in load(name)}
            assert not goals & seen
            seen |= goals
