"""Parquet files written in pieces: each chunk of a tier appends its rows as row groups."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP = 1 << 20


class Appenders:
    """One open ParquetWriter per path; the first table appended fixes the schema."""

    def __init__(self) -> None:
        self._writers: dict[Path, pq.ParquetWriter] = {}
        self._rows: dict[Path, int] = {}

    def rows(self, path: Path) -> int:
        """Rows appended to `path` so far."""
        return self._rows.get(path, 0)

    def append(self, path: Path, table: pa.Table) -> None:
        writer = self._writers.get(path)
        if writer is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            self._writers[path] = writer
        writer.write_table(table.cast(writer.schema), row_group_size=ROW_GROUP)
        self._rows[path] = self.rows(path) + table.num_rows

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
