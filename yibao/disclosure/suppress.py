"""Small-cell suppression with complementary suppression, checked by the interval audit.

Primary suppression hides every count from 1 to the threshold (10 by default, as the US CMS
cell-suppression policy: no cell of 1 to 10 persons is shown). A hidden cell can still be
worked out from the cells around it (a county's total minus its other townships), so
complementary cells are hidden too, until every hidden cell's feasible range (yibao.disclosure
.audit) is wider than the threshold. For a cell still exposed, the next cell to hide is one that
shares a relation with it: the cheapest by the caller's cost (a township before its county, a
detail before the headline figures) among the counts above the threshold, else among the
other non-zero counts; a published zero only when nothing else is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .audit import Cell, Relation, exposed_in_block, groups


class SuppressionError(RuntimeError):
    """No choice of complementary cells protects the table."""


def primary(values: Mapping[Cell, float], counts: Iterable[Cell], threshold: int) -> set[Cell]:
    return {cell for cell in counts if 1 <= values[cell] <= threshold}


def _next_to_hide(cell, relations, values, hidden, counts, threshold, cost):
    neighbours = {
        other
        for relation in relations
        if cell in relation.cells
        for other in relation.cells
        if other not in hidden and other in counts
    }
    if not neighbours:
        return None
    for usable in (
        [c for c in neighbours if values[c] > threshold],
        [c for c in neighbours if values[c] > 0],
        list(neighbours),  # a published zero only as a last resort
    ):
        if usable:
            return min(usable, key=lambda c: (cost(c), repr(c)))
    return None


def suppress(
    values: Mapping[Cell, float],
    counts: Iterable[Cell],
    relations: list[Relation],
    threshold: int,
    cost: Callable[[Cell], tuple] | None = None,
    max_rounds: int = 200,
) -> set[Cell]:
    """The cells to hide: primary ones and enough complementary ones to protect them. `cost`
    orders the candidates for complementary suppression (cheapest first; by default the
    smallest count). Each group of related cells (a county with its townships) is protected on
    its own."""
    counts = set(counts)
    cost = cost or (lambda c: (values[c],))
    hidden = primary(values, counts, threshold)
    for block, inside in groups(relations, values):
        hidden |= _protect(values, hidden & block, counts & block, inside, threshold, cost,
                           max_rounds)  # fmt: skip
    return hidden


def _protect(values, hidden, counts, relations, threshold, cost, max_rounds) -> set[Cell]:
    check = set(hidden)
    for _ in range(max_rounds):
        open_cells = exposed_in_block(values, hidden, relations, threshold, check)
        if not open_cells:
            return hidden
        added = set()
        for cell in sorted(open_cells, key=repr):
            extra = _next_to_hide(cell, relations, values, hidden | added, counts, threshold, cost)
            if extra is not None:
                added.add(extra)
        if not added:
            raise SuppressionError(f"cannot protect {sorted(open_cells, key=repr)[:3]}")
        hidden = hidden | added
        check = set(open_cells) | added
    raise SuppressionError(f"no protection after {max_rounds} rounds")
