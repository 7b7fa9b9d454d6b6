"""Small-cell suppression for aggregates over sensitive attributes and survey answers.

Pure Python, no Django. A table is a mapping of cell keys to counts plus the additive
relations that hold between them ("these members add up to that total"). A count of 1 to
``threshold - 1`` people is suppressed (primary suppression). Then, as long as any relation
would let a reader work a suppressed cell out from the cells still shown, more cells are
suppressed (secondary suppression):

* a relation with exactly one suppressed cell (a member or its total) gives it away by
  subtraction, so a second cell in the relation is suppressed;
* a relation whose total is shown and whose suppressed members add up to fewer than
  ``threshold`` people reveals a small group, so another member is suppressed.

Complementary cells are picked smallest first (losing the least information), never a
cell the caller published elsewhere (``published``), and zeros only when nothing else is
left, because a reader may know a structural zero. Zero cells are never suppressed on
their own: "nobody" describes no one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

THRESHOLD = 5


@dataclass(frozen=True)
class Relation:
    """``sum(counts[m] for m in members) == counts[total]``."""

    total: Hashable
    members: tuple[Hashable, ...]


@dataclass
class Suppressed:
    values: dict[Hashable, int | None]
    primary: set[Hashable] = field(default_factory=set)
    secondary: set[Hashable] = field(default_factory=set)

    def is_suppressed(self, key: Hashable) -> bool:
        return self.values.get(key) is None

    @property
    def suppressed(self) -> set[Hashable]:
        return self.primary | self.secondary


def relation(total: Hashable, members: Iterable[Hashable]) -> Relation:
    return Relation(total=total, members=tuple(members))


def suppress(
    counts: Mapping[Hashable, int],
    relations: Sequence[Relation] = (),
    *,
    threshold: int = THRESHOLD,
    published: Iterable[Hashable] = (),
) -> Suppressed:
    """Return the counts with every cell that could identify fewer than ``threshold`` people
    replaced by None. ``published`` cells are shown elsewhere already and stay shown."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    for rel in relations:
        missing = [k for k in (rel.total, *rel.members) if k not in counts]
        if missing:
            raise KeyError(f"relation refers to unknown cells: {missing}")
        if sum(counts[m] for m in rel.members) != counts[rel.total]:
            raise ValueError(f"members of {rel.total!r} do not add up to it")
    fixed = set(published)
    primary = {k for k, n in counts.items() if 0 < n < threshold and k not in fixed}
    hidden = set(primary)

    def complement(rel: Relation, exclude: set) -> Hashable | None:
        candidates = [m for m in rel.members if m not in hidden and m not in fixed and m not in exclude]
        nonzero = [m for m in candidates if counts[m] > 0]
        pool = nonzero or candidates
        if pool:
            return min(pool, key=lambda m: (counts[m], str(m)))
        if rel.total not in hidden and rel.total not in fixed:
            return rel.total
        return None

    changed = True
    while changed:
        changed = False
        for rel in relations:
            cells = (rel.total, *rel.members)
            hidden_here = [k for k in cells if k in hidden]
            if not hidden_here:
                continue
            hidden_members = [m for m in rel.members if m in hidden]
            needs_more = len(hidden_here) == 1
            if not needs_more and rel.total not in hidden:
                hidden_sum = sum(counts[m] for m in hidden_members)
                needs_more = 0 < hidden_sum < threshold
            if not needs_more:
                continue
            pick = complement(rel, set())
            if pick is None:
                # Nothing left to hide in this relation: everything but the published cells goes.
                for k in cells:
                    if k not in fixed and k not in hidden:
                        hidden.add(k)
                        changed = True
                continue
            hidden.add(pick)
            changed = True
    values = {k: (None if k in hidden else n) for k, n in counts.items()}
    return Suppressed(values=values, primary=primary, secondary=hidden - primary)


def suppress_breakdown(
    counts: Mapping[str, int], *, total_key: str = "total", threshold: int = THRESHOLD, total_published: bool = False
) -> Suppressed:
    """A one-way breakdown (categories that add up to a total shown beside them)."""
    cells = dict(counts)
    cells[total_key] = sum(counts.values())
    return suppress(cells, [relation(total_key, list(counts))], threshold=threshold,
                    published=[total_key] if total_published else [])


def suppress_grid(
    grid: Mapping[tuple[str, str], int], rows: Sequence[str], columns: Sequence[str], *, threshold: int = THRESHOLD
) -> Suppressed:
    """A two-way table with row totals (row, "total"), column totals ("total", column) and the
    grand total ("total", "total"); every row and column relation is protected."""
    cells: dict[tuple[str, str], int] = {}
    for r in rows:
        for c in columns:
            cells[(r, c)] = grid.get((r, c), 0)
        cells[(r, "total")] = sum(cells[(r, c)] for c in columns)
    for c in columns:
        cells[("total", c)] = sum(cells[(r, c)] for r in rows)
    cells[("total", "total")] = sum(cells[(r, "total")] for r in rows)
    relations = [relation((r, "total"), [(r, c) for c in columns]) for r in rows]
    relations += [relation(("total", c), [(r, c) for r in rows]) for c in columns]
    relations.append(relation(("total", "total"), [(r, "total") for r in rows]))
    relations.append(relation(("total", "total"), [("total", c) for c in columns]))
    return suppress(cells, relations, threshold=threshold)
