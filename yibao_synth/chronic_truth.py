"""Ground truth of the chronic-disease card checks (H6, G8), computed at the end from every
written settlement, card and poor person, with the thresholds of chronic.py (equal to the seed):

- eligible_without_card: a poor person (on the poverty roster, or 特困/低保/低边 在保) whose
  visit (not a reversal) that month names a card disease they hold no card for on the visit date;
  evidence: their first such visit of the month;
- card_unused: a card held since the first day of the month UNUSED_MONTHS − 1 months back, with
  no chronic visit for its disease in those UNUSED_MONTHS months up to this one (only where the
  tier has them all);
  evidence: the card row of the month;
- chronic_abnormal_frequency: more than MAX_VISITS_PER_MONTH chronic visits for one disease in a
  month; chronic_abnormal_cost: the month's chronic cost for one disease, on a log scale, more
  than COST_Z_MAX robust z-scores (median and MAD) above the peers with that disease that month,
  given MIN_PEERS peers; evidence: the first visit;
- certifier_below_standard (injected): a Guangxi card certified at a 一级 institution or by one
  doctor; evidence: the card row of the first month.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from . import chronic


class ChronicTotals:
    def __init__(self) -> None:
        self.visits: list[pa.Table] = []
        self.cards: list[pa.Table] = []
        self.poor: list[pa.Table] = []

    def add(self, month: str, settlements: pa.Table, settlements_file: str, first_row: int,
            cards: pa.Table, cards_file: str, cards_first_row: int, poor: pa.Table) -> None:
        n = settlements.num_rows
        self.visits.append(pa.table({
            "month": pa.array([month] * n, pa.string()),
            "person_uid": settlements["person_uid"],
            "med_type": settlements["med_type"],
            "dise_codg": settlements["dise_codg"],
            "begndate": settlements["begndate"],
            "cost": pc.cast(settlements["medfee_sumamt"], pa.float64()),
            "reversal": pc.equal(settlements["refd_setl_flag"], "1"),
            "source_file": pa.array([settlements_file] * n, pa.string()),
            "row_number": pa.array(range(first_row, first_row + n), pa.int64()),
            "injected": settlements["chronic_fault"],
        }))
        k = cards.num_rows
        self.cards.append(pa.table({
            "month": pa.array([month] * k, pa.string()),
            "person_uid": cards["person_uid"],
            "card": cards["opsp_dise_code"],
            "begndate": cards["begndate"],
            "source_file": pa.array([cards_file] * k, pa.string()),
            "row_number": pa.array(range(cards_first_row, cards_first_row + k), pa.int64()),
            "injected": cards["certifier_fault"],
        }))
        self.poor.append(pa.table({
            "month": pa.array([month] * poor.num_rows, pa.string()),
            "person_uid": poor["person_uid"],
        }))

    def truth(self, months: list[str]) -> pa.Table:
        con = duckdb.connect()
        try:
            con.register("visits_in", pa.concat_tables(self.visits))
            con.register("cards_in", pa.concat_tables(self.cards))
            con.register("poor_in", pa.concat_tables(self.poor))
            diseases = " union all ".join(
                f"select '{code}' as card, '{icd}' as icd" for code, _, icd, _ in chronic.DISEASES)
            con.execute(f"create temp table diseases as {diseases}")
            con.execute("create temp table months as select * from "
                        "unnest(?::varchar[]) with ordinality as t(month, month_index)", [months])
            return con.sql(_TRUTH.format(
                max_visits=chronic.MAX_VISITS_PER_MONTH, unused=chronic.UNUSED_MONTHS,
                z_max=chronic.COST_Z_MAX, min_peers=chronic.MIN_PEERS,
            )).to_arrow_table()
        finally:
            con.close()


_TRUTH = """
with visits as (
    select v.*, d.card from visits_in v
    join diseases d on starts_with(v.dise_codg, d.icd)
    where not v.reversal
), without_card as (
    select v.month, v.person_uid, v.card, min(v.source_file) as source_file,
        min(v.row_number) as row_number
    from visits v join poor_in p using (month, person_uid)
    where not exists (select 1 from cards_in c where c.month = v.month
                      and c.person_uid = v.person_uid and c.card = v.card
                      and c.begndate <= v.begndate)
    group by all
), chronic_visits as (
    select v.*, m.month_index from visits v join months m using (month) where v.med_type = '14'
), unused as (
    select c.month, c.person_uid, c.card, c.source_file, c.row_number
    from cards_in c join months m using (month)
    where m.month_index >= {unused}
      and c.begndate <= (c.month || '-01')::date - to_months({unused} - 1)
      and not exists (select 1 from chronic_visits v where v.person_uid = c.person_uid
                      and v.card = c.card
                      and v.month_index between m.month_index - {unused} + 1 and m.month_index)
), per_person as (
    select month, person_uid, card, count(*) as visit_count, ln(sum(cost)) as log_cost,
        min(source_file) as source_file, min(row_number) as row_number
    from chronic_visits group by all
), scored as (
    select p.*, median(log_cost) over (partition by month, card) as centre,
        count(*) over (partition by month, card) as peers
    from per_person p
), spread as (
    select s.*, median(abs(log_cost - centre)) over (partition by month, card) as mad from scored s
), abnormal as (
    select month, person_uid, card, source_file, row_number,
        'chronic_abnormal_frequency' as kind from spread where visit_count > {max_visits}
    union all
    select month, person_uid, card, source_file, row_number, 'chronic_abnormal_cost' from spread
    where peers >= {min_peers} and mad > 0
      and round(0.6745 * (log_cost - centre) / mad, 4) > {z_max}
), certifier as (
    select min(month) as month, person_uid, card, arg_min(source_file, month) as source_file,
        arg_min(row_number, month) as row_number
    from cards_in where injected = 'certifier_below_standard' group by person_uid, card
), found as (
    select month, person_uid, card, source_file, row_number, 'eligible_without_card' as kind
    from without_card
    union all select month, person_uid, card, source_file, row_number, 'card_unused' from unused
    union all select * from abnormal
    union all
    select month, person_uid, card, source_file, row_number, 'certifier_below_standard'
    from certifier
), injected as (
    select distinct month, person_uid, card, injected as kind from visits
    where injected is not null
)
select kind, 'chronic_card' as grp, 'fct_chronic_card_finding' as expected_table, person_uid,
    'healthcare' as department, source_file, row_number, card as column_name,
    null::varchar as delivered_value, month as detail
from found
union all
select kind || '_injected', 'chronic_card_injected', 'fct_chronic_card_finding', person_uid,
    'healthcare', null, null, card, null, month
from injected
order by all
"""
