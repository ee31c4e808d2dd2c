"""The analyst warehouse and the shared exports hold no raw ID number, mobile number or name
(issue 9, part 4): yibao.pii_scan over every column of every analyst table and view and every
file under exports/ except exports/restricted/, and proof that it finds what it looks for."""

from __future__ import annotations

import shutil

import duckdb
import pyarrow.parquet as pq
import xlsxwriter

from yibao.cli import main
from yibao.pii_scan import ID_SHAPES, MOBILE_SHAPE, delivered_names, scan


def _truth_names(small_tier) -> set[str]:
    names = pq.read_table(small_tier.out / "truth" / "persons.parquet", columns=["name"])
    return set(names["name"].to_pylist())


def test_no_id_number_mobile_or_name_anywhere_analysts_look(small_tier, small_warehouse):
    truth = _truth_names(small_tier)
    report = scan(small_warehouse / "warehouse.duckdb", small_warehouse / "exports",
                  small_warehouse / "restricted.duckdb", truth)  # fmt: skip
    assert report.leaks == []
    assert report.columns > 200 and report.files >= 2 * len(small_tier.months)
    assert report.names_known >= len(truth) > 10_000
    print(report)


def test_the_delivered_names_are_the_generated_ones(small_tier, small_warehouse):
    delivered = delivered_names(small_warehouse / "restricted.duckdb")
    truth = _truth_names(small_tier)
    assert len(delivered & truth) > 0.9 * len(truth)


def test_the_scanner_finds_a_planted_id_mobile_and_name(small_tier, small_warehouse, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse / "warehouse.duckdb", warehouse)
    restricted = small_warehouse / "restricted.duckdb"
    name = sorted(delivered_names(restricted))[0]
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table marts.leaky as select '33032419371226064X' as a, "
                    "'13812345678' as b, ? as c", [name])  # fmt: skip
    exports = tmp_path / "exports"
    (exports / "2020-01").mkdir(parents=True)
    (exports / "restricted").mkdir()
    book = xlsxwriter.Workbook(str(exports / "2020-01" / "leak.xlsx"))
    book.add_worksheet().write_string(0, 0, f"联系 {name}")
    book.add_worksheet().write_string(0, 0, "身份证：３３０３２４１９３７１２２６０６４５")
    book.close()
    (exports / "restricted" / "allowed.csv").write_text("330324193712260645\n", encoding="utf-8")
    report = scan(warehouse, exports, restricted)
    assert sorted(report.leaks) == [
        "exports/2020-01/leak.xlsx: 1 identifying values",
        "marts.leaky.a: 1 ID-shaped values",
        "marts.leaky.b: 1 mobile-shaped values",
        "marts.leaky.c: 1 name values",
    ]


def test_the_patterns_pass_a_digest_and_find_an_id_in_text():
    with duckdb.connect() as con:
        digest = "9596077a1ffe455351c7a2c594dc8de2745a292e9e6ea8b65605127602ccac20"
        probes = [digest, "a330324193712260645b", "张三330324193712260645", "1381234567",
                  "手机13812345678"]  # fmt: skip
        hits = [
            con.execute(f"select regexp_matches(?, '{ID_SHAPES}') or "
                        f"regexp_matches(?, '{MOBILE_SHAPE}')", [p, p]).fetchall()[0][0]
            for p in probes
        ]  # fmt: skip
    assert hits == [False, False, True, False, True]


def test_yibao_scan_pii_fails_on_a_leak(small_warehouse, tmp_path, capsys):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse / "warehouse.duckdb", warehouse)
    restricted = str(small_warehouse / "restricted.duckdb")
    args = ["scan-pii", "--warehouse", str(warehouse), "--restricted", restricted]
    assert main(args) == 0
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create view marts.leaky as select '13812345678' as phone")
    assert main(args) == 1
    assert "marts.leaky.phone: 1 mobile-shaped values" in capsys.readouterr().out
