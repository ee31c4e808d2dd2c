"""The raw layer's tables (docs/architecture.md), created if absent."""

from __future__ import annotations

import duckdb

from yibao.contracts import ALL_KINDS, FileKind
from yibao.ingest.sql import ident

SCHEMA = "raw"
REJECTS = f"{SCHEMA}.rejects"
LOAD_LOG = f"{SCHEMA}.load_log"

# Load metadata columns of every raw.raw_<kind> table, after the contract columns.
META_COLUMNS = (
    ("_source_file", "VARCHAR"),
    ("_sheet", "VARCHAR"),
    ("_row_number", "BIGINT"),
    ("_delivery_month", "VARCHAR"),
    ("_file_county", "VARCHAR"),
    ("_file_hash", "VARCHAR"),
    ("_extra_columns", "VARCHAR"),
    ("_loaded_at", "TIMESTAMP"),
)
REJECTS_COLUMNS = (
    ("delivery_month", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("row_number", "BIGINT"),
    ("column_name", "VARCHAR"),
    ("value", "VARCHAR"),
    ("reason", "VARCHAR"),
    ("record", "VARCHAR"),  # the delivered row as JSON text
    ("file_hash", "VARCHAR"),
    ("loaded_at", "TIMESTAMP"),
)
LOAD_LOG_COLUMNS = (
    ("delivery_month", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("department", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("version", "INTEGER"),
    ("file_hash", "VARCHAR"),
    ("file_format", "VARCHAR"),
    ("encoding", "VARCHAR"),
    ("rows_delivered", "BIGINT"),
    ("rows_loaded", "BIGINT"),
    ("rows_rejected", "BIGINT"),
    ("status", "VARCHAR"),  # loaded / duplicate / superseded
    ("notice", "VARCHAR"),
    ("loaded_at", "TIMESTAMP"),
)


def raw_table(kind: FileKind) -> str:
    return f"{SCHEMA}.{kind.raw_table}"


def raw_columns(kind: FileKind) -> tuple[tuple[str, str], ...]:
    return tuple((c, "VARCHAR") for c in kind.column_names) + META_COLUMNS


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw and its tables if absent; add contract columns a table lacks."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    tables = [(raw_table(k), raw_columns(k)) for k in ALL_KINDS]
    tables += [(REJECTS, REJECTS_COLUMNS), (LOAD_LOG, LOAD_LOG_COLUMNS)]
    for table, columns in tables:
        listed = ", ".join(f"{ident(name)} {type_}" for name, type_ in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({listed})")
        for name, type_ in columns:
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {ident(name)} {type_}")
