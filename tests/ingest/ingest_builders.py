"""Tiny contract-conformant delivery files, built in a test's tmp_path.

`valid_rows(kind, n)` makes rows that pass every row check; the writers lay them out as the
departments do (roster workbook with title, export time, merged two-level header and 合计 row;
GBK/GB18030/UTF-8-BOM CSV; typed Parquet), and `build_month` writes a complete delivery month.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from yibao import contracts as c

COUNTY = "530521"
_CODE_SAMPLES = {
    r"\d{12}": "530521100001",
    r"20(1[4-9]|20)": "2019",
    r"\d{2}": "01",
    r"\d{6}": COUNTY,
    r"1\d{10}": "15305210001",
    r"\d{9}": "530521100",
}
_DATES = ("2020-06-01", "2020/6/1", "20200601", "2020年6月")

Row = dict[str, str | None]


def valid_value(column: c.Column, i: int) -> str:
    """A value of `column` that passes its check, varying with the row index `i`."""
    if column.kind == "integer":
        return str(i + 1)
    if column.kind == "decimal":
        return f"{280 + i}.00"
    if column.kind == "date":
        return _DATES[i % len(_DATES)]
    if column.kind == "datetime":
        return f"2020-06-03 09:12:{i % 60:02d}"
    if column.kind == "enum":
        return column.values[i % len(column.values)]
    if column.kind == "code":
        return _CODE_SAMPLES[column.pattern]
    return f"{column.name}{i}"


def valid_rows(kind: c.FileKind, n: int) -> list[Row]:
    rows = [{col.name: valid_value(col, i) for col in kind.columns} for i in range(n)]
    for row in rows:  # amounts that must add up do (a total after the totals it adds)
        for _ in kind.sums:
            for total, parts in kind.sums:
                row[total] = f"{sum(Decimal(row[p]) for p in parts):.2f}"
    if kind.reversal is not None:  # a reversal cancels the original just before it
        key, flag = kind.reversal
        for before, row in zip([None, *rows], rows, strict=False):
            if row[flag] == "1":
                if before is not None and before[flag] == "0":
                    row[key] = before[key]
                else:
                    row[flag] = "0"
    return rows


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def write_csv(
    path: Path,
    kind: c.FileKind,
    rows: Sequence[Row],
    *,
    encoding: str = "utf-8",
    header: Sequence[str] | None = None,
) -> Path:
    """Rows as CSV in `encoding` ('utf-8-sig' writes a BOM); `header` overrides the columns."""
    header = list(header or kind.column_names)
    text = csv_text(header, [[r.get(h) for h in header] for r in rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def write_roster(
    path: Path,
    rows: Sequence[Row],
    *,
    header: Sequence[str] | None = None,
    total: bool = True,
    total_count: int | None = None,
    sheet: str = "花名册",
) -> Path:
    """The poverty roster workbook: title, export time, two-level merged header, data, 合计."""
    header = list(header or c.POVERTY_ROSTER.column_names)
    group, members = c.POVERTY_ROSTER_REGION_GROUP
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(path)
    ws = workbook.add_worksheet(sheet)
    ws.merge_range(0, 0, 0, len(header) - 1, "施甸县建档立卡贫困人口花名册（2020年6月）")
    ws.write(1, 0, "导出时间：2020-06-03 09:12:44")
    grouped = [j for j, h in enumerate(header) if h in members]
    if grouped:
        ws.merge_range(2, grouped[0], 2, grouped[-1], group)
    for j, name in enumerate(header):
        if j in grouped:
            ws.write(3, j, name)
        else:
            ws.merge_range(2, j, 3, j, name)
    for i, row in enumerate(rows):
        for j, name in enumerate(header):
            value = row.get(name)
            if value is None:
                continue
            if name == "序号" and value.isdigit():
                ws.write_number(4 + i, j, int(value))  # numbers as numeric cells
            else:
                ws.write_string(4 + i, j, value)
    if total:
        ws.write(4 + len(rows), 0, "合计")
        ws.write_number(4 + len(rows), 1, len(rows) if total_count is None else total_count)
    workbook.close()
    return path


def write_parquet(
    path: Path,
    kind: c.FileKind,
    rows: Sequence[Row],
    *,
    types: Mapping[str, pa.DataType] | None = None,
) -> Path:
    """Rows as Parquet; columns named in `types` are written typed (date, timestamp, ...)."""
    types = dict(types or {})
    arrays = {}
    for name in kind.column_names:
        values = [r.get(name) for r in rows]
        kind_ = types.get(name, pa.string())
        arrays[name] = pa.array([_typed(v, kind_) for v in values], kind_)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(arrays), path)
    return path


def _typed(value: str | None, kind: pa.DataType) -> object:
    if value is None:
        return None
    if pa.types.is_date(kind):
        return dt.date.fromisoformat(value)
    if pa.types.is_timestamp(kind):
        return dt.datetime.fromisoformat(value)
    if pa.types.is_decimal(kind):
        return Decimal(value)
    if pa.types.is_integer(kind):
        return int(value)
    return value


# Settlements are delivered with typed Parquet columns: dates, a timestamp, decimal money.
SETTLEMENT_TYPES: dict[str, pa.DataType] = {
    "begndate": pa.date32(),
    "enddate": pa.date32(),
    "setl_time": pa.timestamp("us"),
    **{col.name: pa.decimal128(12, 2) for col in c.SETTLEMENTS.columns if col.kind == "decimal"},
}


def settlement_rows(n: int) -> list[Row]:
    rows = valid_rows(c.SETTLEMENTS, n)
    for r in rows:
        r["begndate"] = r["enddate"] = "2020-06-01"
    return rows


def month_folder(landing: Path, month: str) -> Path:
    return landing / month


def build_month(
    landing: Path, month: str = "2020-06", *, sizes: Mapping[str, int] | None = None
) -> dict[str, Path]:
    """A complete, clean delivery month; returns the file of each kind by kind name."""
    n = {k.name: 3 for k in c.MONTHLY_KINDS} | {"poverty_roster": 5} | dict(sizes or {})
    yyyymm = month.replace("-", "")
    base = landing / month
    files = {
        "poverty_roster": write_roster(
            base / "poverty" / f"poverty_roster_{COUNTY}_{yyyymm}.xlsx",
            valid_rows(c.POVERTY_ROSTER, n["poverty_roster"]),
        ),
        "assistance_roster": write_csv(
            base / "civil_affairs" / f"assistance_roster_{COUNTY}_{yyyymm}.csv",
            c.ASSISTANCE_ROSTER,
            valid_rows(c.ASSISTANCE_ROSTER, n["assistance_roster"]),
            encoding="gbk",
        ),
        "premium_payments": write_csv(
            base / "tax" / f"premium_payments_{COUNTY}_{yyyymm}.csv",
            c.PREMIUM_PAYMENTS,
            valid_rows(c.PREMIUM_PAYMENTS, n["premium_payments"]),
        ),
        "enrolment": write_parquet(
            base / "healthcare" / f"enrolment_{yyyymm}.parquet",
            c.ENROLMENT,
            valid_rows(c.ENROLMENT, n["enrolment"]),
        ),
        "person_identities": write_parquet(
            base / "healthcare" / f"person_identities_{yyyymm}.parquet",
            c.PERSON_IDENTITIES,
            valid_rows(c.PERSON_IDENTITIES, n["person_identities"]),
        ),
        "settlements": write_parquet(
            base / "healthcare" / f"settlements_{yyyymm}.parquet",
            c.SETTLEMENTS,
            settlement_rows(n["settlements"]),
            types=SETTLEMENT_TYPES,
        ),
        "chronic_certifications": write_parquet(
            base / "healthcare" / f"chronic_certifications_{yyyymm}.parquet",
            c.CHRONIC_CERTIFICATIONS,
            valid_rows(c.CHRONIC_CERTIFICATIONS, n["chronic_certifications"]),
            types={"doctor_count": pa.int64()},
        ),
        "institutions": write_csv(
            base / "healthcare" / f"institutions_{yyyymm}.csv",
            c.INSTITUTIONS,
            valid_rows(c.INSTITUTIONS, n["institutions"]),
        ),
        "poor_enrolment_summary": write_csv(
            base / "healthcare" / f"poor_enrolment_summary_{yyyymm}.csv",
            c.POOR_ENROLMENT_SUMMARY,
            valid_rows(c.POOR_ENROLMENT_SUMMARY, n["poor_enrolment_summary"]),
        ),
    }
    return files


def build_reference(landing: Path, year: str = "2020", n: int = 4) -> Path:
    return write_csv(
        landing / "reference" / f"population_{year}.csv", c.POPULATION, valid_rows(c.POPULATION, n)
    )
