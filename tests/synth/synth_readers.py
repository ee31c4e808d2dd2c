"""Read generated files back for the generator tests, independently of the ingestion."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.parquet as pq
from python_calamine import CalamineWorkbook


def read_rows(path: Path) -> tuple[list[str], dict[int, dict[str, str]]]:
    """(header, {row number: record}) with the row-number convention of docs/architecture.md."""
    if path.suffix == ".xlsx":
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        top, leaves = grid[2], grid[3]
        header = [leaf if leaf != "" else group for group, leaf in zip(top, leaves, strict=True)]
        rows = {
            i + 1: {h: _text(v) for h, v in zip(header, row, strict=True)}
            for i, row in enumerate(grid)
            if i >= 4 and row[0] != "合计"
        }
        return header, rows
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        records = table.to_pylist()
        return table.column_names, {
            i + 2: {k: _text(v) for k, v in r.items()} for i, r in enumerate(records)
        }
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    return header, {i + 2: dict(zip(header, r, strict=True)) for i, r in enumerate(reader)}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
