"""The load audit analysts may see: counts per file and column, never a delivered value. One
definition for both homes of it, the DuckDB candidate warehouse (dagster_project/publish.py)
and the Parquet lake of the Spark target (yibao/lake.py)."""

from __future__ import annotations

from yibao.ingest.sql import literal

_QUERIES = {
    "load_log": """
        select {month_column}kind, department, source_file, version, file_hash, file_format,
            encoding, rows_delivered, rows_loaded, rows_rejected, status, notice, loaded_at
        from {raw}.load_log{where}""",
    "rejects_by_column": """
        select {month_column}kind, source_file, column_name, count(*) as rows_rejected
        from {raw}.rejects{where} group by all""",
}
AUDIT_TABLE_NAMES = tuple(_QUERIES)


def audit_query(name: str, raw: str, month: str | None = None) -> str:
    """Audit table `name` from the raw schema `raw`: every month with its `delivery_month`
    column, or one `month` without it (the month is then the lake's partition)."""
    if month is None:
        return _QUERIES[name].format(month_column="delivery_month, ", raw=raw, where="")
    where = f" where delivery_month = {literal(month)}"
    return _QUERIES[name].format(month_column="", raw=raw, where=where)
