"""Suppression for the monthly report's figures beside the published bulletin.

- A one-way table of counts with its total (flags by rule, warnings by kind): small counts and
  enough complements to protect them, as in the bulletin (`suppressed_breakdown`).
- A rate over bulletin cells (a province's coverage: its counties' enrolled over their
  eligible persons), rounded: publishable when the interval audit, with the rate's bounds
  added, leaves every hidden cell protected (`rate_is_publishable`).
  The bulletin's own suppression is never changed, so the report and the published bulletin
  hide exactly the same cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import HIDDEN
from .audit import Cell, Relation, equal, intervals
from .suppress import suppress

TOTAL = "__total__"


def suppressed_breakdown(counts: Mapping[str, int], threshold: int) -> set[str]:
    """The parts (and possibly TOTAL) of a one-way breakdown not to publish: counts from 1 to
    `threshold`, and complements so that none of them follows from the total."""
    values: dict[Cell, float] = {label: float(v) for label, v in counts.items()}
    values[TOTAL] = float(sum(counts.values()))
    hidden = suppress(values, values, [equal(TOTAL, list(counts))], threshold)
    return {str(cell) for cell in hidden}


def published_counts(labels: Sequence[str], counts: Sequence[int], threshold: int) -> list:
    """A one-way breakdown as published, in its order: each count, or HIDDEN."""
    hidden = suppressed_breakdown(dict(zip(labels, map(int, counts), strict=True)), threshold)
    return [HIDDEN if label in hidden else int(n) for label, n in zip(labels, counts, strict=True)]


def rate_is_publishable(
    values: Mapping[Cell, float],
    hidden: set[Cell],
    relations: Sequence[Relation],
    numerator: Sequence[Cell],
    denominator: Sequence[Cell],
    rounded: float,
    step: float,
    threshold: int,
) -> bool:
    """Whether the rate Σ numerator / Σ denominator, published as `rounded` (a multiple of
    `step`, so the true rate is within step/2 of it), leaves every `hidden` cell of a table
    whose other cells `values` are published still protected.

    The two sums become unknowns tied to their parts, and the rounding gives
    (rounded − step/2)·Σ denominator ≤ Σ numerator ≤ (rounded + step/2)·Σ denominator.
    A rate over published parts tells nothing new; a rate over large sums is coarse enough to
    say little about a hidden part; the audit decides in between.

    `hidden` is taken to be protected already by the table's own suppression, so only the
    hidden cells tied to the rate through other hidden cells are audited again: the rest keep
    the ranges they had (at the province tier, 3,402 programmes instead of 106,550)."""
    if not any(p in hidden for p in (*numerator, *denominator)):
        return True
    low, high = rounded - step / 2, rounded + step / 2
    extended = {**values, _NUMERATOR: 0.0, _DENOMINATOR: 0.0}
    added = [
        equal(_NUMERATOR, list(numerator)),
        equal(_DENOMINATOR, list(denominator)),
        Relation(((_NUMERATOR, 1), (_DENOMINATOR, -low)), slack=True),
        Relation(((_DENOMINATOR, high), (_NUMERATOR, -1)), slack=True),
    ]
    unknown = set(hidden) | {_NUMERATOR, _DENOMINATOR}
    ranges = intervals(extended, unknown, [*relations, *added], near=_NUMERATOR)
    return all(high_ - low_ > threshold + 1e-6
               for cell, (low_, high_) in ranges.items() if cell in hidden)  # fmt: skip


_NUMERATOR = ("__rate__", "numerator")
_DENOMINATOR = ("__rate__", "denominator")
