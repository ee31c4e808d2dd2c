"""二、部门比对发现: the reconciliation findings by category and county, and the vertical check.

Finding counts are shown in full, as in the bulletin: the findings list published beside it
names every finding (by person key) for the county offices to verify.
"""

from __future__ import annotations

from .. import charts
from ..model import Context, Section, Table

POLICY = (
    "施甸县医保扶贫“总攻战”工作方案 五、(一)2. 做好贫困人口数据横向比对（每月10日前），"
    "五、(一)3. 做好贫困人口数据纵向比对（每月15日）；桂医保发〔2019〕14号 一、(一)"
)


def build(context: Context) -> Section:
    by_county = context.con.execute(
        """
        select county_code, finding_label_zh,
               count(*) filter (where status <> 'resolved') as open_count,
               count(*) filter (where status = 'new') as new_count,
               count(*) filter (where status = 'resolved') as resolved_count
        from marts.fct_reconciliation_finding
        where delivery_month = ?
        group by all
        order by county_code, finding_label_zh
        """,
        [context.month],
    ).df()
    by_county.insert(0, "区县", [context.region(c) for c in by_county["county_code"]])
    table = by_county.rename(columns={
        "county_code": "区县代码", "finding_label_zh": "问题类别", "open_count": "待核实",
        "new_count": "本月新增", "resolved_count": "本月已解决"})  # fmt: skip
    by_category = table.groupby("问题类别", as_index=False)[
        ["待核实", "本月新增", "本月已解决"]
    ].sum()
    vertical = context.con.execute(
        """
        select count(*) filter (where not agrees_with_counties or not agrees_with_warehouse),
               count(*)
        from marts.fct_vertical_consistency where delivery_month = ?
        """,
        [context.month],
    ).fetchone()
    section = Section(
        key="findings",
        title="二、部门比对发现",
        policy=POLICY,
        summary=(
            f"{context.month} 扶贫、民政、税务、医保数据逐人比对发现的问题：待核实 "
            f"{int(table['待核实'].sum())} 条，本月新增 {int(table['本月新增'].sum())} 条，"
            f"本月已解决 {int(table['本月已解决'].sum())} 条。"
        ),
        tables=[Table("按问题类别", by_category), Table("按区县和问题类别", table)],
    )
    open_findings = table[table["待核实"] > 0]
    if not open_findings.empty:
        section.figures.append(charts.stacked_bars(
            open_findings, category="区县", value="待核实", stack="问题类别",
            title=f"{context.month} 各区县待核实问题（按类别）"))  # fmt: skip
    if vertical is not None and vertical[1]:
        section.notes.append(
            f"纵向比对：省、市、县上报数与逐县汇总、与本库计算数比较 {vertical[1]} 项，"
            f"不一致 {vertical[0]} 项（明细见 marts.fct_vertical_consistency）。"
        )
    return section
