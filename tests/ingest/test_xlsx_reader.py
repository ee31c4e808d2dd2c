import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from ingest_builders import valid_rows, write_roster

from yibao import contracts as c
from yibao.ingest import ContractError, read_xlsx

ROSTER = c.POVERTY_ROSTER


def _rows(table, *columns: str) -> list[tuple]:
    return list(zip(*(table.column(name).to_pylist() for name in columns), strict=True))


def test_roster_layout_is_read_with_sheet_row_numbers(tmp_path: Path) -> None:
    rows = valid_rows(ROSTER, 4)
    rows[1]["姓名"] = " 张三 "  # kept exactly as delivered
    rows[2]["村行政区划代码"] = None  # sometimes blank
    path = write_roster(tmp_path / "poverty_roster_530521_202006.xlsx", rows)
    result = read_xlsx(path, ROSTER)
    table = result.table
    assert result.rows_delivered == 4  # the 合计 row is not delivered data
    assert result.rejects == [] and result.notices == []
    assert table.column_names[: len(ROSTER.column_names)] == list(ROSTER.column_names)
    assert _rows(table, "_row_number", "序号", "_sheet") == [
        (5, "1", "花名册"),
        (6, "2", "花名册"),
        (7, "3", "花名册"),
        (8, "4", "花名册"),
    ]
    assert table.column("省").to_pylist() == ["省0", "省1", "省2", "省3"]
    assert table.column("村").to_pylist() == ["村0", "村1", "村2", "村3"]
    assert table.column("姓名").to_pylist()[1] == " 张三 "
    assert table.column("村行政区划代码").to_pylist()[2] is None


def test_total_row_that_disagrees_is_noted(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", valid_rows(ROSTER, 3), total_count=4)
    result = read_xlsx(path, ROSTER)
    assert result.rows_delivered == 3
    assert result.notices == ["合计 row states 4 but 3 rows are delivered"]


def test_header_is_found_by_content_and_may_have_one_level(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    workbook = xlsxwriter.Workbook(path)
    ws = workbook.add_worksheet("Sheet1")
    ws.write(0, 0, "施甸县建档立卡贫困人口花名册")
    ws.write(2, 0, "导出时间：2020-06-03 09:12:44")
    ws.write(3, 0, "单位：人")
    for j, name in enumerate(reversed(ROSTER.column_names)):  # reordered, one level
        ws.write(5, j, name)
    for i, row in enumerate(valid_rows(ROSTER, 2)):
        for j, name in enumerate(reversed(ROSTER.column_names)):
            ws.write_string(6 + i, j, row[name])
    ws.write(8, 0, "合计")
    ws.write(8, 3, 2)
    workbook.close()
    result = read_xlsx(path, ROSTER)
    assert _rows(result.table, "_row_number", "序号", "姓名") == [
        (7, "1", "姓名0"),
        (8, "2", "姓名1"),
    ]
    assert result.notices == []


def test_blank_rows_and_trailing_formatted_rows_are_dropped(tmp_path: Path) -> None:
    rows = valid_rows(ROSTER, 3)
    path = write_roster(tmp_path / "r.xlsx", rows, total=False)
    workbook = xlsxwriter.Workbook(path)  # rewrite with a gap and formatted empty rows
    ws = workbook.add_worksheet("Sheet1")
    for j, name in enumerate(ROSTER.column_names):
        ws.write(0, j, name)
    ws.write_row(1, 0, [rows[0][n] for n in ROSTER.column_names])
    ws.write_row(3, 0, [rows[1][n] for n in ROSTER.column_names])
    ws.write(4, 0, "合计")
    bold = workbook.add_format({"bold": True})
    for r in range(5, 9):
        ws.write_blank(r, 0, None, bold)
        ws.write_string(r, 1, "   ")
    workbook.close()
    result = read_xlsx(path, ROSTER)
    assert result.table.column("_row_number").to_pylist() == [2, 4]
    assert result.rows_delivered == 2
    assert result.notices == ["1 blank row(s) skipped"]


def test_date_cells_read_as_dates(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    workbook = xlsxwriter.Workbook(path)
    ws = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    row = valid_rows(ROSTER, 1)[0]
    for j, name in enumerate(ROSTER.column_names):
        ws.write(0, j, name)
        if name == "状态变更日期":
            ws.write_datetime(1, j, dt.datetime(2020, 6, 1), date_format)
        else:
            ws.write_string(1, j, row[name])
    workbook.close()
    result = read_xlsx(path, ROSTER)
    assert result.table.column("状态变更日期").to_pylist() == ["2020-06-01"]
    assert result.notices == ["no 合计 row below the data"]


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    header = [("身份证号" if n == "证件号码" else n) for n in ROSTER.column_names]
    rows = [
        {("身份证号" if k == "证件号码" else k): v for k, v in r.items()}
        for r in valid_rows(ROSTER, 2)
    ]
    path = write_roster(tmp_path / "poverty_roster_530521_202006.xlsx", rows, header=header)
    with pytest.raises(ContractError) as caught:
        read_xlsx(path, ROSTER, "landing/2020-06/poverty/poverty_roster_530521_202006.xlsx")
    error = caught.value
    assert error.file == "landing/2020-06/poverty/poverty_roster_530521_202006.xlsx"
    assert error.column == "证件号码"
    assert "unknown columns delivered: 身份证号" in error.message


def test_extra_column_is_kept(tmp_path: Path) -> None:
    header = [*ROSTER.column_names, "备注"]
    rows = valid_rows(ROSTER, 2)
    rows[0]["备注"] = "新增"
    result = read_xlsx(write_roster(tmp_path / "r.xlsx", rows, header=header), ROSTER)
    assert result.extra_columns == (("备注", "_x0"),)
    assert result.table.column("_x0").to_pylist() == ["新增", None]
    assert result.notices == ["extra columns kept in _extra_columns: 备注"]


def test_truncated_workbook_is_refused(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "r.xlsx", valid_rows(ROSTER, 50))
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(ContractError, match="unreadable or truncated xlsx") as caught:
        read_xlsx(path, ROSTER, "landing/2020-06/poverty/r.xlsx")
    assert caught.value.file == "landing/2020-06/poverty/r.xlsx"


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("序号,姓名\n1,张三\n".encode("gbk"), "text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy .xls"),
        (b"", "empty file"),
    ],
)
def test_renamed_file_is_the_wrong_kind(tmp_path: Path, content: bytes, what: str) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    with pytest.raises(ContractError, match=f"wrong file kind: .*{what}"):
        read_xlsx(path, ROSTER)


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    workbook = xlsxwriter.Workbook(path)
    workbook.add_worksheet().write(0, 0, "title only")
    workbook.close()
    with pytest.raises(ContractError, match="no header row"):
        read_xlsx(path, ROSTER)
