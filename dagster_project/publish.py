"""Publish the load audit to the analyst warehouse: counts only, never a delivered value.

The restricted database holds the raw rows and the rejected records; analysts see which files
were loaded, how many rows were delivered, loaded and rejected, and in which column rows were
rejected.
"""

from __future__ import annotations

from .resources import DuckDBFile

AUDIT_TABLES = {
    "load_log": """
        select delivery_month, kind, department, source_file, version, file_hash, file_format,
            encoding, rows_delivered, rows_loaded, rows_rejected, status, notice, loaded_at
        from restricted.raw.load_log""",
    "rejects_by_column": """
        select delivery_month, kind, source_file, column_name, count(*) as rows_rejected
        from restricted.raw.rejects group by all""",
}


def publish_load_log(restricted: DuckDBFile, warehouse: DuckDBFile) -> None:
    with warehouse.get_connection() as con:
        con.execute(f"attach '{restricted.database}' as restricted (read_only)")
        try:
            con.execute("begin")
            con.execute("create schema if not exists audit")
            for name, query in AUDIT_TABLES.items():
                con.execute(f"create or replace table audit.{name} as {query}")
            con.execute("commit")
        finally:
            con.execute("detach restricted")
