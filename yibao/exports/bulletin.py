"""The monthly bulletin (月通报) and the findings list, from the analyst warehouse, as xlsx with
Chinese headers under ``exports/<YYYY-MM>/``. They hold counts and person_key pseudonyms only."""

from __future__ import annotations

from pathlib import Path

import duckdb
from python_calamine import CalamineWorkbook

from yibao.contracts import DEPARTMENT_ZH
from yibao.disclosure import HIDDEN, small_cell_threshold
from yibao.disclosure.bulletin import cells as disclosure_cells
from yibao.disclosure.bulletin import cost, hidden_rates, relations
from yibao.disclosure.suppress import suppress

from .folder import replacing
from .xlsx import write_sheet

#: rpt_monthly_bulletin column → header (月通报)
BULLETIN_COLUMNS = {
    "delivery_month": "通报月份",
    "region_level": "区划级别",
    "county_code": "区县代码",
    "region_code": "区划代码",
    "region_name": "区划名称",
    "roster_count": "困难人员数",
    "excluded_count": "不符合参保条件人数",
    "eligible_count": "应参保人数",
    "enrolled_count": "已参保人数",
    "resident_enrolled_count": "参加城乡居民医保人数",
    "employee_enrolled_count": "参加职工医保人数",
    "enrolled_elsewhere_count": "异地参保人数",
    "not_enrolled_count": "未参保人数",
    "coverage_rate": "参保率",
    "premium_paid_count": "已缴费人数",
    "premium_payment_rate": "缴费率",
    "open_finding_count": "待核实问题数",
    "new_finding_count": "本月新增问题数",
    "resolved_finding_count": "本月已解决问题数",
}
LEVEL_ZH = {"county": "县", "township": "乡镇"}


def bulletin_notes(threshold: int) -> tuple[str, ...]:
    """The 说明 sheet: what * means and which relations hold between the figures."""
    return (
        f"* 表示不予公布：1至{threshold}人的小数单元格（阈值见 seeds/ref_disclosure_control.csv），"
        "以及为防止由合计反推而一并隐藏的单元格和由其计算的比率。",
        "区县数等于所辖乡镇之和；困难人员数 = 不符合参保条件人数 + 应参保人数；"
        "应参保人数 = 已参保人数 + 未参保人数。",
    )


#: fct_reconciliation_finding column → header (比对问题清单)
FINDING_COLUMNS = {
    "delivery_month": "比对月份",
    "county_code": "区县代码",
    "township_name": "乡镇",
    "village_name": "行政村",
    "person_key": "人员标识",
    "finding_label_zh": "问题类别",
    "finding_detail": "问题说明",
    "status": "状态",
    "first_seen_month": "首次发现月份",
    "departments": "涉及部门",
    "suggested_action_zh": "核实建议",
    "evidence_department": "证据来源部门",
    "evidence_file": "来源文件",
    "evidence_row_number": "来源行号",
}
STATUS_ZH = {"new": "新增", "persisting": "持续", "resolved": "已解决"}


def _departments(value: str) -> str:
    return "、".join(DEPARTMENT_ZH.get(d, d) for d in value.split(";"))


def hidden_cells(records: list[dict], threshold: int) -> set[tuple[str, str]]:
    """The (region_code, column) cells of one month's bulletin that are not published."""
    values = disclosure_cells(records)
    hidden = suppress(values, values, relations(records), threshold, cost(records))
    return hidden | hidden_rates(records, hidden)


def bulletin_path(exports: Path, month: str) -> Path:
    return exports / month / f"monthly_bulletin_{month.replace('-', '')}.xlsx"


def published_hidden(exports: Path, month: str) -> set[tuple[str, str]] | None:
    """The (region_code, column) cells the month's published bulletin file hides, read back
    from the file; None when it was not published there."""
    path = bulletin_path(exports, month)
    if not path.exists():
        return None
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("月通报").to_python()
    column_of = {header: name for name, header in BULLETIN_COLUMNS.items()}
    headers = [column_of[h] for h in rows[0]]
    code = headers.index("region_code")
    return {
        (str(row[code]), headers[i])
        for row in rows[1:]
        for i, value in enumerate(row)
        if value == HIDDEN
    }


def _suppressed(rows: list[tuple], threshold: int) -> list[tuple]:
    """The bulletin as published: small cells and their complements as *, levels in Chinese."""
    names = list(BULLETIN_COLUMNS)
    records = [dict(zip(names, row, strict=True)) for row in rows]
    hidden = hidden_cells(records, threshold)
    return [
        tuple(
            HIDDEN if (r["region_code"], name) in hidden
            else LEVEL_ZH.get(r[name], r[name]) if name == "region_level"
            else r[name]
            for name in names
        )
        for r in records
    ]  # fmt: skip


def bulletin_rows(con: duckdb.DuckDBPyConnection, month: str) -> list[tuple]:
    """The month's rpt_monthly_bulletin rows in BULLETIN_COLUMNS order, before suppression."""
    return con.execute(
        f"select {', '.join(BULLETIN_COLUMNS)} from marts.rpt_monthly_bulletin "
        "where delivery_month = ? order by county_code, region_level, region_code",
        [month],
    ).fetchall()


def bulletin_records(con: duckdb.DuckDBPyConnection, month: str) -> list[dict]:
    """The month's bulletin rows as dicts by column name, before suppression."""
    names = list(BULLETIN_COLUMNS)
    return [dict(zip(names, row, strict=True)) for row in bulletin_rows(con, month)]


def export_bulletin(warehouse: Path, month: str, exports: Path) -> dict[str, int]:
    """Write the month's bulletin and findings list; return rows written per file name."""
    folder = exports / month
    stamp = month.replace("-", "")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        bulletin = bulletin_rows(con, month)
        findings = con.execute(
            f"select {', '.join(FINDING_COLUMNS)} from marts.fct_reconciliation_finding "
            "where delivery_month = ? "
            "order by county_code, township_name, village_name, finding_category, person_key",
            [month],
        ).fetchall()
    threshold = small_cell_threshold()
    bulletin = _suppressed(bulletin, threshold)
    names = list(FINDING_COLUMNS)
    status, departments = names.index("status"), names.index("departments")
    findings = [
        tuple(
            STATUS_ZH[v] if i == status else _departments(v) if i == departments else v
            for i, v in enumerate(row)
        )
        for row in findings
    ]
    written = {}
    with replacing(folder) as partial:
        for name, sheet, headers, rows in (
            (f"monthly_bulletin_{stamp}.xlsx", "月通报", BULLETIN_COLUMNS.values(), bulletin),
            (
                f"reconciliation_findings_{stamp}.xlsx",
                "比对问题清单",
                FINDING_COLUMNS.values(),
                findings,
            ),
        ):
            notes = bulletin_notes(threshold) if sheet == "月通报" else ()
            written[name] = write_sheet(partial / name, sheet, list(headers), rows, notes)
    return written
