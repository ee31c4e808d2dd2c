import json
from pathlib import Path

import pytest
from ingest_builders import csv_text, valid_rows, write_csv, write_roster

from yibao import contracts as c
from yibao.ingest import ContractError, read_csv

ROSTER = c.ASSISTANCE_ROSTER
HEADER = list(ROSTER.column_names)


def _line(row: dict) -> list:
    return [row[h] for h in HEADER]


def test_gbk_file(tmp_path: Path) -> None:
    rows = valid_rows(ROSTER, 2)
    rows[0]["乡镇（街道）"] = "城关镇"
    result = read_csv(write_csv(tmp_path / "a.csv", ROSTER, rows, encoding="gbk"), ROSTER)
    assert result.encoding == "gb18030"
    assert result.table.column("乡镇（街道）").to_pylist() == ["城关镇", "乡镇（街道）1"]
    assert result.table.column("_row_number").to_pylist() == [2, 3]
    assert result.table.column("_sheet").to_pylist() == [None, None]


def test_gb18030_file_with_characters_outside_gbk(tmp_path: Path) -> None:
    rows = valid_rows(ROSTER, 2)
    rows[1]["成员姓名"] = "李𠀀"  # U+20000 needs GB18030's four-byte form
    with pytest.raises(UnicodeEncodeError):
        "𠀀".encode("gbk")
    result = read_csv(write_csv(tmp_path / "a.csv", ROSTER, rows, encoding="gb18030"), ROSTER)
    assert result.encoding == "gb18030"
    assert result.table.column("成员姓名").to_pylist()[1] == "李𠀀"


def test_utf8_with_bom(tmp_path: Path) -> None:
    rows = valid_rows(ROSTER, 1)
    result = read_csv(write_csv(tmp_path / "a.csv", ROSTER, rows, encoding="utf-8-sig"), ROSTER)
    assert result.encoding == "utf-8-sig"
    assert result.table.column("区县").to_pylist() == ["区县0"]  # the BOM is not in the header


def test_values_are_kept_as_delivered_and_empty_is_null(tmp_path: Path) -> None:
    rows = valid_rows(ROSTER, 1)
    rows[0]["成员姓名"] = "  王 五 "
    rows[0]["残疾类别"] = ""
    rows[0]["成员身份证号"] = "00123"
    result = read_csv(write_csv(tmp_path / "a.csv", ROSTER, rows), ROSTER)
    assert result.table.column("成员姓名").to_pylist() == ["  王 五 "]
    assert result.table.column("残疾类别").to_pylist() == [None]
    assert result.table.column("成员身份证号").to_pylist() == ["00123"]


def test_ragged_rows_are_quarantined_with_their_row_numbers(tmp_path: Path) -> None:
    rows = [_line(r) for r in valid_rows(ROSTER, 6)]
    rows[0][2] = "多行\n村名"  # a quoted newline stays inside row 2
    rows[2] = rows[2][:-2]  # row 4: two fields short
    rows[4] = [*rows[4], "surplus"]  # row 6: one field too many
    path = tmp_path / "a.csv"
    path.write_bytes(csv_text(HEADER, rows).encode("gbk"))
    result = read_csv(path, ROSTER)
    assert result.rows_delivered == 6
    assert result.table.column("_row_number").to_pylist() == [2, 3, 5, 7]
    assert result.table.column("村（社区）").to_pylist()[0] == "多行\n村名"
    assert [(r.row_number, r.reason) for r in result.rejects] == [
        (4, "ragged row: 14 fields, expected 16"),
        (6, "ragged row: 17 fields, expected 16"),
    ]
    assert json.loads(result.rejects[0].record) == rows[2]


def test_blank_lines_keep_their_row_numbers(tmp_path: Path) -> None:
    rows = [_line(r) for r in valid_rows(ROSTER, 2)]
    text = csv_text(HEADER, rows[:1]) + "\r\n" + csv_text(HEADER, rows[1:]).split("\r\n", 1)[1]
    path = tmp_path / "a.csv"
    path.write_bytes((text + "\r\n").encode("utf-8"))
    result = read_csv(path, ROSTER)
    assert result.table.column("_row_number").to_pylist() == [2, 4]
    assert result.rows_delivered == 2
    assert result.notices == ["2 blank row(s) skipped"]


def test_reordered_and_extra_columns(tmp_path: Path) -> None:
    header = [*reversed(HEADER), "备注", ""]
    rows = valid_rows(ROSTER, 2)
    rows[1]["备注"] = "补录"
    result = read_csv(write_csv(tmp_path / "a.csv", ROSTER, rows, header=header), ROSTER)
    assert result.table.column_names[:16] == HEADER
    assert result.table.column("区县").to_pylist() == ["区县0", "区县1"]
    assert result.extra_columns == (("备注", "_x0"),)  # the empty unnamed column is dropped
    assert result.notices == ["extra columns kept in _extra_columns: 备注"]


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "成员身份证号"]
    path = write_csv(tmp_path / "a.csv", ROSTER, valid_rows(ROSTER, 1), header=header)
    with pytest.raises(ContractError) as caught:
        read_csv(path, ROSTER, "landing/2020-06/civil_affairs/a.csv")
    assert caught.value.column == "成员身份证号"
    assert caught.value.row == 1
    assert str(caught.value).startswith(
        "ContractError: landing/2020-06/civil_affairs/a.csv, row 1, column 成员身份证号: missing"
    )


def test_duplicate_column_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ROSTER, valid_rows(ROSTER, 1), header=[*HEADER, "区县"])
    with pytest.raises(ContractError, match="duplicate column") as caught:
        read_csv(path, ROSTER)
    assert caught.value.column == "区县"


def test_undecodable_bytes_are_refused_with_their_offset(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ROSTER, valid_rows(ROSTER, 2), encoding="gbk")
    data = path.read_bytes()
    offset = data.index(b"\r\n", data.index(b"\r\n") + 2) + 2  # start of row 3
    path.write_bytes(data[:offset] + b"\xff\xff" + data[offset:])
    with pytest.raises(ContractError, match=f"row 3, column 区县: .* byte offset {offset:,} "):
        read_csv(path, ROSTER)


def test_big5_text_is_not_a_gb_encoding(tmp_path: Path) -> None:
    rows = [["施甸縣", "城關鎮", "和平村", "城鄉低保"] + [""] * 12 for _ in range(20)]
    path = tmp_path / "a.csv"
    path.write_bytes(csv_text(HEADER, rows).replace("区县", "區縣").encode("big5", "replace"))
    with pytest.raises(ContractError, match="not a Chinese GB encoding"):
        read_csv(path, ROSTER)


def test_workbook_named_csv_is_the_wrong_kind(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "a.csv", valid_rows(c.POVERTY_ROSTER, 1))
    with pytest.raises(ContractError, match="wrong file kind: a zip archive"):
        read_csv(path, ROSTER)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    with pytest.raises(ContractError, match="empty file"):
        read_csv(path, ROSTER)
