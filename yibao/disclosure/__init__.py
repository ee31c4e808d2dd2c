"""Statistical disclosure control of published aggregates: small-cell suppression with
complementary cells (suppress), and the interval audit that proves it (audit). The threshold is
the seed ref_disclosure_control (small_cell_threshold, 10 persons by default)."""

from __future__ import annotations

import csv
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "seeds" / "ref_disclosure_control.csv"
#: how a hidden cell is written in a published file
HIDDEN = "*"


def small_cell_threshold(seed: Path = SEED) -> int:
    """Counts from 1 to this many persons are not published."""
    with seed.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["parameter"] == "small_cell_threshold":
                return int(row["value"])
    raise KeyError(f"no small_cell_threshold in {seed}")
