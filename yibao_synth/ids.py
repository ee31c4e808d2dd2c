"""Resident ID numbers (居民身份证号码), vectorised.

An 18-digit number is region (6) + birth date (8) + order (3, odd for men) + check character,
ISO 7064 MOD 11-2 over the first 17 digits. The pre-1999 15-digit form drops the century and the
check character. The corruptions below are the ID anomalies of POLICY_RULES.md section 4.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARS = np.array(list("10X98765432"))
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def body17(region: np.ndarray, birth_yyyymmdd: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The first 17 digits as int64: region * 10**11 + birth * 1000 + order."""
    return region.astype(np.int64) * 10**11 + birth_yyyymmdd.astype(np.int64) * 1000 + order


def check_chars(body: np.ndarray) -> np.ndarray:
    digits = (body[:, None] // (10 ** np.arange(16, -1, -1, dtype=np.int64))) % 10
    return CHECK_CHARS[(digits @ WEIGHTS) % 11]


def id18(body: np.ndarray) -> pa.Array:
    """Valid 18-character ID strings for 17-digit bodies."""
    text = pc.utf8_lpad(pc.cast(pa.array(body), pa.string()), 17, "0")
    return pc.binary_join_element_wise(text, pa.array(check_chars(body)), "")


def to15(ids: pa.Array) -> pa.Array:
    """The legacy 15-digit form: region, 2-digit year, month, day, order."""
    return pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(ids, 0, 6), pc.utf8_slice_codeunits(ids, 8, 17), ""
    )


def with_bad_check(ids: pa.Array) -> pa.Array:
    """Replace the check character by a wrong one."""
    last = np.array(pc.utf8_slice_codeunits(ids, 17, 18).to_pylist())
    pos = np.searchsorted(np.sort(CHECK_CHARS), last)  # any deterministic shift works
    wrong = np.sort(CHECK_CHARS)[(pos + 3) % 11]
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(ids, 0, 17), pa.array(wrong), "")


def with_wrong_length(ids: pa.Array, rng: np.random.Generator) -> pa.Array:
    """Drop one digit (17 characters) or repeat one (19 characters)."""
    n = len(ids)
    at = rng.integers(6, 17, n)
    longer = rng.random(n) < 0.5
    out = []
    for s, i, grow in zip(ids.to_pylist(), at, longer, strict=True):
        out.append(s[: i + 1] + s[i:] if grow else s[:i] + s[i + 1 :])
    return pa.array(out, pa.string())


def full_width(ids: pa.Array) -> pa.Array:
    return pa.array([s.translate(FULL_WIDTH) for s in ids.to_pylist()], pa.string())


def lower_x(ids: pa.Array) -> pa.Array:
    return pc.utf8_lower(ids)


def is_valid18(s: str) -> bool:
    """Scalar check used by tests: 18 characters, digits, and a correct check character."""
    if len(s) != 18 or not s[:17].isdigit():
        return False
    body = np.array([int(s[:17])], dtype=np.int64)
    return str(check_chars(body)[0]) == s[17]
