"""Real GB/T 2260 region codes with their validity years, from python-stdnum's cn/loc.dat.

loc.dat lists every province (2 digits), and under it 4-digit suffixes for cities (``xx00``) and
counties, each name optionally prefixed by its validity years, e.g. ``[2000-]施甸县`` or
``[1983-2001]东市区,[2002-]瑶海区``. `region_rows` flattens it into the rows of the
``ref_region_codes`` seed, which `yibao seeds` writes and a test keeps in step with the package.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

_ENTRY = re.compile(r"^(?:\[(?P<start>\d*)-(?P<end>\d*)\])?(?P<name>.+)$")
SEED_COLUMNS = (
    "admdvs",
    "region_code",
    "region_level",
    "region_name",
    "parent_admdvs",
    "valid_from_year",
    "valid_to_year",
)


@dataclass(frozen=True)
class CodeName:
    code: str
    name: str
    start: int | None  # first year valid, None = before the list begins
    end: int | None  # last year valid, None = still valid

    def valid_in(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and (self.end is None or year <= self.end)


@lru_cache(maxsize=1)
def load_codes() -> tuple[CodeName, ...]:
    """Every (code, name, validity) of loc.dat at province (2 digits), city and county level
    (6 digits)."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    out: list[CodeName] = []
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            province, rest = line.split(" ", 1)
            out.append(CodeName(province, _value(rest), None, None))
            continue
        suffix, rest = line.strip().split(" ", 1)
        for entry in _value(rest).split(","):
            m = _ENTRY.match(entry)
            if m is None:
                raise ValueError(f"loc.dat: cannot read {entry!r}")
            out.append(
                CodeName(
                    province + suffix,
                    m["name"],
                    int(m["start"]) if m["start"] else None,
                    int(m["end"]) if m["end"] else None,
                )
            )
    return tuple(out)


def _value(rest: str) -> str:
    return rest.split("=", 1)[1].strip().strip('"')


def level_of(admdvs: str) -> str:
    if admdvs.endswith("0000"):
        return "province"
    if admdvs.endswith("00"):
        return "city"
    return "county"


def region_rows() -> list[dict[str, str]]:
    """One row per code and validity period, province, city and county levels."""
    rows = []
    for c in load_codes():
        admdvs = c.code.ljust(6, "0")
        if len(c.code) == 6 and c.code.endswith("0000"):
            continue  # the province repeated as its own 0000 entry
        level = level_of(admdvs)
        code = {"province": admdvs[:2], "city": admdvs[:4], "county": admdvs}[level]
        parent = {"province": "", "city": admdvs[:2] + "0000", "county": admdvs[:4] + "00"}[level]
        rows.append(
            {
                "admdvs": admdvs,
                "region_code": code,
                "region_level": level,
                "region_name": c.name,
                "parent_admdvs": parent,
                "valid_from_year": "" if c.start is None else str(c.start),
                "valid_to_year": "" if c.end is None else str(c.end),
            }
        )
    return rows


def write_region_seed(path: Path) -> int:
    rows = region_rows()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SEED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
