"""Readers of delivered files, one per format, and the dispatch by file format."""

from __future__ import annotations

from pathlib import Path

from yibao.contracts import FileKind
from yibao.ingest.csv_reader import read_csv
from yibao.ingest.errors import ContractError
from yibao.ingest.parquet_reader import read_parquet
from yibao.ingest.result import ReadResult, RowReject
from yibao.ingest.xlsx_reader import read_xlsx

__all__ = ["ReadResult", "RowReject", "read_csv", "read_delivery", "read_parquet", "read_xlsx"]

_READERS = {"csv": read_csv, "xlsx": read_xlsx, "parquet": read_parquet}


def read_delivery(path: Path, kind: FileKind, file_format: str, display: str) -> ReadResult:
    """Read one delivered file with the reader of its format."""
    if file_format not in _READERS:
        raise ContractError(display, f"no reader for .{file_format} files")
    try:
        return _READERS[file_format](path, kind, display)
    except ContractError:
        raise
    except Exception as error:  # no bare library error for a bad file: name the file
        raise ContractError(
            display, f"unreadable {file_format} file: {type(error).__name__}: {error}"
        ) from error
