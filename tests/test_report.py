"""The monthly report (issue 11, part 1): `yibao report --month` writes one offline HTML page
with charts and the same tables as xlsx, each section citing its policy document and article,
with the published bulletin's small cells hidden."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from yibao.cli import main
from yibao.disclosure import HIDDEN, small_cell_threshold
from yibao.pii_scan import delivered_names, scan
from yibao.report import build_sections, write_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def month(small_tier) -> str:
    return small_tier.months[-1]


@pytest.fixture(scope="module")
def report(small_warehouse, month, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return write_report(small_warehouse / "warehouse.duckdb", month, out)


@pytest.fixture(scope="module")
def sections(small_warehouse, month):
    return build_sections(small_warehouse / "warehouse.duckdb", month)


def test_one_page_and_one_workbook_per_month(report, month):
    stamp = month.replace("-", "")
    assert report.html.name == f"yibao_report_{stamp}.html" and report.html.parent.name == month
    assert report.xlsx.name == f"yibao_report_{stamp}.xlsx"
    assert report.sections == 5 and report.figures >= 6


def test_the_page_works_offline(report):
    page = report.html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page), "nothing loaded from outside"
    assert "Plotly.newPlot" in page and len(page) > 3_000_000  # plotly.js is inlined


def test_every_section_names_its_policy_document_and_article(sections, report):
    page = report.html.read_text(encoding="utf-8")
    for section in sections:
        assert re.search(r"〔20\d\d〕\d+号|工作方案|实施方案", section.policy), section.key
        assert re.search(r"[一二三四五六七八九十]、|\([一二三四五六七八九十]\)", section.policy)
        assert section.title in page and f"政策依据：{section.policy}" in page.replace(
            "&quot;", '"'
        ).replace("&#x27;", "'")


def _published_counties(warehouse, month) -> pd.DataFrame:
    stamp = month.replace("-", "")
    path = warehouse / "exports" / month / f"monthly_bulletin_{stamp}.xlsx"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("月通报").to_python()
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    return frame[frame["区划级别"] == "县"].set_index("区划代码")


def test_county_cells_are_hidden_exactly_as_in_the_published_bulletin(
    sections, small_warehouse, month
):
    bulletin = _published_counties(small_warehouse, month)
    table = sections[0].tables[0].frame.set_index("区县代码")
    assert set(table.index) == set(bulletin.index)
    pairs = {"应参保人数": "应参保人数", "已参保人数": "已参保人数", "未参保人数": "未参保人数",
             "参保率（%）": "参保率"}  # fmt: skip
    hidden_somewhere = 0
    for ours, theirs in pairs.items():
        for code in table.index:
            mine, published = table.at[code, ours], bulletin.at[code, theirs]
            assert (mine == HIDDEN) == (published == HIDDEN), (code, ours)
            hidden_somewhere += mine == HIDDEN
            if mine != HIDDEN and ours != "参保率（%）":
                assert int(mine) == int(float(published))
    assert hidden_somewhere > 0, "the small tier has small county cells to hide"


def test_no_published_count_is_small(sections):
    threshold = small_cell_threshold()
    count_columns = {"应参保人数", "已参保人数", "未参保人数", "条数", "人数"}
    checked = 0
    for section in sections:
        for table in section.tables:
            for column in count_columns & set(table.frame.columns):
                for value in table.frame[column]:
                    if value != HIDDEN:
                        checked += 1
                        assert not 1 <= int(value) <= threshold, (section.key, table.title)
    assert checked > 20


def test_the_workbook_holds_the_page_tables(report, sections):
    book = CalamineWorkbook.from_path(str(report.xlsx))
    tables = [t for s in sections for t in s.tables]
    assert book.sheet_names[0] == "目录" and len(book.sheet_names) == 1 + len(tables)
    contents = [c for row in book.get_sheet_by_name("目录").to_python() for c in row]
    assert all(any(s.title == c for c in contents) for s in sections)
    for name, table in zip(book.sheet_names[1:], tables, strict=True):
        rows = book.get_sheet_by_name(name).to_python()
        assert rows[0] == list(table.frame.columns) and len(rows) == 1 + len(table.frame)


def test_a_re_run_writes_the_same_files(report, small_warehouse, month, tmp_path):
    again = write_report(small_warehouse / "warehouse.duckdb", month, tmp_path)
    assert again.html.read_bytes() == report.html.read_bytes()
    assert again.xlsx.read_bytes() == report.xlsx.read_bytes()


def test_no_identifier_or_name_in_the_report(report, small_warehouse):
    restricted = small_warehouse / "restricted.duckdb"
    result = scan(small_warehouse / "warehouse.duckdb", small_warehouse / "missing",
                  restricted, reports=report.html.parent.parent)  # fmt: skip
    assert result.leaks == [] and result.files == 2


def test_the_scanner_finds_a_name_in_a_chart_and_an_id_in_a_table(
    report, small_warehouse, tmp_path
):
    restricted = small_warehouse / "restricted.duckdb"
    name = sorted(delivered_names(restricted))[0]
    planted = tmp_path / "reports" / "2020-01"
    planted.mkdir(parents=True)
    page = report.html.read_text(encoding="utf-8")
    assert page.count('"type":"bar"') > 0
    page = page.replace('"type":"bar"', f'"type":"bar","text":"{name}"', 1)
    page = page.replace("<td>", "<td>330324193712260645</td><td>", 1)
    (planted / "page.html").write_text(page, encoding="utf-8")
    result = scan(small_warehouse / "warehouse.duckdb", tmp_path / "missing", restricted,
                  reports=tmp_path / "reports")  # fmt: skip
    assert result.leaks == ["reports/2020-01/page.html: 3 identifying values"]


def test_the_command_writes_beside_the_warehouse_and_refuses_an_unknown_month(
    small_warehouse, month, tmp_path, capsys
):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse / "warehouse.duckdb", warehouse)
    assert main(["report", "--month", month, "--warehouse", str(warehouse)]) == 0
    assert (tmp_path / "reports" / month).is_dir()
    assert main(["report", "--month", "2031-01", "--warehouse", str(warehouse)]) == 2
    assert "no month 2031-01" in capsys.readouterr().err


def test_the_published_bulletin_file_tells_which_cells_it_hid(small_warehouse, month):
    """The report reads each month's hidden cells back from the published bulletin file (its
    trend covers up to twelve months): they are the cells the suppression computes."""
    import duckdb

    from yibao.exports.bulletin import bulletin_records, hidden_cells, published_hidden

    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        computed = hidden_cells(bulletin_records(con, month), small_cell_threshold())
    read_back = published_hidden(small_warehouse / "exports", month)
    assert read_back == {cell for cell in computed if cell[1] in read_back_columns()}
    assert len(read_back) > 0
    assert published_hidden(small_warehouse / "exports", "2031-01") is None


def read_back_columns() -> set[str]:
    from yibao.exports.bulletin import BULLETIN_COLUMNS

    return set(BULLETIN_COLUMNS)


def test_the_trend_reads_left_to_right_in_month_order(sections):
    trend = sections[0].figures[-1]
    assert trend.layout.xaxis.categoryorder == "category ascending"
    for trace in trend.data:
        assert list(trace.x) == sorted(trace.x)


def test_a_finding_with_several_policy_bases_lists_them_in_order(sections):
    """A kind of finding checked under more than one document lists them sorted, so two runs
    over one warehouse write the same page (unordered, they came in either order)."""
    several = 0
    for section in sections:
        for table in section.tables:
            if "政策依据" not in table.frame.columns:
                continue
            for basis in table.frame["政策依据"].dropna():
                parts = basis.split("；")
                assert parts == sorted(parts), basis
                several += len(parts) > 1
    assert several > 0, "the small tier has a finding under two documents"
