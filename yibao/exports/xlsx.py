"""One-sheet xlsx files with Chinese headers, written atomically and byte for byte the same on
a re-run (fixed document dates), so re-running a month gives the same exports."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

from yibao.crashpoints import crash_point

#: document properties are fixed: the file's content is its data
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def write_value(worksheet, row: int, column: int, value) -> None:
    """One cell: text stays text, numbers stay numbers, None (or NaN) stays empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, str):
        worksheet.write_string(row, column, value)
    else:
        worksheet.write_number(row, column, float(value))


def write_sheet(
    path: Path,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    notes: Sequence[str] = (),
) -> int:
    """Write ``rows`` under ``headers`` to ``path`` (replacing it atomically); return the row
    count. Numbers stay numbers, None stays an empty cell. ``notes`` go to a second sheet,
    说明, one per row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    workbook = xlsxwriter.Workbook(str(partial), {"constant_memory": True})
    workbook.set_properties({"created": FIXED_DATE})
    worksheet = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True})
    for column, header in enumerate(headers):
        worksheet.write_string(0, column, header, bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            write_value(worksheet, count, column, value)
    worksheet.freeze_panes(1, 0)
    if notes:
        explained = workbook.add_worksheet("说明")
        for line, note in enumerate(notes):
            explained.write_string(line, 0, note)
    workbook.close()
    crash_point("export.file_written")
    os.replace(partial, path)
    return count
