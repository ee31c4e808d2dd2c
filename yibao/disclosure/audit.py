"""The interval audit of a suppressed table: how far can a reader narrow a hidden cell?

A reader knows every published cell and every relation between cells (a county is the sum of
its townships, 困难人员 = 不符合参保条件 + 应参保, a subset is at most its superset). The
hidden cells and the unpublished remainders ("slack") are unknowns, all ≥ 0. For each hidden
cell two linear programmes give the smallest and the largest value consistent with all of it;
the cell is protected when that range is wider than the suppression threshold.

A relation is ``Σ coefficient·cell = 0``, or with slack ``Σ coefficient·cell = slack ≥ 0``
(the unpublished remainder), so ``b ≥ a`` is ``b − a = slack``.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

Cell = Hashable


@dataclass(frozen=True)
class Relation:
    """``Σ coefficient·cell = 0``; with slack, ``Σ coefficient·cell ≥ 0``."""

    terms: tuple[tuple[Cell, int], ...]
    slack: bool = False

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for cell, _ in self.terms)


def equal(total: Cell, parts: Iterable[Cell]) -> Relation:
    """total = Σ parts."""
    return Relation(((total, 1), *((p, -1) for p in parts)))


def at_least(total: Cell, parts: Iterable[Cell]) -> Relation:
    """total ≥ Σ parts (the rest is not published)."""
    return Relation(((total, 1), *((p, -1) for p in parts)), slack=True)


def groups(
    relations: list[Relation], cells: Iterable[Cell]
) -> Iterator[tuple[set[Cell], list[Relation]]]:
    """Cells that share no relation cannot inform each other: each connected block of `cells`
    with the relations that name them (union-find, linear in cells and relations). Only
    `cells` join a block: given the hidden cells, a published cell is a constant, and a total
    over many published parts (a province's rate over its counties) does not tie their blocks
    together. A relation that names none of `cells` is in no block."""
    parent: dict[Cell, Cell] = {c: c for c in cells}

    def root(c: Cell) -> Cell:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    members = [[c for c in relation.cells if c in parent] for relation in relations]
    for first, *rest in filter(None, members):
        for other in rest:
            parent[root(other)] = root(first)
    found: dict[Cell, tuple[set[Cell], list[Relation]]] = {}
    for c in parent:
        found.setdefault(root(c), (set(), []))[0].add(c)
    for relation, named in zip(relations, members, strict=True):
        if named:
            found[root(named[0])][1].append(relation)
    yield from found.values()


def intervals(
    values: Mapping[Cell, float],
    hidden: set[Cell],
    relations: list[Relation],
    near: Cell | None = None,
) -> dict[Cell, tuple[float, float]]:
    """The feasible range of every hidden cell, given the published ones and the relations;
    with `near`, of the hidden cells in its block only (the others do not depend on it)."""
    ranges: dict[Cell, tuple[float, float]] = {}
    for block, inside in groups(relations, hidden):
        if near is None or near in block:
            ranges.update(_block_intervals(values, sorted(block, key=repr), inside))
    return ranges


def _block_intervals(values, unknown, relations, only=None):
    """The feasible ranges of the `unknown` cells of one block (of the `only` ones, if given:
    every hidden cell is still an unknown of the programmes). One HiGHS model per block; each
    cell's minimum and maximum change only the objective, so HiGHS starts from the last basis."""
    column = {cell: i for i, cell in enumerate(unknown)}
    width = len(unknown)  # then one slack column per relation with slack
    entries: list[tuple[int, int, float]] = []  # (row, column, coefficient)
    b_eq = np.zeros(len(relations))
    for row, relation in enumerate(relations):
        for cell, coefficient in relation.terms:
            if cell in column:
                entries.append((row, column[cell], coefficient))
            else:
                b_eq[row] -= coefficient * values[cell]
        if relation.slack:
            entries.append((row, width, -1.0))
            width += 1
    solver = _programme(entries, width, b_eq)
    found = {}
    for cell, i in column.items():
        if only is not None and cell not in only:
            continue
        solver.changeColCost(i, 1.0)
        low, high = (_optimum(solver, maximise, cell) for maximise in (False, True))
        solver.changeColCost(i, 0.0)
        found[cell] = (low, high)
    return found


def _programme(entries: list[tuple[int, int, float]], width: int, b_eq: np.ndarray):
    """A HiGHS model of `A · x = b_eq, x ≥ 0` with a zero objective, A given by its non-zero
    (row, column, coefficient) entries (a cell named twice in a relation adds up)."""
    import highspy  # loaded when a table is audited, not at import

    solver = _quiet(highspy.Highs)
    solver.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = width, len(b_eq)
    lp.col_cost_ = np.zeros(width)
    lp.col_lower_ = np.zeros(width)
    lp.col_upper_ = np.full(width, highspy.kHighsInf)
    lp.row_lower_ = lp.row_upper_ = b_eq
    table = np.array(entries, dtype=float).reshape(-1, 3)
    rows, columns = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    # column-wise storage: entries sorted by (column, row), duplicates summed, zeros dropped
    height = max(len(b_eq), 1)
    keys, position = np.unique(columns * height + rows, return_inverse=True)
    summed = np.bincount(position, weights=table[:, 2], minlength=len(keys))
    keys, summed = keys[summed != 0], summed[summed != 0]
    by_column, row_index = np.divmod(keys, height)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(by_column, np.arange(width + 1)).astype(np.int32)
    lp.a_matrix_.index_ = row_index.astype(np.int32)
    lp.a_matrix_.value_ = summed
    solver.passModel(lp)
    return solver


def _optimum(solver, maximise: bool, cell) -> float:
    import highspy

    solver.changeObjectiveSense(
        highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    )
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return solver.getInfo().objective_function_value
    # the minimum was found first, so the programme is feasible: no maximum means unbounded
    unbounded = (highspy.HighsModelStatus.kUnbounded,
                 highspy.HighsModelStatus.kUnboundedOrInfeasible)  # fmt: skip
    if maximise and status in unbounded:
        return math.inf
    raise ValueError(f"the published table contradicts its relations near {cell!r} ({status})")


def _quiet(make):
    """`make()` with the process's standard output closed: HiGHS prints its banner from C++ the
    first time a solver is made, into the operator's run log."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def exposed(
    values: Mapping[Cell, float], hidden: set[Cell], relations: list[Relation], threshold: int
) -> dict[Cell, tuple[float, float]]:
    """Hidden cells whose feasible range is not wider than `threshold`, with the range."""
    return _narrow(intervals(values, hidden, relations), threshold)


def exposed_in_block(
    values: Mapping[Cell, float],
    hidden: set[Cell],
    relations: list[Relation],
    threshold: int,
    check: set[Cell],
) -> dict[Cell, tuple[float, float]]:
    """`exposed` for one block (`relations` are the block's, `hidden` its hidden cells),
    solving only for the `check` cells. Hiding more cells only widens every range (a published
    value becomes one more unknown), so a cell once protected stays protected: the caller
    re-checks only the cells still exposed and the ones it has just hidden. Each programme
    holds only the hidden cells tied to the checked one through other hidden cells."""
    ranges: dict[Cell, tuple[float, float]] = {}
    for part, inside in groups(relations, hidden):
        if part & check:
            ranges.update(_block_intervals(values, sorted(part, key=repr), inside, only=check))
    return _narrow(ranges, threshold)


def _narrow(ranges, threshold):
    return {
        cell: (low, high) for cell, (low, high) in ranges.items() if high - low <= threshold + 1e-6
    }
