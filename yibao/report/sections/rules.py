"""四、待遇政策与资助参保核查: benefit-rule and premium-subsidy violations, with the yuan at
stake (the absolute difference between what the rule gives and what was paid).

Counts from 1 to the threshold, with complements so none follows from the total, are not shown.
The yuan are shown in full: an amount summed over a kind of finding, with no region or person,
identifies no one, and it is what the section is for.
"""

from __future__ import annotations

import pandas as pd

from yibao.disclosure.totals import published_counts

from .. import charts
from ..labels import FINDING_KIND_ZH, label
from ..model import HIDDEN, Context, Section, Table

POLICY = (
    "皖医保发〔2020〕15号 一、(三) 资助参保，二、(一)(二) 基本医保与大病保险；"
    "桂医保发〔2019〕14号 (六)(七) 个人自付与目录内费用；"
    "温州市实施方案政策解读 三是、四是 医疗救助；"
    "施甸县医保扶贫“总攻战”工作方案 五、(二)1. 分类资助"
)

QUERY = """
select '待遇政策' as family, finding_kind as kind, count(*) as findings,
       sum(abs(difference_yuan)) as yuan_at_stake,
       string_agg(distinct source_document || ' ' || source_article, '；'
                  order by source_document || ' ' || source_article) as basis
from marts.fct_benefit_check
where delivery_month = ? and finding_kind is not null
group by all
union all
select '资助参保', finding_category, count(*), sum(abs(difference_yuan)),
       string_agg(distinct source_document || ' ' || source_article, '；'
                  order by source_document || ' ' || source_article)
from marts.fct_premium_subsidy_check
where delivery_month = ? and finding_category is not null
group by all
order by 1, 2
"""


def build(context: Context) -> Section:
    found = context.con.execute(QUERY, [context.month, context.month]).df()
    found["kind_zh"] = [label(FINDING_KIND_ZH, k) for k in found["kind"]]
    found["yuan_at_stake"] = found["yuan_at_stake"].astype(float).round(2)
    shown = pd.Series(index=found.index, dtype=object)
    for _, part in found.groupby("family"):  # each family is its own breakdown
        shown[part.index] = published_counts(list(part["kind"]), list(part["findings"]),
                                             context.threshold)  # fmt: skip
    is_hidden = [value == HIDDEN for value in shown]
    table = pd.DataFrame({
        "类别": found["family"],
        "问题": found["kind_zh"],
        "条数": list(shown),
        "涉及金额（元）": found["yuan_at_stake"],
        "政策依据": found["basis"],
    })  # fmt: skip
    total_yuan = float(found["yuan_at_stake"].sum()) if len(found) else 0.0
    section = Section(
        key="rules",
        title="四、待遇政策与资助参保核查",
        policy=POLICY,
        summary=f"{context.month} 按政策参数逐笔复算结算和资助参保缴费，不符合规定的共涉及 "
        f"{total_yuan:,.2f} 元（应付与实付之差的绝对值）。",
        tables=[Table("违规类别与涉及金额", table)],
    )
    if not table.empty:
        section.figures.append(charts.bars(
            table, category="问题", value="涉及金额（元）", color="类别",
            title=f"{context.month} 待遇与资助违规涉及金额（元）"))  # fmt: skip
    if any(is_hidden):
        section.notes.append(f"{sum(is_hidden)} 类问题条数较少，条数不予公布。")
    return section
