"""Ground truth of the return-to-poverty early warning (S9.3), computed at the end from every
written settlement and the month's poor and exited persons: per month, a person not poor that
month (or registered poor who has exited) whose out-of-pocket cost (psn_part_amt) over the
settlements of the 12 months up to this one, as that month knows them (a settlement counts until
the month its reversal is delivered), reaches OOP_INCOME_SHARE of the per-capita
disposable income of their province (insuring county of their latest month in the window) in
the year before. Injected: each city and month, one person on no roster with a catastrophic
stay (CATASTROPHIC_FACTOR times the usual cost), who must be among them."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .benefits import INCOME_YUAN

OOP_INCOME_SHARE = Decimal("0.50")  # seed rule poverty_risk_oop_income_share
CATASTROPHIC_FACTOR = 25
WINDOW_MONTHS = 12


class RiskTotals:
    def __init__(self) -> None:
        self.settlements: list[pa.Table] = []
        self.status: list[pa.Table] = []

    def add(self, month: str, settlements: pa.Table, poor: pa.Table, exited: pa.Table) -> None:
        n = settlements.num_rows
        self.settlements.append(pa.table({
            "month": pa.array([month] * n, pa.string()),
            "person_uid": settlements["person_uid"],
            "setl_id": settlements["setl_id"],
            "county": pc.utf8_slice_codeunits(settlements["psn_no"], 0, 6),
            "oop": pc.cast(settlements["psn_part_amt"], pa.decimal128(18, 2)),
            "reversal": pc.equal(settlements["refd_setl_flag"], "1"),
            "injected": settlements["risk_fault"],
        }))
        self.status.append(pa.concat_tables([
            pa.table({"month": pa.array([month] * poor.num_rows, pa.string()),
                      "person_uid": poor["person_uid"],
                      "status": pa.array(["poor"] * poor.num_rows, pa.string())}),
            pa.table({"month": pa.array([month] * exited.num_rows, pa.string()),
                      "person_uid": exited["person_uid"],
                      "status": pa.array(["exited"] * exited.num_rows, pa.string())}),
        ]))

    def truth(self, months: list[str]) -> pa.Table:
        con = duckdb.connect()
        try:
            con.register("written", pa.concat_tables(self.settlements))
            con.register("status", pa.concat_tables(self.status))
            income = " union all ".join(f"select '{p}' as province, {y} as year, {v} as income"
                                        for (p, y), v in INCOME_YUAN.items())
            con.execute(f"create temp table income as {income}")
            con.execute("create temp table months as select * from "
                        "unnest(?::varchar[]) with ordinality as t(month, month_index)", [months])
            return con.sql(_TRUTH.format(window=WINDOW_MONTHS,
                                         share=OOP_INCOME_SHARE)).to_arrow_table()
        finally:
            con.close()


_TRUTH = """
with reversed as (
    select r.setl_id, m.month_index as reversed_index
    from written r join months m using (month) where r.reversal
), settlements as (
    select w.*, m.month_index from written w join months m using (month)
    where not w.reversal
), standing as (
    -- as month m knows them: a settlement stands until the month its reversal is delivered
    select m.month, m.month_index as current_index, s.*
    from months m join settlements s
        on s.month_index between m.month_index - {window} + 1 and m.month_index
    where not exists (select 1 from reversed r
                      where r.setl_id = s.setl_id and r.reversed_index <= m.month_index)
), windowed as (
    select month, current_index, person_uid, month_index, min(county) as county,
        sum(oop) as oop
    from standing group by all
), summed as (
    select month, person_uid, sum(oop) as oop_12, max(month_index) as latest
    from windowed group by all
), assessed as (
    select s.*, w.county,
        case when exists (select 1 from status x where x.month = s.month
                          and x.person_uid = s.person_uid and x.status = 'exited')
             then 'exited_at_risk' else 'non_poor_at_risk' end as kind,
        exists (select 1 from status x where x.month = s.month and x.person_uid = s.person_uid
                and x.status = 'poor') as poor
    from summed s join windowed w
        on w.month = s.month and w.person_uid = s.person_uid and w.month_index = s.latest
), warned as (
    select a.* from assessed a
    join income i on i.province = left(a.county, 2) and i.year = left(a.month, 4)::int - 1
    where (not a.poor or a.kind = 'exited_at_risk')
      and a.oop_12 >= round(i.income * {share}, 2)
), injected as (
    select distinct month, person_uid, county from written where injected is not null
)
select kind, 'poverty_risk' as grp, 'fct_poverty_risk_warning' as expected_table, person_uid,
    'healthcare' as department, null::varchar as source_file, null::bigint as row_number,
    county as column_name, oop_12::varchar as delivered_value, month as detail
from warned
union all
select 'poverty_risk_injected', 'poverty_risk_injected', 'fct_poverty_risk_warning', person_uid,
    'healthcare', null, null, county, null, month
from injected
order by all
"""
