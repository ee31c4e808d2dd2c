"""三、运行监测指标: this month's indicators by province, and every alert of the month.

Person counts (门诊人数, 住院人数) from 1 to the threshold are not shown. The report publishes
no other breakdown of them, so no complement is needed.
"""

from __future__ import annotations

import pandas as pd

from .. import charts
from ..labels import INDICATOR_ZH, label
from ..model import HIDDEN, Context, Section, Table

POLICY = (
    "施甸县医保扶贫“总攻战”工作方案 六、(二) 建立运行预警机制（按月对门诊与住院的人(次)、"
    "就医流向、费用、基金支付和报销比例进行分析，及时发现波动），七、(一)(二)5. 即时结算率"
)
PERSONS = {"outpatient_persons", "inpatient_persons"}
LEVEL_ZH = {"province": "省", "city": "市", "county": "县"}


def _shown(indicator: str, value, threshold: int):
    if value is None:
        return None
    if indicator in PERSONS and 1 <= value <= threshold:
        return HIDDEN
    return round(float(value), 4)


def build(context: Context) -> Section:
    changes = context.con.execute(
        """
        select region_level, region_code, region_name, indicator, indicator_kind, previous_value,
               indicator_value, relative_change, absolute_change, change_measure, threshold,
               is_alert, source_document, source_article
        from marts.fct_monitoring_change
        where delivery_month = ? and population_category = 'all_insured'
        order by region_level, region_code, indicator
        """,
        [context.month],
    ).df()
    section = Section(
        key="monitoring",
        title="三、运行监测指标",
        policy=POLICY,
        summary=f"{context.month} 参保人员就医人次、费用、基金支付和报销比例较上月的变化；"
        f"超过预警阈值的 {int(changes['is_alert'].sum()) if len(changes) else 0} 项以红色标出。",
    )
    if changes.empty:
        section.notes.append("本月没有上月可比的监测数据（首个月份）。")
        return section
    changes["indicator_zh"] = [label(INDICATOR_ZH, i) for i in changes["indicator"]]
    # amounts change in percent of last month, rates in percentage points
    change = changes["absolute_change"].where(changes["indicator_kind"] == "rate",
                                              changes["relative_change"])  # fmt: skip
    changes["change_percent"] = (change.astype(float) * 100).round(2)
    changes["is_alert"] = changes["is_alert"].astype(bool)
    provinces = changes[(changes["region_level"] == "province")
                        & changes["change_percent"].notna()]  # fmt: skip
    section.figures.append(charts.changes_with_alerts(
        provinces, title=f"{context.month} 各省监测指标较上月变化（红色为预警）"))  # fmt: skip

    def table(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({
            "区划级别": [LEVEL_ZH.get(v, v) for v in frame["region_level"]],
            "区划": frame["region_name"],
            "指标": frame["indicator_zh"],
            "上月": [_shown(i, v, context.threshold)
                     for i, v in zip(frame["indicator"], frame["previous_value"], strict=True)],
            "本月": [_shown(i, v, context.threshold)
                     for i, v in zip(frame["indicator"], frame["indicator_value"], strict=True)],
            "变化（%或百分点）": frame["change_percent"],
            "预警阈值": frame["threshold"].astype(float),
            "预警": ["是" if a else "" for a in frame["is_alert"]],
        })  # fmt: skip

    alerts = changes[changes["is_alert"]]
    section.tables.append(Table("本月预警", table(alerts)))
    section.tables.append(Table("各省指标", table(provinces)))
    return section
