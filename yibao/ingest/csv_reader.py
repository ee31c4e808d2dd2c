"""CSV reader: encoding detection, then pyarrow's parser with ragged rows quarantined.

pyarrow parses serially so that the rows it hands to ``invalid_row_handler`` carry their row
number (header = row 1, quoted newlines stay inside one row); every other row's number follows.
A blank line keeps its row number but is not a delivered row.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from yibao.contracts import FileKind
from yibao.ingest.encoding import to_utf8
from yibao.ingest.errors import ContractError
from yibao.ingest.header import assemble, extra_notice, match_header
from yibao.ingest.result import ReadResult, RowReject
from yibao.ingest.sniff import refuse_binary


def read_csv(path: Path, kind: FileKind, display: str | None = None) -> ReadResult:
    """Read a delivered CSV; ContractError for a file-level defect."""
    display = display or str(path)
    data = path.read_bytes()
    refuse_binary(data, display, expected="csv")
    body, encoding = to_utf8(data, display)
    del data
    header_names = _header(body, display)
    if not any(n.strip() for n in header_names):
        raise ContractError(display, "no header row", row=1)
    if len(header_names) == 1 and len(kind.columns) > 1:
        for name, sign in (("semicolons", ";"), ("tabs", "\t")):
            if sign in header_names[0]:
                raise ContractError(display, f"fields separated by {name}, not commas", row=1)
    table, rejects = _parse(body, len(header_names), display)
    del body

    numbers = _row_numbers(table.num_rows, rejects)
    blank = _blank_rows(table)
    notices = []
    if blank is not None:
        keep = pc.invert(blank)
        notices.append(f"{table.num_rows - pc.sum(keep).as_py()} blank row(s) skipped")
        table, numbers = table.filter(keep), numbers.filter(keep)

    unnamed_ok = [table.column(i).null_count == table.num_rows for i in range(table.num_columns)]
    header = match_header(header_names, kind, display, row=1, unnamed_ok=unnamed_ok)
    assembled, extra_columns = assemble(table.columns, header, kind, numbers, sheet=None)
    return ReadResult(
        kind=kind,
        rows_delivered=table.num_rows + len(rejects),
        table=assembled,
        extra_columns=extra_columns,
        rejects=rejects,
        encoding=encoding,
        notices=extra_notice(header.extras) + notices,
    )


def _header(body: bytes, display: str) -> list[str]:
    end = body.find(b"\n")
    line = body if end < 0 else body[:end]
    try:
        return next(csv.reader([line.decode("utf-8").rstrip("\r")]), [])
    except csv.Error as error:
        raise ContractError(display, f"unparseable header: {error}", row=1) from None


def _parse(body: bytes, width: int, display: str) -> tuple[pa.Table, list[RowReject]]:
    names = [f"f{i}" for i in range(width)]
    rejects: list[RowReject] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        if row.number is None:  # only a parallel parse loses row numbers; we parse serially
            raise ContractError(display, "the CSV parser lost the row number of a ragged row")
        rejects.append(
            RowReject(
                row_number=row.number,
                reason=f"ragged row: {row.actual_columns} fields, expected {row.expected_columns}",
                record=json.dumps(_fields(row.text), ensure_ascii=False),
            )
        )
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(use_threads=False, column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except ContractError:
        raise
    except (pa.ArrowException, ValueError) as error:
        raise ContractError(display, f"unparseable CSV: {error}") from None
    return table, rejects


def _fields(text: str) -> list[str]:
    try:
        return [f for record in csv.reader(io.StringIO(text, newline="")) for f in record]
    except csv.Error:
        return [text]


def _row_numbers(parsed: int, rejects: list[RowReject]) -> pa.Array:
    """Row numbers of the parsed rows: 2, 3, ... without the numbers of the ragged rows."""
    every = np.arange(2, parsed + len(rejects) + 2, dtype=np.int64)
    if rejects:
        every = np.setdiff1d(every, [r.row_number for r in rejects], assume_unique=True)
    return pa.array(every)


def _blank_rows(table: pa.Table) -> pa.Array | None:
    """A mask of the rows without any value, or None if there is none."""
    if table.num_rows == 0 or table.num_columns == 0:
        return None
    blank = pc.is_null(table.column(0))
    for column in table.columns[1:]:
        blank = pc.and_(blank, pc.is_null(column))
    blank = blank.combine_chunks() if isinstance(blank, pa.ChunkedArray) else blank
    return blank if pc.any(blank).as_py() else None
