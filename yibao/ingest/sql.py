"""Quoting for the SQL text the ingestion builds (identifiers and literals come from contracts)."""

from __future__ import annotations


def ident(name: str) -> str:
    """A DuckDB identifier, e.g. a Chinese header name."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A DuckDB string literal."""
    return "'" + value.replace("'", "''") + "'"
