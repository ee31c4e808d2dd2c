"""五、欺诈骗保线索与返贫预警: the month's fraud flags by rule and the institutions with the
most, and the return-to-poverty early-warning list by kind and watching level.

Counts from 1 to the threshold, with complements so none follows from the total, are not shown;
the institution list holds only institutions with more flags than the threshold.
"""

from __future__ import annotations

import pandas as pd

from yibao.disclosure.totals import published_counts

from .. import charts
from ..labels import WARNING_KIND_ZH, WATCHED_BY_ZH, label
from ..model import HIDDEN, Context, Section, Table

POLICY = (
    "施甸县医保扶贫“总攻战”工作方案 九、(二) 加强扶贫领域医保基金监管，九、(三) 探索建立返贫"
    "监测预警机制；合医保发〔2020〕33号 三、10. 打击欺诈骗保；皖医保发〔2020〕15号 三、(二)"
)
TOP_INSTITUTIONS = 10


def build(context: Context) -> Section:
    con, month = context.con, context.month
    flags = con.execute(
        """
        select rule_name, flag_level, count(*) as flags,
               string_agg(distinct source_document || ' ' || source_article, '；'
                          order by source_document || ' ' || source_article) as basis
        from marts.fct_fraud_flag where delivery_month = ?
        group by all order by flags desc, rule_name
        """,
        [month],
    ).df()
    flags["shown"] = published_counts(
        list(flags["rule_name"]), list(flags["flags"]), context.threshold
    )
    institutions = con.execute(
        """
        select institution_code, county_code, count(*) as flags,
               count(distinct rule_id) as rules
        from marts.fct_fraud_flag
        where delivery_month = ? and institution_code is not null
        group by all having count(*) > ?
        order by flags desc, institution_code limit ?
        """,
        [month, context.threshold, TOP_INSTITUTIONS],
    ).df()
    warnings = con.execute(
        """
        select warning_kind, watched_by, count(*) as persons
        from marts.fct_poverty_risk_warning where delivery_month = ?
        group by all order by all
        """,
        [month],
    ).df()
    warnings["key"] = warnings["warning_kind"] + "/" + warnings["watched_by"]
    warnings["shown"] = published_counts(
        list(warnings["key"]), list(warnings["persons"]), context.threshold
    )
    flag_table = pd.DataFrame({"线索类别": flags["rule_name"], "条数": flags["shown"],
                               "政策依据": flags["basis"]})  # fmt: skip
    warning_table = pd.DataFrame({
        "预警类别": [label(WARNING_KIND_ZH, k) for k in warnings["warning_kind"]],
        "监测层级": [label(WATCHED_BY_ZH, w) for w in warnings["watched_by"]],
        "人数": warnings["shown"],
    })  # fmt: skip
    institution_table = pd.DataFrame({
        "定点医疗机构": institutions["institution_code"],
        "所在区县": [context.region(c) for c in institutions["county_code"]],
        "线索条数": institutions["flags"].astype(int),
        "涉及规则数": institutions["rules"].astype(int),
    })  # fmt: skip
    section = Section(
        key="risks",
        title="五、欺诈骗保线索与返贫预警",
        policy=POLICY,
        summary=f"{month} 按负面清单规则筛查的欺诈骗保线索，以及医疗费用个人负担可能致贫返贫的"
        "预警人员，交医保基金监管和扶贫部门核实。",
        tables=[
            Table("欺诈骗保线索（按规则）", flag_table),
            Table(f"线索最多的定点医疗机构（前{TOP_INSTITUTIONS}）", institution_table),
            Table("返贫致贫预警人数", warning_table),
        ],  # fmt: skip
    )
    shown_flags = flag_table[flag_table["条数"] != HIDDEN]
    if not shown_flags.empty:
        section.figures.append(charts.bars(
            shown_flags.astype({"条数": int}), category="线索类别", value="条数",
            title=f"{month} 欺诈骗保线索（按规则）"))  # fmt: skip
    shown_warnings = warning_table[warning_table["人数"] != HIDDEN]
    if not shown_warnings.empty:
        section.figures.append(charts.bars(
            shown_warnings.astype({"人数": int}), category="预警类别", value="人数",
            color="监测层级", title=f"{month} 返贫致贫预警人数"))  # fmt: skip
    hidden_rows = (len(flag_table) - len(shown_flags)) + (len(warning_table) - len(shown_warnings))
    if hidden_rows:
        section.notes.append(f"{hidden_rows} 个小数单元格不予公布。")
    return section
