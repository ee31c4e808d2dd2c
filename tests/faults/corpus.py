"""The bad-input corpus: each case is a small transformation of one clean delivery month of the
generator's tiny tier, with the behaviour the pipeline must show (docs/bad-input.md).

    normalised   the month loads, the file without a reject, its values as the clean file's
    quarantined  the month loads, the named rows go to raw.rejects with the column in the reason
    refused      the month is refused with a ContractError naming the file (and row and column
                 where there is one); nothing of it is written, earlier months stay

`CASES` lists them; `make_corpus.py` writes each case's landing folder for people to inspect.
Every case edits month MONTH of a copy of the clean landing folder; none is a committed binary.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MONTH = "2019-12"
COUNTY = "530523"  # the second county of the tiny tier: one plain file per kind
CIVIL = f"civil_affairs/assistance_roster_{COUNTY}_201912.csv"
TAX = f"tax/premium_payments_{COUNTY}_201912.csv"
ROSTER = f"poverty/poverty_roster_{COUNTY}_201912.xlsx"
SETTLEMENTS = "healthcare/settlements_201912.parquet"
ENROLMENT = "healthcare/enrolment_201912.parquet"
INSTITUTIONS = "healthcare/institutions_201912.csv"


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    expect: str  # normalised | quarantined | refused
    target: str  # the file the case edits, relative to the month folder
    description: str
    apply: Callable[[Path], None]  # edits the month folder in place
    row: int | None = None  # refused: the row the message names; quarantined: a rejected row
    column: str | None = None  # the column the message or the reject names
    rejected: int = 0  # quarantined: rows of `target` in raw.rejects
    message: str = ""  # refused: a phrase of the message
    same_values: tuple[str, ...] = field(default=())  # normalised: columns equal to the clean


CASES: list[Case] = []


def case(name: str, group: str, expect: str, target: str, description: str, **details):
    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CASES.append(Case(name, group, expect, target, description, fn, **details))
        return fn
    return register


# --- helpers: read and write the delivered files ------------------------------------------------


def read_csv(path: Path, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str = ",") -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def civil_rows(month: Path) -> list[list[str]]:
    return read_csv(month / CIVIL, "gb18030")


def tax_rows(month: Path) -> list[list[str]]:
    return read_csv(month / TAX, "utf-8")


def roster_cells(month: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(month / ROSTER)).get_sheet_by_index(0).to_python()


def write_workbook(path: Path, sheets: list[tuple[str, list[list], bool]],
                   merges: tuple[tuple[int, int, int, int, str], ...] = ()) -> None:
    """Sheets of (name, rows, hidden); merges (first_row, first_col, last_row, last_col, text)
    apply to the first visible sheet."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    first_visible = True
    for name, rows, hidden in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value != "":
                    sheet.write(r, c, value)
        if hidden:
            sheet.hide()
        elif first_visible:
            for merge in merges:
                sheet.merge_range(*merge)
            sheet.activate()
            first_visible = False
    book.close()


def roster_header_merges(cells: list[list]) -> tuple[tuple[int, int, int, int, str], ...]:
    """The generator's two-level header: 所在地区 over 省…村, other names over two rows."""
    top, sub = cells[2], cells[3]
    merges = []
    c = 0
    while c < len(top):
        if top[c] and c + 1 < len(top) and top[c + 1] == "" and sub[c]:
            end = c
            while end + 1 < len(top) and top[end + 1] == "":
                end += 1
            merges.append((2, c, 2, end, top[c]))
            c = end + 1
            continue
        if top[c]:
            merges.append((2, c, 3, c, top[c]))
        c += 1
    return tuple(merges)


def edit_parquet(path: Path, edit: Callable[[pa.Table], pa.Table]) -> None:
    pq.write_table(edit(pq.read_table(path)), path)


def set_value(table: pa.Table, column: str, row: int, value) -> pa.Table:
    values = table[column].to_pylist()
    values[row] = value
    index = table.column_names.index(column)
    return table.set_column(index, column, pa.array(values, table.schema.field(column).type))


# --- encodings (civil affairs CSV, GBK as delivered) ---------------------------------------------


def _reencode(encoding: str) -> Callable[[Path], None]:
    def apply(month: Path) -> None:
        path = month / CIVIL
        path.write_bytes(path.read_bytes().decode("gb18030").encode(encoding))
    return apply


for _name, _enc, _what in (
    ("civil_gbk", "gbk", "GBK, as civil affairs usually sends"),
    ("civil_gb18030", "gb18030", "GB18030"),
    ("civil_utf8_bom", "utf-8-sig", "UTF-8 with a byte-order mark"),
    ("civil_utf8", "utf-8", "UTF-8 without a byte-order mark"),
):
    case(_name, "encoding", "normalised", CIVIL, f"the civil-affairs roster in {_what}",
         same_values=("成员姓名", "乡镇（街道）"))(_reencode(_enc))


@case("civil_utf16", "encoding", "refused", CIVIL, "the civil-affairs roster in UTF-16",
      message="UTF-16")
def _utf16(month: Path) -> None:
    path = month / CIVIL
    path.write_bytes(path.read_bytes().decode("gb18030").encode("utf-16"))


@case("civil_mixed_encodings", "encoding", "refused", CIVIL,
      "the first half of the rows in GBK, the rest in UTF-8 (two exports pasted together)",
      message="undecodable text")
def _mixed(month: Path) -> None:
    path = month / CIVIL
    lines = path.read_bytes().decode("gb18030").splitlines(keepends=True)
    half = len(lines) // 2
    path.write_bytes("".join(lines[:half]).encode("gbk") + "".join(lines[half:]).encode("utf-8"))


@case("civil_undecodable_bytes", "encoding", "refused", CIVIL,
      "bytes that no Chinese encoding decodes in one name", row=4, column="乡镇（街道）",
      message="undecodable text")
def _undecodable(month: Path) -> None:
    path = month / CIVIL
    lines = path.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b",", b",\xff\xfe\xff", 1)
    path.write_bytes(b"".join(lines))


# --- xlsx (the poverty roster) -------------------------------------------------------------------


@case("roster_as_delivered", "xlsx", "normalised", ROSTER,
      "the roster as the poverty office exports it: a title row, the export time, a merged "
      "two-level header (所在地区 over 省…村) and a 合计 row", same_values=("姓名", "证件号码"))
def _as_delivered(month: Path) -> None:
    pass


@case("roster_extra_title_rows", "xlsx", "normalised", ROSTER,
      "three more note rows above the header", same_values=("姓名", "证件号码"))
def _title_rows(month: Path) -> None:
    cells = roster_cells(month)
    width = len(cells[0])
    notes = [["填报单位：龙陵县扶贫办"] + [""] * (width - 1), [""] * width,
             ["注：本表由系统导出"] + [""] * (width - 1)]
    rows = notes + cells
    merges = tuple((r + 3, c0, r1 + 3, c1, t) for r, c0, r1, c1, t in roster_header_merges(cells))
    write_workbook(month / ROSTER, [("Sheet1", rows, False)], merges)


@case("roster_merged_header_rewritten", "xlsx", "normalised", ROSTER,
      "the same workbook saved by another program (xlsxwriter): merged header cells, numbers "
      "as floats", same_values=("姓名", "证件号码"))
def _rewritten(month: Path) -> None:
    cells = roster_cells(month)
    write_workbook(month / ROSTER, [("Sheet1", cells, False)], roster_header_merges(cells))


@case("roster_empty_trailing_rows", "xlsx", "normalised", ROSTER,
      "empty and blank-looking rows after the 合计 row", same_values=("姓名",))
def _trailing(month: Path) -> None:
    cells = roster_cells(month)
    width = len(cells[0])
    rows = cells + [[""] * width, [" "] + [""] * (width - 1), [""] * width]
    write_workbook(month / ROSTER, [("Sheet1", rows, False)], roster_header_merges(cells))


@case("roster_hidden_sheet", "xlsx", "normalised", ROSTER,
      "a hidden first sheet of lookup values before the roster sheet", same_values=("姓名",))
def _hidden(month: Path) -> None:
    cells = roster_cells(month)
    lookup = [["民族", "代码"], ["汉族", "01"], ["彝族", "04"]]
    write_workbook(month / ROSTER, [("代码表", lookup, True), ("Sheet1", cells, False)],
                   roster_header_merges(cells))


@case("roster_xls_named_xlsx", "xlsx", "refused", ROSTER,
      "a legacy .xls workbook saved with the .xlsx extension", message=".xls")
def _xls(month: Path) -> None:
    import xlwt

    cells = roster_cells(month)
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(cells[:50]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    (month / ROSTER).write_bytes(buffer.getvalue())


@case("roster_password_protected", "xlsx", "refused", ROSTER,
      "the workbook protected with a password (an encrypted container)", message="password")
def _password(month: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    path = month / ROSTER
    out = io.BytesIO()
    with path.open("rb") as f:
        OOXMLFile(f).encrypt("yibao", out)
    path.write_bytes(out.getvalue())


@case("roster_truncated", "xlsx", "refused", ROSTER, "the workbook cut off mid-transfer",
      message="truncated")
def _truncated(month: Path) -> None:
    path = month / ROSTER
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@case("roster_csv_named_xlsx", "xlsx", "refused", ROSTER,
      "a CSV export saved with the .xlsx extension", message="wrong file kind")
def _csv_named_xlsx(month: Path) -> None:
    cells = roster_cells(month)
    write_csv(month / ROSTER, [[str(v) for v in row] for row in cells[2:]], "utf-8")


# --- CSV layout (the tax file, UTF-8) ------------------------------------------------------------


@case("tax_semicolon_delimiter", "csv", "refused", TAX,
      "fields separated by semicolons (a European-locale export)", row=1,
      message="separated by semicolons")
def _semicolon(month: Path) -> None:
    write_csv(month / TAX, tax_rows(month), "utf-8", delimiter=";")


@case("tax_tab_delimiter", "csv", "refused", TAX, "fields separated by tabs", row=1,
      message="separated by tabs")
def _tab(month: Path) -> None:
    write_csv(month / TAX, tax_rows(month), "utf-8", delimiter="\t")


@case("tax_quoted_newline", "csv", "normalised", TAX,
      "a payer's name with a line break inside quotes", same_values=("电子税票号码",))
def _quoted_newline(month: Path) -> None:
    rows = tax_rows(month)
    rows[2][3] = rows[2][3] + "\n(代缴)"
    write_csv(month / TAX, rows, "utf-8")


@case("tax_ragged_row", "csv", "quarantined", TAX, "one row with an extra field", row=3,
      rejected=1)
def _ragged(month: Path) -> None:
    rows = tax_rows(month)
    rows[2].append("多余")
    write_csv(month / TAX, rows, "utf-8")


@case("tax_short_row", "csv", "quarantined", TAX, "one row missing its last field", row=4,
      rejected=1)
def _short(month: Path) -> None:
    rows = tax_rows(month)
    rows[3] = rows[3][:-1]
    write_csv(month / TAX, rows, "utf-8")


# --- columns -------------------------------------------------------------------------------------


@case("tax_missing_column", "columns", "refused", TAX, "the column 缴费日期 left out",
      column="缴费日期", message="missing column")
def _missing_column(month: Path) -> None:
    rows = tax_rows(month)
    i = rows[0].index("缴费日期")
    write_csv(month / TAX, [r[:i] + r[i + 1:] for r in rows], "utf-8")


@case("tax_renamed_column", "columns", "refused", TAX, "缴费日期 renamed 缴款日期",
      column="缴费日期", message="missing column")
def _renamed_column(month: Path) -> None:
    rows = tax_rows(month)
    rows[0][rows[0].index("缴费日期")] = "缴款日期"
    write_csv(month / TAX, rows, "utf-8")


@case("tax_extra_column", "columns", "normalised", TAX, "an extra column 备注 at the end",
      same_values=("电子税票号码", "实缴费额"))
def _extra_column(month: Path) -> None:
    rows = tax_rows(month)
    write_csv(month / TAX, [r + (["备注"] if i == 0 else [""]) for i, r in enumerate(rows)],
              "utf-8")


@case("tax_reordered_columns", "columns", "normalised", TAX, "the columns in reverse order",
      same_values=("电子税票号码", "实缴费额"))
def _reordered(month: Path) -> None:
    write_csv(month / TAX, [list(reversed(r)) for r in tax_rows(month)], "utf-8")


@case("tax_duplicate_column", "columns", "refused", TAX, "the column 实缴费额 twice",
      column="实缴费额", message="duplicate column")
def _duplicate_column(month: Path) -> None:
    rows = tax_rows(month)
    i = rows[0].index("实缴费额")
    write_csv(month / TAX, [r + [r[i]] for r in rows], "utf-8")


@case("settlements_missing_column", "columns", "refused", SETTLEMENTS,
      "the settlements Parquet without hifmi_pay", column="hifmi_pay",
      message="missing column")
def _parquet_missing(month: Path) -> None:
    edit_parquet(month / SETTLEMENTS, lambda t: t.drop_columns(["hifmi_pay"]))


# --- values --------------------------------------------------------------------------------------


def _tax_value(column: str, value: str) -> Callable[[Path], None]:
    """Write `value` into `column` of the tax file's second data row (row 3)."""
    def apply(month: Path) -> None:
        rows = tax_rows(month)
        rows[2][rows[0].index(column)] = value
        write_csv(month / TAX, rows, "utf-8")
    return apply


for _name, _column, _value, _what in (
    ("tax_amount_not_a_number", "实缴费额", "二百八", "实缴费额 written 二百八"),
    ("tax_date_excel_serial", "缴费日期", "43813",
     "缴费日期 as an Excel serial number (43813)"),
    ("tax_date_not_a_day", "缴费日期", "2019-02-30", "缴费日期 2019-02-30"),
):
    case(_name, "values", "quarantined", TAX, _what, row=3, column=_column,
         rejected=1)(_tax_value(_column, _value))


@case("civil_four_date_spellings", "values", "normalised", CIVIL,
      "保障起始日期 in the four spellings: 2019-03-01, 2019/3/1, 20190301, 2019年3月",
      same_values=("成员姓名",))
def _spellings(month: Path) -> None:
    rows = civil_rows(month)
    i = rows[0].index("保障起始日期")
    for k, spelled in enumerate(("2019-03-01", "2019/3/1", "20190301", "2019年3月")):
        rows[1 + k][i] = spelled
    write_csv(month / CIVIL, rows, "gbk")


case("tax_void_flag_out_of_list", "values", "quarantined", TAX, "作废标志 2", row=3,
     column="作废标志", rejected=1)(_tax_value("作废标志", "2"))


@case("civil_full_width_id", "values", "normalised", CIVIL,
      "成员身份证号 in full-width digits (normalised in staging, a finding of the warehouse)",
      same_values=("成员姓名",))
def _full_width(month: Path) -> None:
    rows = civil_rows(month)
    i = rows[0].index("成员身份证号")
    rows[1][i] = rows[1][i].translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    write_csv(month / CIVIL, rows, "gbk")


@case("civil_spaces_and_zero_width", "values", "normalised", CIVIL,
      "trailing spaces and a zero-width space in an ID and a name", same_values=("区县",))
def _zero_width(month: Path) -> None:
    rows = civil_rows(month)
    i, n = rows[0].index("成员身份证号"), rows[0].index("成员姓名")
    rows[1][i] = rows[1][i][:6] + "\u200b" + rows[1][i][6:] + "  "
    rows[1][n] = rows[1][n] + " "
    write_csv(month / CIVIL, rows, "gb18030")


@case("settlements_text_in_amount", "values", "quarantined", SETTLEMENTS,
      "a Parquet medfee_sumamt column typed text, one value 'n/a'", row=2,
      column="medfee_sumamt", rejected=1)
def _parquet_text(month: Path) -> None:
    def edit(t: pa.Table) -> pa.Table:
        text = pc.cast(t["medfee_sumamt"], pa.string()).to_pylist()
        text[0] = "n/a"
        i = t.column_names.index("medfee_sumamt")
        return t.set_column(i, "medfee_sumamt", pa.array(text, pa.string()))
    edit_parquet(month / SETTLEMENTS, edit)


# --- deliveries ----------------------------------------------------------------------------------


@case("civil_duplicate_rows", "deliveries", "normalised", CIVIL,
      "two rows delivered twice (loaded; duplicates are the warehouse's finding)",
      same_values=("区县",))
def _duplicate_rows(month: Path) -> None:
    rows = civil_rows(month)
    write_csv(month / CIVIL, rows + rows[1:3], "gbk")


@case("tax_duplicate_delivery", "deliveries", "normalised", TAX,
      "the same file sent again as _v2 (ignored with a notice)", same_values=("电子税票号码",))
def _duplicate_delivery(month: Path) -> None:
    shutil.copyfile(month / TAX, month / TAX.replace(".csv", "_v2.csv"))


@case("tax_header_only", "deliveries", "normalised", TAX,
      "a county with nothing to report: the header alone")
def _header_only(month: Path) -> None:
    write_csv(month / TAX, tax_rows(month)[:1], "utf-8")


@case("tax_zero_bytes", "deliveries", "refused", TAX, "an empty (zero-byte) file",
      message="empty file")
def _zero_bytes(month: Path) -> None:
    (month / TAX).write_bytes(b"")


@case("tax_department_missing", "deliveries", "refused", "tax",
      "the tax bureau's folder missing from the month", message="missing delivery")
def _department_missing(month: Path) -> None:
    shutil.rmtree(month / "tax")


@case("stray_file", "deliveries", "refused", "tax/说明.txt",
      "a note left in the tax folder", message="unknown file kind")
def _stray(month: Path) -> None:
    (month / "tax" / "说明.txt").write_text("12月数据", encoding="utf-8")


@case("tax_wrong_month_in_name", "deliveries", "refused", TAX.replace("201912", "201911"),
      "a November file in the December folder", message="month")
def _wrong_month(month: Path) -> None:
    (month / TAX).rename(month / TAX.replace("201912", "201911"))


# --- money and reversals (settlements) -----------------------------------------------------------


@case("settlement_money_does_not_add_up", "money", "quarantined", SETTLEMENTS,
      "medfee_sumamt 100 yuan more than funds + person + hospital", row=2,
      column="medfee_sumamt", rejected=1)
def _money(month: Path) -> None:
    def edit(t: pa.Table) -> pa.Table:
        total = t["medfee_sumamt"].to_pylist()
        return set_value(t, "medfee_sumamt", 0, total[0] + 100)
    edit_parquet(month / SETTLEMENTS, edit)


@case("settlement_reversal_without_original", "money", "quarantined", SETTLEMENTS,
      "a reversal (refd_setl_flag 1) of a setl_id delivered in no loaded month", row=2,
      column="setl_id", rejected=1)
def _orphan_reversal(month: Path) -> None:
    def edit(t: pa.Table) -> pa.Table:
        t = set_value(t, "refd_setl_flag", 0, "1")
        return set_value(t, "setl_id", 0, "S190001000000001")
    edit_parquet(month / SETTLEMENTS, edit)


# --- regions -------------------------------------------------------------------------------------


@case("civil_unknown_township", "regions", "normalised", CIVIL,
      "a township name that resolves to no township of the county (loaded; the warehouse "
      "reports it in fct_region_name_finding)", same_values=("成员姓名",))
def _unknown_township(month: Path) -> None:
    rows = civil_rows(month)
    rows[1][rows[0].index("乡镇（街道）")] = "不存在乡"
    write_csv(month / CIVIL, rows, "gbk")


@case("institutions_unknown_region_code", "regions", "quarantined", INSTITUTIONS,
      "an institution whose admdvs is not a six-digit code", row=2, column="admdvs", rejected=1)
def _bad_admdvs(month: Path) -> None:
    rows = read_csv(month / INSTITUTIONS, "utf-8")
    rows[1][rows[0].index("admdvs")] = "保山"
    write_csv(month / INSTITUTIONS, rows, "utf-8")
