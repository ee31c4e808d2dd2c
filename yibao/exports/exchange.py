"""The monthly flag exchange back to the poverty office (S5.3.3), one xlsx per county under
``exports/restricted/<YYYY-MM>/poverty_insurance_status_<county>_<YYYYMM>.xlsx``, exactly as
SOURCE_CONTRACTS.md "Outbound" describes it. It carries the office's own 人编号, ID numbers and
names, so it is written from the restricted database to the restricted folder only."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .folder import replacing
from .xlsx import write_sheet

HEADERS = ["人编号", "证件号码", "姓名", "参保状态", "参保险种", "参保地", "未参保原因", "核实建议"]

# 未参保原因: for someone not enrolled, the findings that say why (categories that do not count
# as enrolled: 困难人员未参保, 已缴费未参保); for someone not eligible, the reason itself.
# 核实建议: the suggested action of every finding of the person this month, in category order.
_QUERY = """
    with findings as (
        select findings.person_cluster_id, categories.finding_category, categories.label_zh,
            categories.counts_as_enrolled, categories.suggested_action_zh
        from intermediate.int_reconciliation_findings as findings
        join reference.ref_reconciliation_categories as categories
            using (finding_category)
        where findings.delivery_month = $month
    ), per_person as (
        select person_cluster_id,
            string_agg(label_zh, '；' order by finding_category)
                filter (where not counts_as_enrolled and finding_category <> 'not_eligible')
                as not_enrolled_reasons,
            string_agg(suggested_action_zh, '；' order by finding_category) as actions
        from findings group by person_cluster_id
    )
    select exchange.county_code, exchange.poverty_person_id, exchange.id_number_raw,
        exchange.person_name, exchange.enrolment_state_zh, exchange.insurance_type_zh,
        exchange.insured_region_code,
        case exchange.enrolment_state
            when 'not_eligible' then '不符合参保条件：' || exchange.ineligible_reason
            when 'not_enrolled' then per_person.not_enrolled_reasons
        end as not_enrolled_reason,
        per_person.actions
    from intermediate.int_poverty_office_exchange as exchange
    left join per_person using (person_cluster_id)
    where exchange.delivery_month = $month
    order by exchange.county_code, exchange.source_file, exchange.source_row_number
"""


def export_poverty_office_exchange(restricted: Path, month: str, exports: Path) -> dict[str, int]:
    """Write one exchange file per county for the month; return rows written per file name."""
    folder = exports / "restricted" / month
    stamp = month.replace("-", "")
    with duckdb.connect(str(restricted), read_only=True) as con:
        rows = con.execute(_QUERY, {"month": month}).fetchall()
    by_county: dict[str, list[tuple]] = {}
    for county, *values in rows:
        by_county.setdefault(county, []).append(tuple(values))
    with replacing(folder) as partial:
        return {
            name: write_sheet(partial / name, "参保状态", HEADERS, county_rows)
            for county, county_rows in sorted(by_county.items())
            for name in [f"poverty_insurance_status_{county}_{stamp}.xlsx"]
        }
