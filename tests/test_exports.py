"""The monthly files for the departments (issue 6, part 5): the bulletin is the mart with small
cells hidden, the poverty office's exchange follows the outbound contract and says of each
registered person what the ground truth says, and a re-export gives the same bytes. That the
shared files carry no raw identifier is tests/test_pii_scanner.py's."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pytest
from python_calamine import CalamineWorkbook

from yibao.disclosure import HIDDEN
from yibao.exports import export_bulletin, export_poverty_office_exchange
from yibao.exports.exchange import HEADERS


def _sheet(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.fixture(scope="module")
def exports(small_warehouse) -> Path:
    return small_warehouse / "exports"


def test_the_bulletin_is_the_mart_with_chinese_headers(small_tier, small_warehouse, exports):
    month = small_tier.months[-1]
    rows = _sheet(exports / month / f"monthly_bulletin_{month.replace('-', '')}.xlsx")
    assert rows[0][:5] == ["通报月份", "区划级别", "区县代码", "区划代码", "区划名称"]
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        mart = con.execute(
            "select region_code, enrolled_count, coverage_rate from marts.rpt_monthly_bulletin "
            "where delivery_month = ?",
            [month],
        ).fetchall()
    # as in the mart, except the small cells hidden as * (tests/test_disclosure.py)
    exported = {r[3]: (r[8], r[13]) for r in rows[1:]}
    assert set(exported) == {code for code, _, _ in mart}
    for code, n, rate in mart:
        shown_n, shown_rate = exported[code]
        assert shown_n in (n, HIDDEN) and shown_rate in (HIDDEN, pytest.approx(float(rate)))
    counties = [r for r in rows[1:] if r[1] == "县"]
    assert len([r for r in counties if r[13] != HIDDEN]) >= len(counties) // 2
    assert {r[1] for r in rows[1:]} == {"县", "乡镇"}


def test_the_exchange_follows_the_outbound_contract(small_tier, exports):
    for month in small_tier.months:
        stamp = month.replace("-", "")
        files = sorted((exports / "restricted" / month).glob("*.xlsx"))
        counties = {
            p.name.split("_")[-2]
            for p in (small_tier.out / "landing" / month / "poverty").iterdir()
        }
        assert [p.name for p in files] == [
            f"poverty_insurance_status_{c}_{stamp}.xlsx" for c in sorted(counties)
        ]
        for path in files:
            rows = _sheet(path)
            assert rows[0] == HEADERS
            assert {r[3] for r in rows[1:]} <= {"已参保", "未参保", "不符合参保条件"}
            assert all(r[4] in ("城乡居民", "职工") for r in rows[1:] if r[3] == "已参保")
            assert all(r[4] == "" for r in rows[1:] if r[3] != "已参保")


def test_the_exchange_says_what_the_truth_says(small_tier, small_warehouse, exports):
    """Per county, the registered people the truth finds not enrolled or not eligible (proved by
    a roster row) are exactly the exchange's 未参保 and 不符合参保条件 rows, by delivered ID."""
    month = small_tier.months[-1]
    truth = pacsv.read_csv(small_tier.out / "truth" / month / "problems.csv").to_pylist()
    with duckdb.connect(str(small_warehouse / "restricted.duckdb"), read_only=True) as con:
        delivered_ids = {
            (file, row): id_number
            for file, row, id_number in con.execute(
                "select source_file, source_row_number, id_number_raw "
                "from staging.stg_poverty__roster where delivery_month = ?",
                [month],
            ).fetchall()
        }
    states = {"poor_not_enrolled": "未参保", "not_eligible": "不符合参保条件"}
    expected = Counter(
        (states[r["kind"]], delivered_ids[(r["source_file"], r["row_number"])])
        for r in truth
        if r["department"] == "poverty" and r["kind"] in states
    )
    found = Counter()
    for path in (exports / "restricted" / month).glob("*.xlsx"):
        for row in _sheet(path)[1:]:
            if row[3] != "已参保":
                found[(row[3], str(row[1]))] += 1
                assert row[6] and row[7], row  # a reason and a suggested action
    assert found == expected and len(found) > 10


def test_a_re_export_gives_the_same_bytes(small_tier, small_warehouse, exports, tmp_path):
    month = small_tier.months[0]
    export_bulletin(small_warehouse / "warehouse.duckdb", month, tmp_path)
    export_poverty_office_exchange(small_warehouse / "restricted.duckdb", month, tmp_path)
    again = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.xlsx"))
    assert again
    for relative in again:
        assert (tmp_path / relative).read_bytes() == (exports / relative).read_bytes(), relative
