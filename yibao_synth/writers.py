"""Writers for the delivered formats: CSV in the departments' encodings, Parquet, and xlsx.

The CSV writer is vectorised: each column is converted to text, quoted only where needed, and the
columns are joined with pyarrow.compute; the lines then leave as one buffer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ENCODINGS = {"gbk": "gbk", "gb18030": "gb18030", "utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}


def _as_text(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if pa.types.is_date(col.type):
        text = pc.strftime(col, "%Y-%m-%d")
    elif pa.types.is_timestamp(col.type):
        text = pc.strftime(col, "%Y-%m-%d %H:%M:%S")
    else:
        text = pc.cast(col, pa.string())
    needs_quote = pc.match_substring_regex(text, r'[",\r\n]')
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    text = pc.if_else(needs_quote, quoted, text)
    return pc.fill_null(text, "")


def csv_bytes(table: pa.Table, encoding: str = "utf-8") -> bytes:
    """The table as CSV with a header line, CRLF-free, in `encoding`."""
    header = ",".join(table.column_names) + "\n"
    if table.num_rows == 0:
        return header.encode(ENCODINGS[encoding])
    columns = [_as_text(table[c]) for c in table.column_names]
    lines = pc.binary_join_element_wise(*columns, ",")
    lines = pc.binary_join_element_wise(lines, "\n", "")
    body = _string_data(lines)
    if encoding == "utf-8":
        return header.encode("utf-8") + body
    return (header + body.decode("utf-8")).encode(ENCODINGS[encoding])


def _string_data(arr: pa.Array) -> bytes:
    """The concatenated bytes of a string array's values, without copying value by value."""
    arr = arr.cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)
    start, end = offsets[arr.offset], offsets[arr.offset + len(arr)]
    return arr.buffers()[2].to_pybytes()[start:end]


def write_csv(path: Path, table: pa.Table, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(table, encoding))


def write_parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)
