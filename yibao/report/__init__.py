"""The monthly report (月度报告): `yibao report --month 2020-06`.

One self-contained HTML page per month (charts rendered in the browser, plotly.js inlined, so it
opens offline) and the same tables as xlsx, from the analyst warehouse only (read-only, sealed).
Each section names the policy document and article it answers; person counts are suppressed as
in the published bulletin (docs/privacy.md). Files: ``reports/<YYYY-MM>/`` beside the warehouse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from yibao.analyst import connect
from yibao.disclosure import small_cell_threshold

from .model import Context, Section
from .page import render
from .sections import coverage, findings, monitoring, risks, rules
from .workbook import write_workbook

BUILDERS = (coverage, findings, monitoring, rules, risks)


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    xlsx: Path
    sections: int
    figures: int


def reports_beside(warehouse: str | Path) -> Path:
    return Path(warehouse).with_name("reports")


def _months(con) -> list[str]:
    rows = con.execute(
        "select distinct delivery_month from marts.rpt_monthly_bulletin order by 1"
    ).fetchall()
    return [month for (month,) in rows]


def build_sections(warehouse: Path, month: str, exports: Path | None = None) -> list[Section]:
    with connect(warehouse) as con:
        months = _months(con)
        if month not in months:
            known = f"{months[0]} to {months[-1]}" if months else "none"
            raise ValueError(f"{warehouse} holds no month {month} (months built: {known})")
        names = dict(
            con.execute("select region_code, region_name from marts.dim_region").fetchall()
        )
        context = Context(con, month, small_cell_threshold(), names, exports)
        return [builder.build(context) for builder in BUILDERS]


def _footer(threshold: int) -> list[str]:
    return [
        f"* 表示不予公布：1至{threshold}人（条）的小数单元格，以及为防止由合计反推而一并隐藏的"
        "单元格，与同月公布的月通报一致（阈值见 seeds/ref_disclosure_control.csv）。",
        "本报告由分析库（marts）生成，不含身份证号、姓名和电话；人员以假名 person_key 表示。",
    ]


def write_report(
    warehouse: Path, month: str, out: Path | None = None, exports: Path | None = None
) -> ReportFiles:
    """Write the month's HTML page and workbook under `out` (default: reports/ beside the
    warehouse) and return their paths. `exports` (default: exports/ beside the warehouse) is
    where the published bulletins say which cells they hid."""
    warehouse = Path(warehouse)
    folder = (out or reports_beside(warehouse)) / month
    folder.mkdir(parents=True, exist_ok=True)
    exports = exports or Path(os.environ.get("YIBAO_EXPORTS") or warehouse.with_name("exports"))
    sections = build_sections(warehouse, month, exports)
    footer = _footer(small_cell_threshold())
    links = []
    data_docs = warehouse.with_name("data_docs") / "index.html"
    if data_docs.exists():
        href = Path(os.path.relpath(data_docs, folder)).as_posix()
        links.append(
            ("数据质量校验结果（Great Expectations Data Docs，数据工程人员内部使用）", href)
        )
    stamp = month.replace("-", "")
    page = folder / f"yibao_report_{stamp}.html"
    partial = page.with_name(f".{page.name}.partial")
    partial.write_text(render(month, sections, footer, links), encoding="utf-8")
    os.replace(partial, page)
    workbook = folder / f"yibao_report_{stamp}.xlsx"
    write_workbook(workbook, month, sections, footer)
    return ReportFiles(page, workbook, len(sections), sum(len(s.figures) for s in sections))
