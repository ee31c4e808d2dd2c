"""Content fingerprints of a warehouse: one digest per table, computed inside DuckDB.

Two builds are the same when every table has the same fingerprint. A fingerprint covers the
table's columns (names and types, in order) and its rows as a multiset: each row's text form
is hashed, the hashes are sorted and hashed together, so the physical row order (which DuckDB
does not promise) does not matter, and every value does, to the last bit of a DOUBLE.

Only the load timestamp is left out (``VOLATILE_COLUMNS``): it records when a load happened,
and a re-run happens at another time by definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from yibao.ingest.sql import ident

#: Columns that record wall-clock time, per table (and ``_loaded_at`` of every raw.raw_* table);
#: everything else must be reproducible.
VOLATILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "audit.load_log": ("loaded_at",),
    "raw.load_log": ("loaded_at",),
    "raw.rejects": ("loaded_at",),
}


@dataclass(frozen=True)
class Fingerprint:
    table: str
    rows: int
    digest: str

    def __str__(self) -> str:
        return f"{self.table:<45}{self.rows:>12,}  {self.digest}"


def table_fingerprint(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, leave_out: tuple[str, ...] = ()
) -> Fingerprint:
    """The fingerprint of ``schema.table``, without the columns in ``leave_out``."""
    relation = f"{ident(schema)}.{ident(table)}"
    columns = [
        (name, type_)
        for name, type_, *_ in con.execute(f"describe {relation}").fetchall()
        if name not in leave_out
    ]
    listed = ", ".join(ident(name) for name, _ in columns)
    header = "|".join(f"{name}:{type_}" for name, type_ in columns)
    rows, digest = con.execute(
        f"""
        select count(*), md5(? || coalesce(string_agg(row_hash, '' order by row_hash), ''))
        from (select md5(cast(row({listed}) as varchar)) as row_hash from {relation})
        """,
        [header],
    ).fetchone()
    return Fingerprint(f"{schema}.{table}", rows, digest)


def fingerprints(
    database: Path, schemas: tuple[str, ...] = ("audit", "marts")
) -> dict[str, Fingerprint]:
    """Fingerprints of every table and view of ``schemas`` in the DuckDB file ``database``."""
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            """
            select table_schema, table_name from information_schema.tables
            where table_catalog = current_database() and list_contains(?, table_schema)
            order by all
            """,
            [list(schemas)],
        ).fetchall()
        found = {}
        for schema, table in tables:
            leave_out = VOLATILE_COLUMNS.get(f"{schema}.{table}", ())
            if schema == "raw" and table.startswith("raw_"):
                leave_out = ("_loaded_at",)
            found[f"{schema}.{table}"] = table_fingerprint(con, schema, table, leave_out)
    return found
