"""The PII scanner: no ID number, mobile number or delivered person's name where analysts and
departments look.

It walks every column of every table and view of the analyst warehouse (in SQL, inside
DuckDB), every cell of every file under exports/ except ``exports/restricted/`` (the
poverty office's own exchange, documented in docs/reconciliation.md), and every text and chart
value of the monthly reports under reports/ (HTML and xlsx), and reports values
- shaped like an ID number: 18 digits (the last may be X), 15 digits, also in full-width
  characters, standing alone (inside a hex digest a digit run is bounded by letters);
- shaped like a mainland mobile number: 11 digits from 13x to 19x, standing alone;
- equal to a person's name as delivered: every name column of the raw layer (姓名, 户主姓名,
  成员姓名, 缴费人姓名, psn_name) in the restricted database.

`yibao scan-pii` runs it; CI runs it over the small tier (tests/test_pii_scanner.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
from python_calamine import CalamineWorkbook

from yibao import contracts as C

_ALONE_BEFORE, _ALONE_AFTER = "(^|[^0-9A-Za-z０-９])", "([^0-9A-Za-z０-９]|$)"
ID_SHAPES = f"{_ALONE_BEFORE}([0-9０-９]{{17}}[0-9０-９XxＸｘ]|[0-9]{{15}}){_ALONE_AFTER}"
MOBILE_SHAPE = f"{_ALONE_BEFORE}1[3-9][0-9]{{9}}{_ALONE_AFTER}"
NAME_COLUMNS = ("姓名", "户主姓名", "成员姓名", "缴费人姓名", "psn_name")
#: exports/ subfolder that is allowed to hold identifiers (it goes back to their owner)
RESTRICTED_EXPORTS = "restricted"


@dataclass
class ScanReport:
    columns: int = 0
    files: int = 0
    cells: int = 0
    names_known: int = 0
    leaks: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = (
            f"{self.columns} warehouse columns and {self.files} export and report files "
            f"({self.cells:,} "
            f"cells) scanned against {self.names_known:,} delivered names: "
        )
        return head + ("no leak" if not self.leaks else f"{len(self.leaks)} leaks")


def delivered_names(restricted: Path) -> set[str]:
    """Every person name of the raw layer."""
    with duckdb.connect(str(restricted), read_only=True) as con:
        names: set[str] = set()
        for kind in C.ALL_KINDS:
            for column in kind.column_names:
                if column in NAME_COLUMNS:
                    names |= {
                        n for (n,) in con.execute(
                            f'select distinct trim("{column}") from raw.{kind.raw_table} '
                            f'where "{column}" is not null'
                        ).fetchall() if n
                    }  # fmt: skip
    return names


_SHAPES = (("ID-shaped", ID_SHAPES), ("mobile-shaped", MOBILE_SHAPE))
_TEXT_TYPES = ("VARCHAR", "CHAR", "TEXT", "STRING")


def scan_warehouse(warehouse: Path, names: set[str], report: ScanReport) -> None:
    """One query per table: every column against both shapes (as text: an ID can hide in a
    BIGINT), and every text column against the names."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        known = pa.table({"name": pa.array(sorted(names), pa.string())})
        con.register("known_names", known)
        columns = con.execute("""
            select table_schema, table_name, list(column_name order by ordinal_position),
                list(data_type order by ordinal_position)
            from information_schema.columns
            where table_catalog = current_database() and table_schema <> 'temp'
            group by all order by all
        """).fetchall()
        for schema, table, names_, types in columns:
            checks = []
            for column, type_ in zip(names_, types, strict=True):
                value = f'cast("{column}" as varchar)'
                for what, pattern in _SHAPES:
                    checks.append((column, what, f"regexp_matches({value}, '{pattern}')"))
                if type_.upper() in _TEXT_TYPES:
                    names_sql = f"trim({value}) in (select name from known_names)"
                    checks.append((column, "name", names_sql))
            counts = con.execute(
                "select "
                + ", ".join(f"count(*) filter (where {sql})" for _, _, sql in checks)
                + f' from "{schema}"."{table}"'
            ).fetchone()
            report.columns += len(names_)
            for (column, what, _), count in zip(checks, counts, strict=True):
                if count:
                    report.leaks.append(f"{schema}.{table}.{column}: {count} {what} values")


def _file_cells(path: Path) -> list[str]:
    if path.suffix.lower() in (".xlsx", ".xls"):
        workbook = CalamineWorkbook.from_path(str(path))
        return [
            str(v)
            for name in workbook.sheet_names
            for row in workbook.get_sheet_by_name(name).to_python()
            for v in row
        ]
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".html":
        return _page_values(text)
    return text.splitlines()


@cache
def _plotly_bundle() -> str:
    """plotly.js as the reports inline it (4.6 MB, read once per scan, not once per page)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _page_values(page: str) -> list[str]:
    """An HTML report's values: its text between tags and the string and number literals of
    its charts' data, without the inlined plotly.js library (code, not data)."""
    page = page.replace(_plotly_bundle(), "")
    texts = re.findall(r">([^<>]+)<", page)
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', page)
    # whole numbers only: a float's digits after the point are no ID
    numbers = re.findall(r"(?<![0-9.])[0-9]{15,18}(?![0-9.])", page)
    return [t for t in texts if t.strip()] + strings + numbers


def scan_files(folder: Path, label: str, names: set[str], report: ScanReport) -> None:
    shapes = re.compile(f"{ID_SHAPES}|{MOBILE_SHAPE}")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if label == "exports" and relative.parts[0] == RESTRICTED_EXPORTS:
            continue
        cells = _file_cells(path)
        report.files += 1
        report.cells += len(cells)
        bad = [c for c in cells if shapes.search(c) or c.strip() in names]
        if bad:
            report.leaks.append(f"{label}/{relative}: {len(bad)} identifying values")


def scan(
    warehouse: Path, exports: Path, restricted: Path, extra_names=(), reports: Path | None = None
) -> ScanReport:
    names = delivered_names(restricted) | set(extra_names)
    report = ScanReport(names_known=len(names))
    scan_warehouse(warehouse, names, report)
    for folder, label in ((exports, "exports"), (reports, "reports")):
        if folder is not None and folder.exists():
            scan_files(folder, label, names, report)
    return report
