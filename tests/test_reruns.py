"""Reruns and month stability (issue 9, part 2), on DuckDB.

- Re-running a month gives the same warehouse: every analyst table, the raw and intermediate
  layers and every export file, compared by content fingerprint (yibao.fingerprint).
- Loading month N+1 leaves month N's rows of every mart as they were, unless month N+1 brings
  a correction for month N. For settlements the correction is a reversal (冲销,
  refd_setl_flag = 1) of a month-N settlement: it nets that settlement out of month N, which
  restates month N's checks and flags of that settlement, its region's monitoring indicators,
  and the admission-rate peer statistics of the month. The test allows a change only where
  such a reversal explains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from tiny_pipeline import built_sql, copy_data, run_month, state

#: Marts without a delivery month: the current state of a dimension or of a whole year.
CURRENT_STATE = {"dim_person", "dim_region", "fct_benefit_pool_ratio"}
#: Marts with a region's indicators, restated by a reversal of a settlement of that region.
REGION_INDICATORS = {"fct_monitoring_monthly", "fct_monitoring_change", "fct_monitoring_alert"}


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


@dataclass(frozen=True)
class Reversed:
    """Settlements of month N or before that a later delivery reversed."""

    settlements: frozenset[str]
    counties: frozenset[str]
    inpatient_months: frozenset[str]

    def explains(self, table: str, row: dict) -> bool:
        if table in REGION_INDICATORS:
            return any(c.startswith(row["region_code"]) for c in self.counties)
        if row.get("settlement_id") is not None:
            return bool({row["settlement_id"], row.get("related_settlement_id")}
                        & self.settlements)
        # an institution's admission rate is judged against its peers' admissions of the month
        return row.get("rule_id") == "admission_rate_outlier" and (
            row["delivery_month"] in self.inpatient_months)


def _reversed(restricted: Path, month: str) -> Reversed:
    with duckdb.connect(str(restricted), read_only=True) as con:
        con.execute("""
            create temp table reversed_ as
            select o.setl_id, o.psn_no, o.mdtrtarea_admvs, o.med_type, o._delivery_month
            from raw.raw_settlements as r
            join raw.raw_settlements as o on o.setl_id = r.setl_id and o.refd_setl_flag = '0'
            where r.refd_setl_flag = '1' and r._delivery_month > ? and o._delivery_month <= ?
        """, [month, month])
        settlements = {s for (s,) in con.execute("select setl_id from reversed_").fetchall()}
        counties = {c for (c,) in con.execute("""
            select mdtrtarea_admvs from reversed_ union
            select e.insuplc_admdvs from reversed_ join raw.raw_enrolment as e using (psn_no)
        """).fetchall() if c}
        months = {m for (m,) in con.execute(
            "select _delivery_month from reversed_ where med_type = '21'").fetchall()}
    return Reversed(frozenset(settlements), frozenset(counties), frozenset(months))


def _changed(con, table: str, columns: list[str], month: str) -> list[tuple]:
    listed = ", ".join(f'"{c}"' for c in columns)
    rows = f"select {listed} from {{}}.marts.{table} where delivery_month <= '{month}'"
    return con.execute(
        f"({rows.format('before')} except all {rows.format('after')}) union all "
        f"({rows.format('after')} except all {rows.format('before')})"
    ).fetchall()


def _stable(before: Path, after: Path, restricted: Path, month: str) -> dict[str, int]:
    """Assert month ≤ `month` rows are equal in both, or changed by a later reversal; return
    the number of restated rows per table."""
    reversed_ = _reversed(restricted, month)
    restated = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{before}' as before (read_only)")
        con.execute(f"attach '{after}' as after (read_only)")
        con.execute("use before")
        for table, columns in _month_marts(con):
            changed = [dict(zip(columns, r, strict=True))
                       for r in _changed(con, table, columns, month)]
            unexplained = [r for r in changed if not reversed_.explains(table, r)]
            assert unexplained == [], (table, len(unexplained), unexplained[:2])
            if changed:
                restated[table] = len(changed)
    return restated


def test_loading_the_next_month_leaves_a_month_alone(small_tier, small_warehouse):
    restricted = small_warehouse / "restricted.duckdb"
    first, second = small_tier.months[:2]
    one = _stable(small_warehouse / "after_one_month.duckdb",
                  small_warehouse / "after_two_months.duckdb", restricted, first)
    two = _stable(small_warehouse / "after_two_months.duckdb",
                  small_warehouse / "warehouse.duckdb", restricted, second)
    # the small tier reverses settlements of the month before: the exception is exercised
    assert {"fct_monitoring_monthly", "fct_benefit_check"} <= set(one) | set(two)


@pytest.mark.parametrize("column", ["finding_category", "region_code"])
def test_the_stability_check_sees_a_changed_row(small_tier, small_warehouse, tmp_path, column):
    """The check itself: a changed finding in an earlier month fails it, also in a restated
    table outside the reversals' regions."""
    altered = tmp_path / "altered.duckdb"
    altered.write_bytes((small_warehouse / "after_two_months.duckdb").read_bytes())
    table = "fct_reconciliation_finding" if column == "finding_category" else (
        "fct_monitoring_monthly")
    with duckdb.connect(str(altered)) as con:
        con.execute(f"""
            update marts.{table} set {column} = 'altered'
            where rowid = (select min(rowid) from marts.{table}
                           where delivery_month = '{small_tier.months[0]}')
        """)
    with pytest.raises(AssertionError, match=table):
        _stable(small_warehouse / "after_one_month.duckdb", altered,
                small_warehouse / "restricted.duckdb", small_tier.months[0])
