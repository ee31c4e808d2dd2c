import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_builders import valid_rows, write_csv, write_parquet

from yibao import contracts as c
from yibao.ingest import ContractError, read_parquet


def _select(sql: str) -> list[tuple]:
    return duckdb.connect().execute(sql).fetchall()


def test_typed_columns_come_out_as_text(tmp_path: Path) -> None:
    rows = valid_rows(c.CHRONIC_CERTIFICATIONS, 3)
    rows[1]["fixmedins_code"] = ""
    path = tmp_path / "chronic_certifications_202006.parquet"
    table = pa.table(
        {
            "doctor_count": pa.array([7, None, -2], pa.int64()),
            "begndate": pa.array([dt.date(2020, 6, 1)] * 3, pa.date32()),
            "enddate": pa.array(
                [dt.datetime(2020, 6, 30, 23, 59, 58, 500000)] * 3, pa.timestamp("us")
            ),
            "opsp_dise_code": pa.array(
                [Decimal("280.00"), Decimal("-1.50"), None], pa.decimal128(10, 2)
            ),
            **{
                n: pa.array([r[n] for r in rows])
                for n in ("psn_no", "certno", "opsp_dise_name", "fixmedins_code")
            },
            "备注": pa.array(["a", None, "c"]),
        }
    )
    pq.write_table(table, path)
    result = read_parquet(path, c.CHRONIC_CERTIFICATIONS)
    assert result.rows_delivered == 3
    assert result.table is None
    assert result.notices == ["extra columns kept in _extra_columns: 备注"]
    got = _select(
        "SELECT doctor_count, begndate, enddate, opsp_dise_code, fixmedins_code, _row_number, "
        f"_sheet, _extra_columns FROM ({result.select_sql})"
    )
    assert got == [
        (
            "7",
            "2020-06-01",
            "2020-06-30 23:59:58",
            "280.00",
            "fixmedins_code0",
            2,
            None,
            '{"备注":"a"}',
        ),
        (None, "2020-06-01", "2020-06-30 23:59:58", "-1.50", None, 3, None, '{"备注":null}'),
        (
            "-2",
            "2020-06-01",
            "2020-06-30 23:59:58",
            None,
            "fixmedins_code2",
            4,
            None,
            '{"备注":"c"}',
        ),
    ]


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "e.parquet"
    rows = valid_rows(c.ENROLMENT, 2)
    pq.write_table(
        pa.table({n: [r[n] for r in rows] for n in c.ENROLMENT.column_names if n != "insutype"}),
        path,
    )
    with pytest.raises(ContractError) as caught:
        read_parquet(path, c.ENROLMENT, "landing/2020-06/healthcare/e.parquet")
    assert (caught.value.file, caught.value.column) == (
        "landing/2020-06/healthcare/e.parquet",
        "insutype",
    )


def test_truncated_parquet_is_refused(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "e.parquet", c.ENROLMENT, valid_rows(c.ENROLMENT, 20))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ContractError, match="unreadable or truncated Parquet"):
        read_parquet(path, c.ENROLMENT)


def test_csv_named_parquet_is_the_wrong_kind(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.parquet", c.ENROLMENT, valid_rows(c.ENROLMENT, 2))
    with pytest.raises(ContractError, match="wrong file kind: text, not a Parquet file"):
        read_parquet(path, c.ENROLMENT)
