"""Which delivered files hold the rows a failed expectation rejects, for the operator's message.

Great Expectations reports how many rows failed, not where they came from (the gates keep no
unexpected values: raw and staging rows hold ID numbers). For a failed critical expectation the
gate asks DuckDB for the rejected rows' `source_file` and `source_row_number`, with the same
condition the expectation checks, so a failure message can name the file and rows to look at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

#: the columns that say where a row was delivered (staging, raw) or found (marts)
FILE_COLUMNS = (
    ("source_file", "source_row_number"),
    ("_source_file", "_row_number"),
    ("evidence_file", "evidence_row_number"),
)
ROWS_SHOWN = 5


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def rejected_rows_query(batch: str, kind: str, kwargs: Mapping[str, Any]) -> str | None:
    """A query of the rows of `batch` (a subquery) that the expectation rejects; None for a
    kind this does not know."""
    column = kwargs.get("column")
    if kind == "unexpected_rows_expectation":
        return kwargs["unexpected_rows_query"].replace("{batch}", f"({batch})")
    if kind == "expect_column_values_to_not_be_null":
        return f"select * from ({batch}) where {column} is null"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in kwargs["value_set"])
        return f"select * from ({batch}) where {column} is not null and {column} not in ({values})"
    if kind == "expect_column_values_to_be_between":
        bounds = []
        if kwargs.get("min_value") is not None:
            bounds.append(f"{column} < {_literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            bounds.append(f"{column} > {_literal(kwargs['max_value'])}")
        return f"select * from ({batch}) where {' or '.join(bounds) or 'false'}"
    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        columns = ", ".join(kwargs.get("column_list") or [column])
        return (
            f"select * from ({batch}) where ({columns}) in "
            f"(select ({columns}) from ({batch}) group by all having count(*) > 1)"
        )
    return None


def rejected_files(
    con: duckdb.DuckDBPyConnection, batch: str, kind: str, kwargs: Mapping[str, Any]
) -> list[str]:
    """'<file> rows 3, 17, 42 (12 rows)' for each file holding rejected rows, largest first;
    empty when the rows carry no file column or the expectation's kind is unknown."""
    query = rejected_rows_query(batch, kind, kwargs)
    if query is None:
        return []
    columns = {c[0] for c in con.execute(f"select * from ({query}) limit 0").description}
    for file_column, row_column in FILE_COLUMNS:
        if file_column in columns:
            rows = con.execute(
                f"""
                select {file_column}, count(*),
                       list({row_column} order by {row_column})[1:{ROWS_SHOWN}]
                from ({query}) group by 1 order by 2 desc, 1
                """
            ).fetchall()
            return [
                f"{file} rows {', '.join(str(r) for r in shown)}"
                + (f" ({count} rows)" if count > len(shown) else "")
                for file, count, shown in rows
            ]
    return []
