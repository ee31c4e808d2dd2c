"""The roster workbook writer: layout, values, merges, determinism, read back by real readers."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import fastexcel
import pyarrow as pa
import pytest
from python_calamine import CalamineWorkbook

from yibao_synth import xlsx_writer
from yibao_synth.xlsx_writer import column_letter, write_roster_xlsx

TITLE = "施甸县建档立卡贫困人口花名册（2020年6月）"
EXPORT = "导出时间：2020-06-03 09:12:44"
COLUMNS = ["序号", "省", "市", "县", "乡（镇）", "村", "村行政区划代码", "姓名", "证件号码", "备注"]
GROUPS = {"所在地区": ["省", "市", "县", "乡（镇）", "村"]}

# Rows: 省/市/县 repeat (shared strings), ids and names are unique (inline strings).
DATA = {
    "序号": [1, 2, 3, 4],
    "省": ["云南省", "云南省", "云南省", "云南省"],
    "市": ["保山市", "保山市", "保山市", "保山市"],
    "县": ["施甸县", "施甸县", "施甸县", "施甸县"],
    "乡（镇）": ["甸阳镇", "甸阳镇", "由旺镇", "甸阳镇"],
    "村": ["A&B村<一>", "A&B村<一>", None, "A&B村<一>"],
    "村行政区划代码": ["530521100201", "", None, "530521100201"],
    "姓名": ["张三", '李"四"', "王'五'", " 赵六 "],
    "证件号码": ["530521199001011234", "53052119900101123X", "", None],
    "备注": ["a<b>&c", "x\x01y", "第一行\n第二行", "回车\r符"],
}
# What every reader must give back for the data rows ("" for no cell).
EXPECTED_DATA = [
    [1, "云南省", "保山市", "施甸县", "甸阳镇", "A&B村<一>", "530521100201", "张三",
     "530521199001011234", "a<b>&c"],
    [2, "云南省", "保山市", "施甸县", "甸阳镇", "A&B村<一>", "", "李\"四\"",
     "53052119900101123X", "xy"],
    [3, "云南省", "保山市", "施甸县", "由旺镇", "", "", "王'五'", "", "第一行\n第二行"],
    [4, "云南省", "保山市", "施甸县", "甸阳镇", "A&B村<一>", "530521100201", " 赵六 ", "",
     "回车\r符"],
]  # fmt: skip
EXPECTED_MERGES = {
    "A1:J1",  # title
    "A2:J2",  # export time
    "B3:F3",  # 所在地区 over 省 … 村
    "A3:A4",
    "G3:G4",
    "H3:H4",
    "I3:I4",
    "J3:J4",
}


def _table() -> pa.Table:
    fields = [pa.field("序号", pa.int64())] + [pa.field(c, pa.string()) for c in COLUMNS[1:]]
    return pa.table(DATA, schema=pa.schema(fields))


def _write(path: Path, data: pa.Table | None = None, **kwargs) -> Path:
    write_roster_xlsx(
        path,
        title=TITLE,
        export_time=EXPORT,
        columns=COLUMNS,
        groups=GROUPS,
        data=_table() if data is None else data,
        **kwargs,
    )
    return path


def _expected_grid(data_rows: list[list], count: int) -> list[list]:
    width = len(COLUMNS)
    blank = [""] * width
    row3 = ["序号", "所在地区", "", "", "", "", "村行政区划代码", "姓名", "证件号码", "备注"]
    row4 = ["", "省", "市", "县", "乡（镇）", "村", "", "", "", ""]
    total = ["合计", count] + blank[2:]
    return [[TITLE] + blank[1:], [EXPORT] + blank[1:], row3, row4, *data_rows, total]


def _calamine_grid(path: Path) -> list[list]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False)
    # Numeric cells come back as floats; the integral ones are compared as ints.
    return [[int(v) if isinstance(v, float) and v.is_integer() else v for v in row] for row in rows]


def _fastexcel_grid(path: Path) -> list[list]:
    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
    table = sheet.to_arrow()
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [["" if v is None else v for v in row] for row in zip(*columns, strict=True)]


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _as_text(grid: list[list]) -> list[list]:
    return [[str(v) if isinstance(v, int) else v for v in row] for row in grid]


def test_cell_grid_read_back_by_calamine(tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.xlsx")
    assert _calamine_grid(path) == _expected_grid(EXPECTED_DATA, 4)


def test_cell_grid_read_back_by_fastexcel(tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.xlsx")
    assert _fastexcel_grid(path) == _as_text(_expected_grid(EXPECTED_DATA, 4))


def test_numbers_are_numeric_cells(tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[4:8]] == [1.0, 2.0, 3.0, 4.0]
    assert all(isinstance(row[0], float) for row in rows[4:8])
    assert rows[8][:2] == ["合计", 4.0]
    xml = _sheet_xml(path)
    assert '<c r="A5"><v>1</v></c>' in xml
    assert '<c r="B9"><v>4</v></c>' in xml  # the 合计 count


def test_merged_ranges_and_dimension(tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.xlsx")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    merged = {
        f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges
    }
    assert merged == EXPECTED_MERGES
    xml = _sheet_xml(path)
    assert '<dimension ref="A1:J9"/>' in xml
    declared = set(re.findall(r'<mergeCell ref="([A-Z0-9:]+)"/>', xml))
    assert declared == EXPECTED_MERGES
    assert f'<mergeCells count="{len(EXPECTED_MERGES)}">' in xml


def test_package_parts_and_cell_kinds(tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.xlsx", sheet_name="花名册")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names == [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
        ]
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in zf.infolist())
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
        assert 'name="花名册"' in zf.read("xl/workbook.xml").decode()
        assert "sharedStrings" in zf.read("[Content_Types].xml").decode()
        assert zf.testzip() is None
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["花名册"]
    xml = _sheet_xml(path)
    # Every data row and cell carries its reference.
    for row in range(5, 10):
        assert f'<row r="{row}">' in xml
    assert '<c r="B5" t="s">' in xml  # 省 repeats: shared string
    assert '<c r="I5" t="inlineStr">' in xml  # 证件号码 is unique: inline string
    assert "&amp;" in xml and "&lt;" in xml and "&quot;" in xml and "&#13;" in xml
    assert "\x01" not in xml
    # Blank and null values give no cell at all.
    assert 'r="G6"' not in xml and 'r="G7"' not in xml and 'r="I7"' not in xml


def test_two_writes_are_byte_identical(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.xlsx").read_bytes()
    second = _write(tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_blocks_do_not_change_the_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    n = 257
    data = pa.table(
        {
            "序号": pa.array(range(1, n + 1), pa.int64()),
            "省": ["云南省"] * n,
            "市": ["保山市"] * n,
            "县": ["施甸县"] * n,
            "乡（镇）": [["甸阳镇", "由旺镇", "仁和镇"][i % 3] for i in range(n)],
            "村": [f"村{i % 11}" if i % 5 else None for i in range(n)],
            "村行政区划代码": [f"5305211002{i % 11:02d}" if i % 7 else "" for i in range(n)],
            "姓名": [f"姓名{i}" for i in range(n)],
            "证件号码": [f"530521{i:012d}" for i in range(n)],
            "备注": [f"<{i}>&" if i % 4 == 0 else None for i in range(n)],
        }
    )
    one_block = _write(tmp_path / "one.xlsx", data)
    monkeypatch.setattr(xlsx_writer, "CHUNK_ROWS", 10)
    many_blocks = _write(tmp_path / "many.xlsx", data)
    assert _sheet_xml(one_block) == _sheet_xml(many_blocks)

    expected = [[v if v is not None else "" for v in row.values()] for row in data.to_pylist()]
    assert _calamine_grid(many_blocks) == _expected_grid(expected, n)
    assert _fastexcel_grid(many_blocks) == _as_text(_expected_grid(expected, n))


def test_zip64_entries_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sheets whose XML may pass 2 GiB are written with ZIP64 headers; force that path here.
    monkeypatch.setattr(xlsx_writer, "_ZIP64_LIMIT", 0)
    path = _write(tmp_path / "zip64.xlsx")
    assert _calamine_grid(path) == _expected_grid(EXPECTED_DATA, 4)
    assert _fastexcel_grid(path) == _as_text(_expected_grid(EXPECTED_DATA, 4))


def test_empty_roster(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.xlsx", _table().slice(0, 0))
    assert _calamine_grid(path) == _expected_grid([], 0)


def test_float_nan_and_chunked_input(tmp_path: Path) -> None:
    table = _table()
    table = table.set_column(0, "序号", pa.array([1.0, math.nan, 2.5, None]))
    chunked = pa.concat_tables([table.slice(0, 2), table.slice(2)])
    assert chunked.column("省").num_chunks == 2
    path = _write(tmp_path / "floats.xlsx", chunked)
    grid = _calamine_grid(path)
    assert [row[0] for row in grid[4:8]] == [1, "", 2.5, ""]
    assert [row[1:] for row in grid[4:8]] == [row[1:] for row in EXPECTED_DATA]


def test_openpyxl_if_installed(tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.xlsx")
    try:
        import openpyxl
    except ImportError:  # not a dependency of the project; checked only where present
        return
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A1"].value == TITLE
    assert sheet["B3"].value == "所在地区"
    assert sheet["F4"].value == "村"
    assert sheet["A5"].value == 1
    assert sheet["H6"].value == '李"四"'
    assert sheet["A9"].value == "合计" and sheet["B9"].value == 4
    assert {str(r) for r in sheet.merged_cells.ranges} == EXPECTED_MERGES


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"groups": {"所在地区": ["省", "县"]}}, "adjacent"),
        ({"groups": {"所在地区": ["省", "不存在"]}}, "not a column"),
        ({"groups": {"甲": ["省"], "乙": ["省"]}}, "more than one group"),
        ({"columns": [*COLUMNS, "缺失"]}, "lacks columns"),
        ({"sheet_name": "a/b"}, "sheet name"),
    ],
)
def test_layout_is_validated(tmp_path: Path, kwargs: dict, message: str) -> None:
    args = {
        "title": TITLE,
        "export_time": EXPORT,
        "columns": COLUMNS,
        "groups": GROUPS,
        "data": _table(),
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        write_roster_xlsx(tmp_path / "bad.xlsx", **args)


def test_too_many_rows_for_one_sheet(tmp_path: Path) -> None:
    n = xlsx_writer.MAX_ROWS - xlsx_writer.FIRST_DATA_ROW + 1
    data = pa.table({c: pa.nulls(n, pa.string()) for c in COLUMNS})
    with pytest.raises(ValueError, match="do not fit"):
        _write(tmp_path / "big.xlsx", data)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"
    ]  # fmt: skip
