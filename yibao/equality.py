"""Are two builds of the analyst marts the same? One from DuckDB, one from Spark (exported as
Parquet by ``yibao.spark_jobs export``), compared table by table inside DuckDB.

Each table's rows are put in canonical form: every numeric column rounded to the cent (a
DECIMAL(38, 2), so 5, 5.0 and 5.004 agree), every value then as text, so that engine types
(INT vs BIGINT, DOUBLE vs DECIMAL) do not matter but values do. Two tables are equal when they
have the same columns and the same multiset of canonical rows: `EXCEPT ALL` both ways is empty,
which is a row-by-row comparison after a canonical sort, without the sort.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


@dataclass
class TableComparison:
    table: str
    rows_left: int = 0
    rows_right: int = 0
    only_left: int = 0
    only_right: int = 0
    column_differences: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.column_differences or self.only_left or self.only_right) and (
            self.rows_left == self.rows_right
        )

    def __str__(self) -> str:
        if self.equal:
            return f"{self.table}: equal ({self.rows_left:,} rows)"
        detail = "; ".join(self.column_differences) or (
            f"{self.rows_left:,} vs {self.rows_right:,} rows, {self.only_left:,} only left, "
            f"{self.only_right:,} only right; e.g. {' | '.join(self.examples)}"
        )
        return f"{self.table}: DIFFERENT: {detail}"


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    rows = con.execute(f"describe select * from {relation}").fetchall()
    return {name: type_ for name, type_, *_ in rows}


def _canonical(name: str, types: tuple[str, str]) -> str:
    quoted = '"' + name.replace('"', '""') + '"'
    if any(t.split("(")[0] in _NUMERIC for t in types):
        return f"cast(round(cast({quoted} as double), 2) as decimal(38, 2))::varchar as {quoted}"
    return f"cast({quoted} as varchar) as {quoted}"


def compare_tables(
    con: duckdb.DuckDBPyConnection, table: str, left: str, right: str, examples: int = 3
) -> TableComparison:
    """Compare relations `left` and `right` (any DuckDB relation text) as the table `table`."""
    result = TableComparison(table)
    left_columns, right_columns = _columns(con, left), _columns(con, right)
    missing = sorted(set(left_columns) - set(right_columns))
    extra = sorted(set(right_columns) - set(left_columns))
    if missing:
        result.column_differences.append(f"only left has {', '.join(missing)}")
    if extra:
        result.column_differences.append(f"only right has {', '.join(extra)}")
    if result.column_differences:
        return result
    listed = ", ".join(
        _canonical(name, (left_columns[name], right_columns[name])) for name in left_columns
    )
    con.execute(f"create or replace temp view canonical_left as select {listed} from {left}")
    con.execute(f"create or replace temp view canonical_right as select {listed} from {right}")
    (
        result.rows_left,
        result.rows_right,
        result.only_left,
        result.only_right,
    ) = con.execute("""
        select (select count(*) from canonical_left), (select count(*) from canonical_right),
            (select count(*) from (from canonical_left except all from canonical_right)),
            (select count(*) from (from canonical_right except all from canonical_left))
    """).fetchall()[0]
    for side, query in (
        ("left", "from canonical_left except all from canonical_right"),
        ("right", "from canonical_right except all from canonical_left"),
    ):
        for row in con.execute(f"{query} limit {examples}").fetchall():
            result.examples.append(f"{side} {row}")
    return result


def compare_marts(duckdb_warehouse: Path, spark_export: Path) -> list[TableComparison]:
    """Every table of schema `marts` in the DuckDB warehouse against its Spark export
    (`<spark_export>/<table>/*.parquet`); a table only one side has is reported as different."""
    con = duckdb.connect()
    con.execute(f"attach '{duckdb_warehouse}' as duck (read_only)")
    duck_tables = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where database_name = 'duck' "
            "and schema_name = 'marts'"
        ).fetchall()
    }
    spark_tables = {p.name for p in Path(spark_export).iterdir() if p.is_dir()}
    results = []
    for table in sorted(duck_tables | spark_tables):
        if table not in duck_tables or table not in spark_tables:
            side = "DuckDB" if table in duck_tables else "Spark"
            results.append(TableComparison(table, column_differences=[f"only {side} has it"]))
            continue
        parquet = Path(spark_export) / table / "*.parquet"
        results.append(
            compare_tables(con, table, f"duck.marts.{table}", f"read_parquet('{parquet}')")
        )
    con.close()
    return results
