import json
import shutil
from pathlib import Path

import duckdb
import pytest
from ingest_builders import (
    COUNTY,
    build_month,
    build_reference,
    csv_text,
    valid_rows,
    write_csv,
    write_roster,
)

from yibao import contracts as c
from yibao.ingest import ContractError, load_month, load_reference
from yibao.ingest import load as load_module

SIZES = {"poverty_roster": 5, "assistance_roster": 4, "premium_payments": 3}


def _snapshot(con: duckdb.DuckDBPyConnection, *, with_load_time: bool = True) -> dict:
    """Every table of schema raw, sorted; optionally without the load timestamps."""
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
            "ORDER BY table_name"
        ).fetchall()
    ]
    snapshot = {}
    for table in tables:
        columns = [
            n
            for (n,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
                "AND table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        if not with_load_time:
            columns = [n for n in columns if n not in ("_loaded_at", "loaded_at")]
        listed = ", ".join(f'"{n}"' for n in columns)
        snapshot[table] = con.execute(f"SELECT {listed} FROM raw.{table} ORDER BY ALL").fetchall()
    return snapshot


def _counts(con: duckdb.DuckDBPyConnection, month: str) -> dict[str, int]:
    return {
        k.name: con.execute(
            f"SELECT count(*) FROM raw.{k.raw_table} WHERE _delivery_month = ?", [month]
        ).fetchall()[0][0]
        for k in c.MONTHLY_KINDS
    }


def _assert_balanced(con: duckdb.DuckDBPyConnection) -> None:
    """loaded + rejected = delivered for every loaded file, in the log and in the tables."""
    for kind, source, delivered, loaded, rejected in con.execute(
        "SELECT kind, source_file, rows_delivered, rows_loaded, rows_rejected FROM raw.load_log "
        "WHERE status = 'loaded'"
    ).fetchall():
        in_raw = con.execute(
            f"SELECT count(*) FROM raw.raw_{kind} WHERE _source_file = ?", [source]
        ).fetchall()[0][0]
        in_rejects = con.execute(
            "SELECT count(*) FROM raw.rejects WHERE source_file = ?", [source]
        ).fetchall()[0][0]
        assert (loaded, rejected) == (in_raw, in_rejects)
        assert loaded + rejected == delivered


def test_the_write_of_each_kind_is_reported_with_its_rows(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """Inside the month's transaction each kind's rows are reported once written (the Dagster
    log shows them: at the province tier the write takes minutes)."""
    build_month(landing, sizes=SIZES)
    told: list[tuple[str, int, float]] = []
    report = load_month(con, landing, "2020-06", written=lambda *args: told.append(args))
    kinds = [kind for kind, _, _ in told]
    assert sorted(kinds) == sorted(k.name for k in c.MONTHLY_KINDS)
    assert len(set(kinds)) == len(kinds)
    assert {kind: rows for kind, rows, _ in told} == _counts(con, "2020-06")
    assert sum(rows for _, rows, _ in told) == report.rows_loaded
    assert all(seconds >= 0 for _, _, seconds in told)


def test_clean_month_loads_every_row(landing: Path, con: duckdb.DuckDBPyConnection) -> None:
    build_month(landing, sizes=SIZES)
    report = load_month(con, landing, "2020-06")
    expected = {k.name: 3 for k in c.MONTHLY_KINDS} | SIZES
    assert _counts(con, "2020-06") == expected
    assert report.rows_loaded == report.rows_delivered == sum(expected.values())
    assert report.rows_rejected == 0
    assert con.execute("SELECT count(*) FROM raw.rejects").fetchall() == [(0,)]
    assert con.execute(
        "SELECT kind, status, rows_delivered, rows_loaded, rows_rejected FROM raw.load_log "
        "ORDER BY kind"
    ).fetchall() == [(k, "loaded", n, n, 0) for k, n in sorted(expected.items())]
    assert con.execute(
        'SELECT _row_number, "序号", _sheet, _file_county, _delivery_month, _source_file '
        "FROM raw.raw_poverty_roster ORDER BY _row_number"
    ).fetchall() == [
        (
            5 + i,
            str(i + 1),
            "花名册",
            COUNTY,
            "2020-06",
            f"2020-06/poverty/poverty_roster_{COUNTY}_202006.xlsx",
        )
        for i in range(5)
    ]
    for kind in ("assistance_roster", "enrolment", "settlements"):
        numbers = con.execute(f"SELECT _row_number FROM raw.raw_{kind} ORDER BY 1").fetchall()
        assert [n for (n,) in numbers] == list(range(2, 2 + expected[kind])), kind
    assert con.execute(
        "SELECT begndate, setl_time, medfee_sumamt, _file_county FROM raw.raw_settlements "
        "ORDER BY _row_number LIMIT 1"
    ).fetchall() == [("2020-06-01", "2020-06-03 09:12:00", "2800.00", None)]
    assert con.execute(
        "SELECT DISTINCT encoding FROM raw.load_log WHERE kind = 'assistance_roster'"
    ).fetchall() == [("gb18030",)]
    assert "total" in str(report) and "poverty_roster" in str(report)
    assert con.execute(  # the staging temp tables and views are gone
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE temporary) + "
        "(SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal)"
    ).fetchall() == [(0,)]


def test_raw_tables_have_contract_then_metadata_columns(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    build_month(landing)
    load_month(con, landing, "2020-06")
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'raw' AND table_name = 'raw_assistance_roster' "
        "ORDER BY ordinal_position"
    ).fetchall()
    assert [n for n, _ in columns] == [
        *c.ASSISTANCE_ROSTER.column_names,
        "_source_file",
        "_sheet",
        "_row_number",
        "_delivery_month",
        "_file_county",
        "_file_hash",
        "_extra_columns",
        "_loaded_at",
    ]
    assert {t for n, t in columns if not n.startswith("_")} == {"VARCHAR"}


def test_bad_values_are_quarantined_and_the_rest_loads(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = build_month(landing)
    rows = valid_rows(c.ASSISTANCE_ROSTER, 5)
    rows[2]["保障起始日期"] = "2019-13-45"
    rows[3]["月保障金额"] = "二百八"
    lines = [[r[h] for h in c.ASSISTANCE_ROSTER.column_names] for r in rows]
    lines[4] = lines[4][:-1]  # ragged: row 6
    files["assistance_roster"].write_bytes(
        csv_text(c.ASSISTANCE_ROSTER.column_names, lines).encode("gbk")
    )
    report = load_month(con, landing, "2020-06")
    [file] = [f for f in report.files if f.kind == "assistance_roster"]
    assert (file.rows_delivered, file.rows_loaded, file.rows_rejected) == (5, 2, 3)
    rejects = con.execute(
        "SELECT row_number, column_name, value, reason, record, kind, delivery_month "
        "FROM raw.rejects ORDER BY row_number"
    ).fetchall()
    assert [r[:4] for r in rejects] == [
        (4, "保障起始日期", "2019-13-45", "保障起始日期: '2019-13-45' is not a date"),
        (
            5,
            "月保障金额",
            "二百八",
            "月保障金额: '二百八' is not a decimal with at most two places",
        ),
        (6, None, None, "ragged row: 15 fields, expected 16"),
    ]
    assert json.loads(rejects[0][4])["成员姓名"] == "成员姓名2"
    assert {r[5:] for r in rejects} == {("assistance_roster", "2020-06")}
    assert [
        n
        for (n,) in con.execute(
            "SELECT _row_number FROM raw.raw_assistance_roster ORDER BY 1"
        ).fetchall()
    ] == [2, 3]
    _assert_balanced(con)


def test_gb18030_and_utf8_bom_files_load_with_chinese_text(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = build_month(landing)
    folder = files["assistance_roster"].parent
    for county, encoding, name in (("530522", "gb18030", "李𠀀"), ("530523", "utf-8-sig", "王五")):
        rows = valid_rows(c.ASSISTANCE_ROSTER, 1)
        rows[0]["成员姓名"] = name
        write_csv(
            folder / f"assistance_roster_{county}_202006.csv",
            c.ASSISTANCE_ROSTER,
            rows,
            encoding=encoding,
        )
    load_month(con, landing, "2020-06")
    assert con.execute(
        'SELECT _file_county, "成员姓名", "区县" FROM raw.raw_assistance_roster '
        "WHERE _file_county <> ? ORDER BY 1",
        [COUNTY],
    ).fetchall() == [("530522", "李𠀀", "区县0"), ("530523", "王五", "区县0")]
    assert con.execute(
        "SELECT source_file, encoding FROM raw.load_log WHERE kind = 'assistance_roster' ORDER BY 1"
    ).fetchall() == [
        (f"2020-06/civil_affairs/assistance_roster_{COUNTY}_202006.csv", "gb18030"),
        ("2020-06/civil_affairs/assistance_roster_530522_202006.csv", "gb18030"),
        ("2020-06/civil_affairs/assistance_roster_530523_202006.csv", "utf-8-sig"),
    ]


def test_duplicate_delivery_is_ignored_with_a_notice(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = build_month(landing)
    copy = files["premium_payments"].with_name("premium_payments_530522_202006.csv")
    shutil.copyfile(files["premium_payments"], copy)
    report = load_month(con, landing, "2020-06")
    assert _counts(con, "2020-06")["premium_payments"] == 3
    assert con.execute(
        "SELECT status, notice, rows_loaded FROM raw.load_log WHERE source_file = ?",
        ["2020-06/tax/premium_payments_530522_202006.csv"],
    ).fetchall() == [
        (
            "duplicate",
            f"duplicate of 2020-06/tax/premium_payments_{COUNTY}_202006.csv (same SHA-256); "
            "ignored",
            None,
        )
    ]
    [duplicate] = report.of_status("duplicate")
    assert duplicate.notices[0].startswith("duplicate of")


def test_correction_replaces_its_original(landing: Path, con: duckdb.DuckDBPyConnection) -> None:
    files = build_month(landing)
    original = files["premium_payments"]
    rows = valid_rows(c.PREMIUM_PAYMENTS, 2)
    for r in rows:
        r["缴费人姓名"] = "更正"
    write_csv(original.with_name(f"{original.stem}_v2.csv"), c.PREMIUM_PAYMENTS, rows)
    load_month(con, landing, "2020-06")
    assert con.execute(
        'SELECT DISTINCT "缴费人姓名", _source_file FROM raw.raw_premium_payments'
    ).fetchall() == [("更正", f"2020-06/tax/{original.stem}_v2.csv")]
    assert con.execute(
        "SELECT version, status FROM raw.load_log WHERE kind = 'premium_payments' ORDER BY version"
    ).fetchall() == [(1, "superseded"), (2, "loaded")]


def test_stem_version_conflict_refuses_the_month(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    build_month(landing)
    write_csv(
        landing / "2020-06" / "healthcare" / "enrolment_202006.csv",
        c.ENROLMENT,
        valid_rows(c.ENROLMENT, 1),
    )
    with pytest.raises(ContractError, match="conflict"):
        load_month(con, landing, "2020-06")


def test_missing_column_refuses_the_month(landing: Path, con: duckdb.DuckDBPyConnection) -> None:
    files = build_month(landing)
    header = [h for h in c.ASSISTANCE_ROSTER.column_names if h != "成员身份证号"]
    write_csv(
        files["assistance_roster"],
        c.ASSISTANCE_ROSTER,
        valid_rows(c.ASSISTANCE_ROSTER, 2),
        header=header,
        encoding="gbk",
    )
    with pytest.raises(ContractError) as caught:
        load_month(con, landing, "2020-06")
    assert caught.value.file == (
        f"landing/2020-06/civil_affairs/assistance_roster_{COUNTY}_202006.csv"
    )
    assert caught.value.column == "成员身份证号"
    assert _snapshot(con) == {}  # nothing was written, not even the schema
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall() == [(0,)]


def test_truncated_workbook_refuses_the_month(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = build_month(landing)
    data = files["poverty_roster"].read_bytes()
    files["poverty_roster"].write_bytes(data[: len(data) // 2])
    with pytest.raises(ContractError, match="unreadable or truncated xlsx") as caught:
        load_month(con, landing, "2020-06")
    assert caught.value.file == f"landing/2020-06/poverty/poverty_roster_{COUNTY}_202006.xlsx"


def test_corrupt_parquet_body_refuses_the_month(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = build_month(landing)
    data = bytearray(files["enrolment"].read_bytes())
    data[4:40] = b"\xff" * 36  # the first column chunk, header and footer intact
    files["enrolment"].write_bytes(bytes(data))
    with pytest.raises(ContractError) as caught:
        load_month(con, landing, "2020-06")
    assert caught.value.file == "landing/2020-06/healthcare/enrolment_202006.parquet"


def _two_months(landing: Path, con: duckdb.DuckDBPyConnection) -> dict[str, Path]:
    build_month(landing, "2020-05")
    files = build_month(landing, "2020-06", sizes={"premium_payments": 4})
    load_month(con, landing, "2020-05")
    load_month(con, landing, "2020-06")
    return files


def test_refused_month_leaves_every_load_intact(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = _two_months(landing, con)
    before = _snapshot(con)
    write_roster(
        files["poverty_roster"],
        valid_rows(c.POVERTY_ROSTER, 2),
        header=[h for h in c.POVERTY_ROSTER.column_names if h != "人编号"],
    )
    with pytest.raises(ContractError, match="人编号"):
        load_month(con, landing, "2020-06")
    assert _snapshot(con) == before
    assert _counts(con, "2020-06")["premium_payments"] == 4


def test_failure_inside_the_transaction_rolls_back(
    landing: Path, con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _two_months(landing, con)
    before = _snapshot(con)
    write_csv(files["premium_payments"], c.PREMIUM_PAYMENTS, valid_rows(c.PREMIUM_PAYMENTS, 9))

    def broken_log(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(load_module, "_log", broken_log)  # after every insert of the month
    with pytest.raises(RuntimeError, match="disk full"):
        load_month(con, landing, "2020-06")
    assert _snapshot(con) == before
    monkeypatch.undo()
    load_month(con, landing, "2020-06")  # the connection is usable afterwards
    assert _counts(con, "2020-06")["premium_payments"] == 9


def test_reloading_a_month_gives_identical_content(
    landing: Path, con: duckdb.DuckDBPyConnection
) -> None:
    files = _two_months(landing, con)
    rows = valid_rows(c.ASSISTANCE_ROSTER, 3)
    rows[1]["保障终止日期"] = "2019-02-30"
    write_csv(files["assistance_roster"], c.ASSISTANCE_ROSTER, rows, encoding="gbk")
    load_month(con, landing, "2020-06")
    first = _snapshot(con, with_load_time=False)
    may = _snapshot(con)
    load_month(con, landing, "2020-06")
    assert _snapshot(con, with_load_time=False) == first
    assert {t: [r for r in rows if "2020-05" in r] for t, rows in _snapshot(con).items()} == {
        t: [r for r in rows if "2020-05" in r] for t, rows in may.items()
    }
    assert con.execute("SELECT count(*) FROM raw.rejects").fetchall() == [(1,)]
    _assert_balanced(con)


def test_reference_load_and_replacement(landing: Path, con: duckdb.DuckDBPyConnection) -> None:
    build_reference(landing, "2020", n=3)
    report = load_reference(con, landing)
    assert report.rows_loaded == 3
    path = build_reference(landing, "2020", n=5)
    path.rename(path.with_name("population_2020_v2.csv"))
    build_reference(landing, "2020", n=3)
    load_reference(con, landing)
    assert con.execute(
        "SELECT count(*), min(_delivery_month), min(_source_file) FROM raw.raw_population"
    ).fetchall() == [(5, "reference", "reference/population_2020_v2.csv")]
    assert con.execute("SELECT source_file, status FROM raw.load_log ORDER BY 1").fetchall() == [
        ("reference/population_2020.csv", "superseded"),
        ("reference/population_2020_v2.csv", "loaded"),
    ]
