"""xlsx reader (the poverty roster): title rows, a one- or two-level header, data, a 合计 row.

The first sheet is read with fastexcel as text, one Arrow row per sheet row, so the sheet's own
row numbers stay known. The header row is found by content; the row below it is a second header
level when it names contract columns (the columns merged under 所在地区).
"""

from __future__ import annotations

import re
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yibao.contracts import FileKind
from yibao.ingest.errors import ContractError
from yibao.ingest.header import assemble, extra_notice, match_header
from yibao.ingest.result import ReadResult
from yibao.ingest.sniff import OLE2, ZIP, looks_like

HEADER_SEARCH_ROWS = 20
TOTAL_LABEL = "合计"
# fastexcel renders a date cell as 'YYYY-MM-DD 00:00:00'; a date column shows it as a date.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def read_xlsx(path: Path, kind: FileKind, display: str | None = None) -> ReadResult:
    """Read the first sheet of a delivered workbook; ContractError for a file-level defect."""
    display = display or str(path)
    sheet_name, cells = _load(path, display)
    head = [_row(cells, i) for i in range(min(HEADER_SEARCH_ROWS, cells.num_rows))]
    header_index = _find_header(head, kind, display)
    names, levels = _header_names(head, header_index, kind)
    first_data = header_index + levels

    data = cells.slice(first_data)
    keep, notices = _data_rows(data)
    mask = pa.array(keep)
    numbers = pa.array(np.arange(first_data + 1, cells.num_rows + 1, dtype=np.int64))
    data, numbers = data.filter(mask), numbers.filter(mask)

    unnamed_ok = [data.column(i).null_count == data.num_rows for i in range(data.num_columns)]
    header = match_header(names, kind, display, row=header_index + 1, unnamed_ok=unnamed_ok)
    columns = list(data.columns)
    for c in kind.columns:
        if c.kind == "date":
            position = header.contract[c.name]
            columns[position] = pc.replace_substring_regex(columns[position], _MIDNIGHT, r"\1")
    table, extra_columns = assemble(columns, header, kind, numbers, sheet=sheet_name)
    return ReadResult(
        kind=kind,
        rows_delivered=table.num_rows,
        table=table,
        extra_columns=extra_columns,
        notices=extra_notice(header.extras) + notices,
    )


def _data_rows(data: pa.Table) -> tuple[np.ndarray, list[str]]:
    """Which rows below the header are delivered data: not blank, not the final 合计 row."""
    keep = _non_blank(data)
    notices: list[str] = []
    filled = np.flatnonzero(keep)
    if not filled.size:
        return keep, ["no 合计 row below the data"]
    last = int(filled[-1])
    blank_inside = last + 1 - filled.size
    total_row = _row(data, last)
    if _first_value(total_row).startswith(TOTAL_LABEL):
        keep[last] = False
        delivered = filled.size - 1
        stated = [int(v) for v in total_row[1:] if v and re.fullmatch(r"\d+", v.strip())]
        if stated and delivered not in stated:
            notices.append(f"合计 row states {stated[0]:,} but {delivered:,} rows are delivered")
    else:
        notices.append("no 合计 row below the data")
    if blank_inside:
        notices.append(f"{blank_inside} blank row(s) skipped")
    return keep, notices


def _load(path: Path, display: str) -> tuple[str, pa.Table]:
    with path.open("rb") as handle:
        head = handle.read(4096)
        if head.startswith(OLE2):  # the encryption stream can sit anywhere in the container
            head += handle.read(256 << 20)
    if not head.startswith(ZIP):
        raise ContractError(display, f"wrong file kind: {looks_like(head)}, not an xlsx workbook")
    try:
        reader = fastexcel.read_excel(path)
        # the first visible sheet: a hidden sheet of lookup values may come before the roster
        sheets = [reader.load_sheet(i, header_row=None, dtypes="string", skip_rows=0)
                  for i in range(len(reader.sheet_names))]
        sheet = next((s for s in sheets if s.visible == "visible"), sheets[0])
        return sheet.name, sheet.to_arrow()
    except Exception as error:  # fastexcel raises its own error classes for every defect
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ContractError(display, f"unreadable or truncated xlsx: {reason}") from None


def _row(table: pa.Table, index: int) -> list[str | None]:
    return [column[index].as_py() for column in table.columns]


def _first_value(row: list[str | None]) -> str:
    return next((v.strip() for v in row if v and v.strip()), "")


def _find_header(head: list[list[str | None]], kind: FileKind, display: str) -> int:
    """The first row naming at least three contract columns (序号, 姓名, ... for the roster)."""
    wanted = set(kind.column_names)
    needed = min(3, len(wanted))
    for index, row in enumerate(head):
        if len({(v or "").strip() for v in row} & wanted) >= needed:
            return index
    raise ContractError(
        display,
        f"no header row naming {', '.join(kind.column_names[:3])} ... "
        f"in the first {HEADER_SEARCH_ROWS} rows",
    )


def _header_names(
    head: list[list[str | None]], index: int, kind: FileKind
) -> tuple[list[str | None], int]:
    """Column names, and whether the header has one or two levels."""
    top = [(v or "").strip() or None for v in head[index]]
    if index + 1 >= len(head):
        return top, 1
    below = [(v or "").strip() or None for v in head[index + 1]]
    wanted = set(kind.column_names)
    first = kind.column_names[0]
    names_more = any(v in wanted and v not in top for v in below)
    under_first = below[top.index(first)] if first in top else None
    if not names_more or under_first is not None:
        return top, 1
    return [b if b is not None else t for t, b in zip(top, below, strict=True)], 2


def _non_blank(table: pa.Table) -> np.ndarray:
    """True for rows with at least one non-empty cell."""
    keep = np.zeros(table.num_rows, dtype=bool)
    for column in table.columns:
        filled = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(column), ""), False)
        keep |= np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)
    return keep
