"""Delivery months."""

from __future__ import annotations

import numpy as np


def parse_months(spec: str) -> list[str]:
    """'2019-07:2020-06' → ['2019-07', ..., '2020-06']; a single 'YYYY-MM' is one month."""
    first, _, last = spec.partition(":")
    last = last or first
    start, end = np.datetime64(first, "M"), np.datetime64(last, "M")
    if end < start:
        raise ValueError(f"months {spec!r}: the end is before the start")
    return [str(m) for m in np.arange(start, end + 1)]


def month_start(month: str) -> np.datetime64:
    return np.datetime64(month + "-01", "D")


def month_end(month: str) -> np.datetime64:
    return (np.datetime64(month, "M") + 1).astype("datetime64[D]") - 1


def yyyymm(month: str) -> str:
    return month.replace("-", "")
