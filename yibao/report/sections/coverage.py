"""一、困难人员参保覆盖: coverage by county this month and its trend, with the bulletin's cells.

The county figures are the published bulletin's (yibao.exports.bulletin): the same cells are
hidden. A province's rate sums its counties, is rounded to 0.1 percentage point and is shown
only when the rounded rate narrows no hidden cell to within the threshold
(yibao.disclosure.totals).
"""

from __future__ import annotations

import pandas as pd

from yibao.disclosure.bulletin import cells as bulletin_cells
from yibao.disclosure.bulletin import relations
from yibao.disclosure.totals import rate_is_publishable
from yibao.exports.bulletin import bulletin_records, hidden_cells, published_hidden

from .. import charts
from ..model import HIDDEN, Context, Section, Table

POLICY = (
    "桂医保发〔2019〕14号 一、(一)(二)(三)：确保建档立卡贫困人口100%参加当年基本医疗保险，"
    "建立月通报制度；皖医保发〔2020〕15号 一、(三)"
)
TREND_MONTHS = 12
#: provinces' rates are published rounded to 0.1 percentage point
RATE_STEP = 0.001


def _months(context: Context) -> list[str]:
    rows = context.con.execute(
        "select distinct delivery_month from marts.rpt_monthly_bulletin "
        "where delivery_month <= ? order by 1 desc limit ?",
        [context.month, TREND_MONTHS],
    ).fetchall()
    return sorted(month for (month,) in rows)


def _province_rates(records: list[dict], hidden: set, threshold: int) -> dict[str, float | None]:
    """Each province's coverage rate over its counties, in percent to RATE_STEP; None where
    even the rounded rate would narrow a hidden cell too far."""
    rates: dict[str, float | None] = {}
    for province in sorted({r["county_code"][:2] for r in records}):
        own = [r for r in records if r["county_code"].startswith(province)]
        counties = [r["region_code"] for r in own if r["region_level"] == "county"]
        values = bulletin_cells(own)
        enrolled = [(c, "enrolled_count") for c in counties]
        eligible = [(c, "eligible_count") for c in counties]
        total = sum(values[c] for c in eligible)
        if not total:
            rates[province] = None
            continue
        rounded = round(sum(values[c] for c in enrolled) / total / RATE_STEP) * RATE_STEP
        inside = {cell for cell in hidden if cell in values}
        publishable = rate_is_publishable(values, inside, relations(own), enrolled, eligible,
                                          rounded, RATE_STEP, threshold)  # fmt: skip
        rates[province] = round(100 * rounded, 1) if publishable else None
    return rates


def _hidden(context: Context, month: str, records: list[dict]) -> set:
    """The cells the month's published bulletin hid, read from the file when it was
    published (the same cells by construction, and quicker), else computed."""
    published = published_hidden(context.exports, month) if context.exports else None
    return published if published is not None else hidden_cells(records, context.threshold)


def _rate(record: dict, hidden: set):
    if (record["region_code"], "coverage_rate") in hidden or record["coverage_rate"] is None:
        return HIDDEN
    return round(100 * float(record["coverage_rate"]), 2)


def build(context: Context) -> Section:
    records = bulletin_records(context.con, context.month)
    hidden = _hidden(context, context.month, records)
    counties = [r for r in records if r["region_level"] == "county"]
    rows = []
    for r in counties:

        def shown(column: str, r: dict = r):
            return HIDDEN if (r["region_code"], column) in hidden else r[column]

        rows.append({
            "省份": context.region(r["county_code"][:2]),
            "区县": r["region_name"],
            "区县代码": r["region_code"],
            "应参保人数": shown("eligible_count"),
            "已参保人数": shown("enrolled_count"),
            "未参保人数": shown("not_enrolled_count"),
            "参保率（%）": _rate(r, hidden),
        })  # fmt: skip
    table = pd.DataFrame(rows)
    section = Section(
        key="coverage",
        title="一、困难人员参保覆盖",
        policy=POLICY,
        summary=f"{context.month} 各区县困难人员参保率（已参保人数 / 应参保人数）及近月趋势。",
        tables=[Table("各区县参保情况", table)],
    )
    shown_rates = table[table["参保率（%）"] != HIDDEN].astype({"参保率（%）": float})
    if not shown_rates.empty:
        section.figures.append(charts.sorted_bars_with_target(
            shown_rates, x="区县", y="参保率（%）", color="省份",
            title=f"{context.month} 各区县参保率（由低到高）"))  # fmt: skip
    withheld = len(table) - len(shown_rates)
    if withheld:
        section.notes.append(f"{withheld} 个区县的参保率含不予公布的小数单元格，未在图中显示。")

    trend = []
    for month in _months(context):
        month_records = records if month == context.month else bulletin_records(context.con, month)
        month_hidden = hidden if month == context.month else _hidden(context, month, month_records)
        for province, rate in _province_rates(month_records, month_hidden,
                                              context.threshold).items():  # fmt: skip
            trend.append({"月份": month, "省份": context.region(province),
                          "参保率（%）": HIDDEN if rate is None else rate})  # fmt: skip
    trend_table = pd.DataFrame(trend)
    section.tables.append(Table("各省参保率趋势", trend_table))
    plotted = trend_table[trend_table["参保率（%）"] != HIDDEN]
    if not plotted.empty:
        section.figures.append(charts.trend_with_target(
            plotted.astype({"参保率（%）": float}), x="月份", y="参保率（%）", color="省份",
            title="各省困难人员参保率趋势"))  # fmt: skip
    return section
