import duckdb
import pyarrow as pa
import pytest

from yibao.contracts import Column, FileKind
from yibao.ingest.checks import reject_query

KIND = FileKind(
    name="probe",
    department="tax",
    stem="probe",
    formats=("csv",),
    title="probe",
    columns=(
        Column("整数", "integer"),
        Column("金额", "decimal"),
        Column("日期", "date"),
        Column("时间", "datetime"),
        Column("性别", "enum", values=("男", "女")),
        Column("代码", "code", pattern=r"\d{6}"),
        Column("必填", nullable=False),
        Column("备注"),
    ),
)
VALID = {
    "整数": "1",
    "金额": "1.00",
    "日期": "2019-03-01",
    "时间": "2020-06-03 09:12:44",
    "性别": "男",
    "代码": "530521",
    "必填": "x",
    "备注": "anything 任何",
}


def _rejects(rows: list[dict]) -> list[tuple]:
    con = duckdb.connect()
    table = pa.table(
        {
            **{n: pa.array([r.get(n) for r in rows], pa.string()) for n in KIND.column_names},
            "_row_number": pa.array(range(2, len(rows) + 2), pa.int64()),
            "_extra_columns": pa.array([None] * len(rows), pa.string()),
        }
    )
    con.register("source", table)
    return con.execute(
        f"SELECT row_number, column_name, value, reason FROM ({reject_query(KIND, 'source')}) "
        "ORDER BY row_number"
    ).fetchall()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("整数", "-12"),
        ("整数", None),
        ("金额", "280"),
        ("金额", "-280.5"),
        ("金额", "0.01"),
        ("日期", "2019-3-1"),
        ("日期", "2019/3/1"),
        ("日期", "2019/03/01"),
        ("日期", "20190301"),
        ("日期", "2019年3月"),
        ("日期", "2020-02-29"),
        ("时间", "2020-06-03 09:12:44"),
        ("时间", "2020-06-03"),
        ("时间", "2020/6/3"),
        ("性别", "女"),
        ("代码", "000000"),
        ("备注", ""),
    ],
)
def test_valid_values_pass(column: str, value: str | None) -> None:
    assert _rejects([VALID | {column: value}]) == []


@pytest.mark.parametrize(
    ("column", "value", "what"),
    [
        ("整数", "1.0", "is not an integer"),
        ("整数", " 1", "is not an integer"),
        ("金额", "280.001", "is not a decimal with at most two places"),
        ("金额", "1,280.00", "is not a decimal with at most two places"),
        ("金额", ".5", "is not a decimal with at most two places"),
        ("日期", "2019-13-45", "is not a date"),
        ("日期", "2019-02-29", "is not a date"),
        ("日期", "2019年13月", "is not a date"),
        ("日期", "2019-03-01 ", "is not a date"),
        ("日期", "2019.03.01", "is not a date"),
        ("日期", "201931", "is not a date"),
        ("日期", "2019-3/1", "is not a date"),
        ("时间", "2020-06-03T09:12:44", "is not a date-time"),
        ("时间", "2020-06-03 24:00:00", "is not a date-time"),
        ("性别", "M", "is not one of 男/女"),
        ("代码", "53052", r"does not match \d{6}"),
        ("代码", "5305210", r"does not match \d{6}"),
    ],
)
def test_invalid_values_are_rejected(column: str, value: str, what: str) -> None:
    assert _rejects([VALID | {column: value}]) == [
        (2, column, value, f"{column}: '{value}' {what}")
    ]


def test_required_column_must_not_be_null() -> None:
    assert _rejects([VALID | {"必填": None}]) == [(2, "必填", None, "必填: missing (required)")]


def test_reason_names_every_failing_column_in_contract_order() -> None:
    rows = [VALID, VALID | {"代码": "x", "日期": "2019-13-45", "必填": None}, VALID]
    assert _rejects(rows) == [
        (
            3,
            "日期",
            "2019-13-45",
            "日期: '2019-13-45' is not a date; 代码: 'x' does not match \\d{6}; "
            "必填: missing (required)",
        ),
    ]
