"""Small-cell suppression: primary (1–4 people hidden) and secondary (totals and complements
cannot give a hidden cell away)."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentora.insights.suppression import relation, suppress, suppress_breakdown, suppress_grid


def test_cells_below_five_are_hidden_and_five_is_shown():
    result = suppress({"a": 4, "b": 5, "c": 0, "d": 1}, [])
    assert result.values == {"a": None, "b": 5, "c": 0, "d": None}
    assert result.primary == {"a", "d"}


def test_a_lone_small_cell_beside_a_total_takes_a_complement_with_it():
    result = suppress_breakdown({"woman": 3, "man": 40, "nonbinary": 0})
    # total - man would give 'woman' away, so 'man' goes too; the zero stays (it says nothing).
    assert result.values == {"woman": None, "man": None, "nonbinary": 0, "total": 43}
    assert result.secondary == {"man"}


def test_the_complement_is_the_smallest_other_cell():
    result = suppress_breakdown({"a": 2, "b": 50, "c": 9, "d": 12})
    assert result.values["a"] is None and result.values["c"] is None
    assert result.values["b"] == 50 and result.values["d"] == 12
    assert result.values["total"] == 73


def test_two_small_cells_that_add_up_to_fewer_than_five_need_a_third():
    result = suppress_breakdown({"a": 1, "b": 2, "c": 30, "d": 40})
    hidden = {k for k, v in result.values.items() if v is None}
    assert hidden == {"a", "b", "c"}
    # What a reader can work out: a + b + c = 73 - 40 = 33, which pins none of them.
    assert result.values["total"] == 73


def test_small_total_is_hidden_with_everything_in_it():
    result = suppress_breakdown({"a": 1, "b": 2})
    assert all(v is None for v in result.values.values())


def test_published_total_forces_the_complement_onto_a_member():
    result = suppress_breakdown({"a": 3, "b": 6}, total_published=True)
    assert result.values == {"a": None, "b": None, "total": 9}


def test_published_cells_stay_even_when_small():
    result = suppress({"x": 2, "y": 10, "t": 12}, [relation("t", ["x", "y"])], published=["x"])
    assert result.values["x"] == 2


def test_nothing_to_hide_changes_nothing():
    result = suppress_breakdown({"a": 5, "b": 0, "c": 17})
    assert result.values == {"a": 5, "b": 0, "c": 17, "total": 22}
    assert not result.suppressed


def test_relations_must_add_up_and_refer_to_known_cells():
    with pytest.raises(ValueError):
        suppress({"a": 1, "t": 5}, [relation("t", ["a"])])
    with pytest.raises(KeyError):
        suppress({"a": 1}, [relation("t", ["a"])])
    with pytest.raises(ValueError):
        suppress({"a": 1}, [], threshold=0)


def test_grid_protects_rows_columns_and_margins():
    grid = {("gender", "achieved"): 2, ("gender", "not_achieved"): 10, ("gender", "no_mentor"): 8,
            ("race", "achieved"): 20, ("race", "not_achieved"): 15, ("race", "no_mentor"): 9}
    result = suppress_grid(grid, ["gender", "race"], ["achieved", "not_achieved", "no_mentor"])
    v = result.values
    assert v[("gender", "achieved")] is None
    _assert_no_relation_gives_a_cell_away(result, ["gender", "race"], ["achieved", "not_achieved", "no_mentor"])


def _grid_relations(rows, columns):
    rels = [(("r", r), [(r, c) for c in columns], (r, "total")) for r in rows]
    rels += [(("c", c), [(r, c) for r in rows], ("total", c)) for c in columns]
    rels.append((("m", 1), [(r, "total") for r in rows], ("total", "total")))
    rels.append((("m", 2), [("total", c) for c in columns], ("total", "total")))
    return rels


def _assert_no_relation_gives_a_cell_away(result, rows, columns):
    v = result.values
    for _name, members, total in _grid_relations(rows, columns):
        cells = [*members, total]
        hidden = [k for k in cells if v[k] is None]
        assert len(hidden) != 1, (cells, hidden)


def _interval_of_hidden_cells(shown_total, hidden_count):
    """With a shown total and n >= 2 hidden non-negative cells, each lies anywhere in [0, S]."""
    return (0, shown_total) if hidden_count >= 2 else None


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=40), min_size=1))
def test_breakdown_invariants(counts):
    result = suppress_breakdown(counts)
    v = result.values
    for key, n in counts.items():
        # No shown cell counts one to four people.
        if v[key] is not None:
            assert not 0 < n < 5
    hidden = [k for k in counts if v[k] is None]
    if v["total"] is not None and hidden:
        # The total minus the shown cells equals the sum of the hidden ones: that sum must not
        # be a small group, and it must be spread over at least two cells.
        assert len(hidden) >= 2
        hidden_sum = v["total"] - sum(v[k] for k in counts if v[k] is not None)
        assert hidden_sum == 0 or hidden_sum >= 5
        # Each hidden cell could be anything from 0 to the hidden sum: a reader cannot pin it.
        assert _interval_of_hidden_cells(hidden_sum, len(hidden)) == (0, hidden_sum)
    if v["total"] is None:
        assert sum(counts.values()) < 5 or len(hidden) >= 1


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=25), min_size=3, max_size=3), min_size=2, max_size=3))
def test_grid_invariants_and_brute_force_audit(matrix):
    rows = [f"r{i}" for i in range(len(matrix))]
    columns = ["c0", "c1", "c2"]
    grid = {(r, c): matrix[i][j] for i, r in enumerate(rows) for j, c in enumerate(columns)}
    result = suppress_grid(grid, rows, columns)
    v = result.values
    for key, value in v.items():
        if value is not None and key in grid:
            assert not 0 < grid[key] < 5
    _assert_no_relation_gives_a_cell_away(result, rows, columns)
    # Brute-force audit: every hidden interior cell of a primary-suppressed value must have at
    # least two values consistent with everything shown (small tables only).
    hidden_inner = [k for k in grid if v[k] is None]
    if not hidden_inner or len(hidden_inner) > 3:
        return
    bound = 26
    solutions = {k: set() for k in hidden_inner}
    for guess in itertools.product(range(bound), repeat=len(hidden_inner)):
        candidate = dict(grid)
        candidate.update(zip(hidden_inner, guess, strict=True))
        ok = True
        for r in rows:
            total = v[(r, "total")]
            if total is not None and sum(candidate[(r, c)] for c in columns) != total:
                ok = False
                break
        if ok:
            for c in columns:
                total = v[("total", c)]
                if total is not None and sum(candidate[(r, c)] for r in rows) != total:
                    ok = False
                    break
        if ok:
            for k, g in zip(hidden_inner, guess, strict=True):
                solutions[k].add(g)
    for k in hidden_inner:
        if k in result.primary:
            assert len(solutions[k]) >= 2, (k, solutions[k])
