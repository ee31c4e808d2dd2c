"""Reruns and month stability (issue 9, part 2), on DuckDB.

- Re-running a month gives the same warehouse: every analyst table, the raw and intermediate
  layers and every export file, compared by content fingerprint (yibao.fingerprint).
- Loading month N+1 leaves month N's rows of every mart exactly as they were. A correction of
  month N is a new version of its files (`_v2`), delivered in month N's folder and loaded by
  re-running month N (the test above). A settlement reversal (冲销, refd_setl_flag = 1)
  delivered in month N+1 counts in month N+1 (int_settlements_netted): the small tier reverses
  settlements of the month before, so the test sees that it restates nothing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tiny_pipeline import built_sql, copy_data, run_month, state

#: Marts without a delivery month: the current state of a dimension or of a whole year.
CURRENT_STATE = {"dim_person", "dim_region", "fct_benefit_pool_ratio"}


def test_rerunning_a_month_gives_the_same_warehouse(tiny_pipeline, tmp_path):
    """2019-11 again, after 2019-12 was loaded: nothing at all changes."""
    data = copy_data(tiny_pipeline.complete, tmp_path / "data")
    done = run_month(tiny_pipeline.landing, data, tiny_pipeline.months[0])
    assert done.returncode == 0, done.stderr[-3000:]
    # the incremental models rebuilt the month and the later month that may read it
    first, second = tiny_pipeline.months
    assert f"in ('{first}', '{second}')" in built_sql(data, "int_id_number_checks")
    again, before = state(data), state(tiny_pipeline.complete)
    assert len(again.published) >= 20 and len(again.restricted) >= 50
    assert again == before


def _month_marts(con) -> list[tuple[str, list[str]]]:
    tables = con.execute("""
        select table_name, list(column_name order by ordinal_position)
        from information_schema.columns
        where table_catalog = current_database() and table_schema = 'marts'
        group by table_name
        order by table_name
    """).fetchall()
    unclassified = {t for t, cols in tables if "delivery_month" not in cols} - CURRENT_STATE
    assert not unclassified, f"give these marts a delivery_month or list them: {unclassified}"
    return [(t, cols) for t, cols in tables if "delivery_month" in cols]


def _late_reversals(restricted: Path, month: str) -> int:
    """Reversals delivered after `month` of settlements delivered in `month` or before."""
    with duckdb.connect(str(restricted), read_only=True) as con:
        return con.execute(
            """
            select count(*)
            from raw.raw_settlements as r
            join raw.raw_settlements as o on o.setl_id = r.setl_id and o.refd_setl_flag = '0'
            where r.refd_setl_flag = '1' and r._delivery_month > ? and o._delivery_month <= ?
        """,
            [month, month],
        ).fetchone()[0]


def _changed(con, table: str, columns: list[str], month: str) -> list[tuple]:
    listed = ", ".join(f'"{c}"' for c in columns)
    rows = f"select {listed} from {{}}.marts.{table} where delivery_month <= '{month}'"
    return con.execute(
        f"({rows.format('before')} except all {rows.format('after')}) union all "
        f"({rows.format('after')} except all {rows.format('before')})"
    ).fetchall()


def _stable(before: Path, after: Path, month: str) -> None:
    """Assert every mart's rows of month ≤ `month` are equal in both."""
    with duckdb.connect() as con:
        con.execute(f"attach '{before}' as before (read_only)")
        con.execute(f"attach '{after}' as after (read_only)")
        con.execute("use before")
        for table, columns in _month_marts(con):
            changed = _changed(con, table, columns, month)
            assert changed == [], (table, len(changed), changed[:2])


def test_loading_the_next_month_leaves_a_month_alone(small_tier, small_warehouse):
    restricted = small_warehouse / "restricted.duckdb"
    first, second = small_tier.months[:2]
    # the next month reverses settlements of these months: the case is exercised
    assert _late_reversals(restricted, first) > 0 and _late_reversals(restricted, second) > 0
    _stable(
        small_warehouse / "after_one_month.duckdb",
        small_warehouse / "after_two_months.duckdb",
        first,
    )
    _stable(
        small_warehouse / "after_two_months.duckdb", small_warehouse / "warehouse.duckdb", second
    )


@pytest.mark.parametrize("column", ["finding_category", "region_code"])
def test_the_stability_check_sees_a_changed_row(small_tier, small_warehouse, tmp_path, column):
    """The check itself: a changed finding or indicator of an earlier month fails it."""
    altered = tmp_path / "altered.duckdb"
    altered.write_bytes((small_warehouse / "after_two_months.duckdb").read_bytes())
    table = {
        "finding_category": "fct_reconciliation_finding",
        "region_code": "fct_monitoring_monthly",
    }[column]
    with duckdb.connect(str(altered)) as con:
        con.execute(f"""
            update marts.{table} set {column} = 'altered'
            where rowid = (select min(rowid) from marts.{table}
                           where delivery_month = '{small_tier.months[0]}')
        """)
    with pytest.raises(AssertionError, match=table):
        _stable(small_warehouse / "after_one_month.duckdb", altered, small_tier.months[0])
