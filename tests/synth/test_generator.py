"""The generator: deterministic, contract-conformant, realistic where matching is hard, and its
ground truth agrees with the files it wrote."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from synth_readers import read_rows

from yibao import contracts as C
from yibao_synth.calendar import parse_months
from yibao_synth.generate import generate
from yibao_synth.ids import is_valid18
from yibao_synth.payments import inject_subsidy_faults
from yibao_synth.problems import KINDS
from yibao_synth.regions import load_codes
from yibao_synth.tiers import TIERS, tier_counties


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _kind_of(path: Path) -> C.FileKind:
    stem = C.VERSION_SUFFIX.match(path.stem)["stem"]
    matches = [k for k in C.ALL_KINDS if k.stem_regex.fullmatch(stem)]
    assert len(matches) == 1, path
    return matches[0]


def _truth(small_tier, month: str) -> list[dict[str, str]]:
    text = (small_tier.out / "truth" / month / "problems.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path):
    month = parse_months("2019-12")
    first = generate(tmp_path / "first", "small", month, 7)
    again = generate(tmp_path / "again", "small", month, 7)
    other = generate(tmp_path / "other", "small", month, 8)
    digest = _digest(first.out)
    assert digest == _digest(again.out)  # landing and truth alike
    other_digest = _digest(other.out)
    assert sum(other_digest.get(k) != v for k, v in digest.items()) > len(digest) // 2


def test_a_tier_has_only_counties_that_exist_in_every_generated_year():
    """Wuhu's 2020 reform created 340209, 340210 and 340212 and abolished 340221 and 340222:
    2019 months leave out the new codes, and months over 2019-2020 keep only what spans both.
    The province tier's 2019 deliveries used to carry the new codes, and the staging gate
    (a county code valid in the data year) closed on them."""
    codes = {c.code for c in load_codes() if len(c.code) == 6}

    def valid(code, year):
        return any(c.code == code and c.valid_in(year) for c in load_codes())

    for years in ((2019,), (2019, 2020), (2020,)):
        counties = tier_counties(TIERS["province"], years)
        assert all(valid(c.code, year) for c in counties for year in years)
        wuhu = {c.code for c in counties if c.code.startswith("3402")}
        assert ({"340209", "340210", "340212"} <= wuhu) == (years == (2020,))
        assert {c.code for c in counties} <= codes
    assert len(tier_counties(TIERS["province"], (2020,))) > len(
        tier_counties(TIERS["province"], (2019,))
    )


def test_every_month_has_every_kind_named_and_shaped_as_the_contract(small_tier):
    landing = small_tier.out / "landing"
    for month in small_tier.months:
        files = [p for p in (landing / month).rglob("*") if p.is_file()]
        kinds = Counter(_kind_of(p).name for p in files)
        assert set(kinds) == {k.name for k in C.MONTHLY_KINDS}
        for path in files:
            kind = _kind_of(path)
            assert path.parent.name == kind.department
            assert path.suffix.lstrip(".") in kind.formats
            assert kind.stem_regex.fullmatch(C.VERSION_SUFFIX.match(path.stem)["stem"])[
                "yyyymm"
            ] == month.replace("-", "")
            header, _ = read_rows(path)
            assert list(header) == list(kind.column_names), path
    assert any(p.name.startswith("population_") for p in (landing / "reference").iterdir())


def test_roster_workbook_has_title_export_time_merged_header_and_total(small_tier):
    from python_calamine import CalamineWorkbook

    path = next((small_tier.out / "landing" / "2019-11" / "poverty").glob("*530521*"))
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert grid[0][0] == "施甸县建档立卡贫困人口花名册（2019年11月）"
    assert grid[1][0].startswith("导出时间：2019-11-")
    assert grid[2][1] == "所在地区" and grid[3][1:6] == ["省", "市", "县", "乡（镇）", "村"]
    assert grid[-1][0] == "合计" and int(grid[-1][1]) == len(grid) - 5


def test_csv_encodings_and_date_spellings_vary_as_real_exports_do(small_tier):
    encodings, spellings = Counter(), Counter()
    patterns = [re.compile(f"^{p}$") for p in C.DATE_SPELLINGS]
    for path in (small_tier.out / "landing").glob("*/civil_affairs/*.csv"):
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            encodings["utf-8-sig"] += 1
        else:
            try:
                data.decode("utf-8")
                encodings["utf-8"] += 1
            except UnicodeDecodeError:
                encodings["gbk-family"] += 1
        _, rows = read_rows(path)
        for row in rows.values():
            value = row["保障起始日期"]
            spellings.update(i for i, p in enumerate(patterns) if p.match(value))
    assert encodings["utf-8-sig"] > 0 and encodings["gbk-family"] > 0
    assert sorted(spellings) == [0, 1, 2, 3]


def test_id_numbers_are_valid_and_consistent_with_birth_sex_and_region(small_tier):
    persons = pq.read_table(small_tier.out / "truth" / "persons.parquet").to_pylist()
    codes = {c.code for c in load_codes()}
    current = {c.code for c in load_codes() if c.valid_in(2020)}
    abolished = 0
    for p in persons:
        number = p["id_number"]
        assert is_valid18(number), number
        assert number[6:14] == p["birth"].strftime("%Y%m%d")
        assert int(number[16]) % 2 == (1 if p["sex"] == "1" else 0)
        assert number[:6] in codes
        abolished += number[:6] not in current
    assert len({p["id_number"] for p in persons}) == len(persons)
    assert abolished > 0, "older people should carry county codes abolished since"


def test_same_names_twins_and_households_make_matching_hard(small_tier):
    persons = pq.read_table(small_tier.out / "truth" / "persons.parquet")
    by_county_name = Counter(
        zip(persons["county_code"].to_pylist(), persons["name"].to_pylist(), strict=True)
    )
    shared = sum(n for n in by_county_name.values() if n > 1)
    assert shared / persons.num_rows >= 0.01
    rows = persons.to_pylist()
    twins = [p for p in rows if p["twin_of"] >= 0]
    assert twins
    for p in twins:
        q = rows[p["twin_of"]]
        assert (q["household"], q["birth"]) == (p["household"], p["birth"])
    heads = pc.sum(pc.equal(persons["relation"], "户主")).as_py()
    assert heads == len(set(persons["household"].to_pylist()))


def test_every_kind_is_injected_and_id_anomalies_show_in_their_rows(small_tier):
    landing = small_tier.out / "landing"
    seen = Counter()
    cache: dict[str, dict[int, dict[str, str]]] = {}
    for month in small_tier.months:
        for row in _truth(small_tier, month):
            seen[row["kind"]] += 1
            if row["grp"] != "id_anomaly":
                continue
            if row["source_file"] not in cache:
                cache[row["source_file"]] = read_rows(landing / row["source_file"])[1]
            record = cache[row["source_file"]][int(row["row_number"])]
            value = record[row["column_name"]]
            assert value == row["delivered_value"]
            kind = row["kind"]
            if kind == "fifteen_digit":
                assert re.fullmatch(r"\d{15}", value)
            elif kind == "wrong_length":
                assert len(value) in (17, 19)
            elif kind == "bad_check_digit":
                assert len(value) == 18 and not is_valid18(value)
            elif kind == "lowercase_x":
                assert value.endswith("x") and is_valid18(value.upper())
            elif kind == "full_width":
                assert any("０" <= ch <= "９" for ch in value)
            elif kind in ("duplicate_id", "same_id_different_name"):
                assert is_valid18(value)
    possible = {k.name for k in KINDS.values() if k.needs_months <= len(small_tier.months)}
    assert set(seen) == possible, possible - set(seen)


def test_typos_differ_from_the_true_name_by_one_character(small_tier):
    persons = pq.read_table(small_tier.out / "truth" / "persons.parquet").to_pylist()
    landing = small_tier.out / "landing"
    checked = 0
    for row in _truth(small_tier, "2019-11"):
        if row["kind"] != "same_id_different_name":
            continue
        record = read_rows(landing / row["source_file"])[1][int(row["row_number"])]
        name = record["成员姓名" if row["department"] == "civil_affairs" else "缴费人姓名"]
        true = persons[int(row["person_uid"])]["name"]
        assert name != true and name[0] == true[0]
        checked += 1
    assert checked > 0


def _money(value: str) -> Decimal:
    return Decimal(value or "0")


def test_settlement_money_adds_up_and_reversals_cancel_an_earlier_settlement(small_tier):
    landing = small_tier.out / "landing"
    earlier: set[str] = set()
    reversals = 0
    for month in small_tier.months:
        path = landing / month / "healthcare" / f"settlements_{month.replace('-', '')}.parquet"
        for row in pq.read_table(path).to_pylist():
            fund = sum(row[f] for f in C.SETTLEMENT_FUNDS)
            assert row["fund_pay_sumamt"] == fund
            assert row["psn_part_amt"] == row["acct_pay"] + row["psn_cash_pay"]
            assert row["medfee_sumamt"] == (
                row["fund_pay_sumamt"] + row["psn_part_amt"] + row["hosp_part_amt"]
            )
            if row["refd_setl_flag"] == "1":
                assert row["medfee_sumamt"] < 0 and row["setl_id"] in earlier
                reversals += 1
            else:
                earlier.add(row["setl_id"])
    assert reversals > 0


def test_tax_voids_are_negative_rows_of_an_earlier_payment(small_tier):
    """Except the voids the truth names as not refunding the payment (void_not_refunded)."""
    landing = small_tier.out / "landing"
    paid: dict[str, Decimal] = {}
    voids = 0
    short = {(r["source_file"], int(r["row_number"])) for m in small_tier.months
             for r in _truth(small_tier, m) if r["kind"] == "void_not_refunded"}
    for month in small_tier.months:
        for path in sorted((landing / month / "tax").glob("*.csv")):
            if path.stem.endswith("_v2"):
                continue  # the duplicate delivery of the same bytes
            for number, row in read_rows(path)[1].items():
                payer = row["缴费人证件号码"]
                if is_valid18(payer):  # nobody pays before being born
                    assert payer[6:14] <= row["缴费日期"].replace("-", "")
                amount = _money(row["应缴费额"])
                assert amount == _money(row["资助金额"]) + _money(row["实缴费额"])
                # the staging gate's rule: a payment is not negative, a void not positive
                paid_now = _money(row["实缴费额"])
                assert paid_now <= 0 if row["作废标志"] == "1" else paid_now >= 0
                if row["作废标志"] == "1":
                    wrong = paid[row["电子税票号码"]] != -amount
                    assert wrong == ((path.relative_to(landing).as_posix(), number) in short)
                    voids += 1
                else:
                    paid[row["电子税票号码"]] = amount
    assert voids > 0


@pytest.mark.parametrize(
    ("subsidy", "fault", "paid"),
    [(-280, None, 0), (-180, "void_not_refunded", -90)],
    ids=["fully-subsidised", "paid-100"],
)
def test_a_short_void_is_made_only_of_a_payment_that_paid_something(subsidy, fault, paid):
    """void_not_refunded gives back 10 yuan less: of a fully subsidised payment (nothing paid)
    that would be a positive void, a broken delivery the staging gate refuses (seen at the city
    tier), so only voids that give back at least 10 yuan are candidates."""
    con = duckdb.connect()
    con.execute(f"""
        create table payment_plan (person_uid bigint, insured_year int, pay_m int,
            pay_date date, county_code varchar, void_flag varchar, ticket varchar,
            category varchar, due decimal(10,2), subsidy decimal(10,2));
        insert into payment_plan values
            (1, 2020, 2, date '2019-11-25', '341522', '1', 'A', '特困人员', -280, {subsidy});
        create table voided as select * from payment_plan where false;
        create table extra_payers (person_uid bigint);
    """)
    inject_subsidy_faults(con)
    rows = con.execute("select subsidy_fault, due - subsidy from payment_plan").fetchall()
    assert rows == [(fault, paid)]


def test_platform_summary_adds_up_except_where_the_truth_says_it_does_not(small_tier):
    landing = small_tier.out / "landing"
    for month in small_tier.months:
        path = (
            landing / month / "healthcare" / f"poor_enrolment_summary_{month.replace('-', '')}.csv"
        )
        rows = list(read_rows(path)[1].values())
        county = Counter()
        for r in rows:
            if r["report_level"] == "县":
                for measure in ("roster_count", "enrolled_count", "not_enrolled_count"):
                    county[(r["admdvs"][:4], r["category"], measure)] += int(r[measure])
                    county[(r["admdvs"][:2], r["category"], measure)] += int(r[measure])
        wrong = set()
        for r in rows:
            prefix = r["admdvs"][:4] if r["report_level"] == "市" else r["admdvs"][:2]
            if r["report_level"] == "县":
                continue
            for measure in ("roster_count", "enrolled_count", "not_enrolled_count"):
                if int(r[measure]) != county[(prefix, r["category"], measure)]:
                    wrong.add((r["report_level"], r["admdvs"], r["category"], measure))
        expected = {
            tuple(t["detail"].split(":")[0].split(" "))
            for t in _truth(small_tier, month)
            if t["kind"] == "summary_disagreement"
        }
        assert wrong == expected and len(expected) == 2


def test_versions_and_duplicates_are_delivered_and_truth_points_at_the_delivery(small_tier):
    landing = small_tier.out / "landing"
    months = small_tier.months
    corrected = list((landing / months[1] / "civil_affairs").glob("*_v2.csv"))
    copies = list((landing / months[2] / "tax").glob("*_v2.csv"))
    assert len(corrected) == 1 and len(copies) == 1
    original = corrected[0].with_name(corrected[0].name.replace("_v2", ""))
    assert original.read_bytes() != corrected[0].read_bytes()
    assert (
        copies[0].read_bytes()
        == copies[0].with_name(copies[0].name.replace("_v2", "")).read_bytes()
    )
    records = pq.read_table(small_tier.out / "truth" / months[1] / "records.parquet")
    files = set(records["source_file"].to_pylist())
    assert f"{months[1]}/civil_affairs/{corrected[0].name}" in files
    assert f"{months[1]}/civil_affairs/{original.name}" not in files


@pytest.mark.parametrize(
    "kind", ["poverty_roster", "assistance_roster", "premium_payments", "enrolment"]
)
def test_truth_records_name_the_person_behind_every_row(small_tier, kind):
    month = "2019-12"
    records = pq.read_table(small_tier.out / "truth" / month / "records.parquet")
    persons = pq.read_table(small_tier.out / "truth" / "persons.parquet").to_pylist()
    mine = [r for r in records.to_pylist() if r["kind"] == kind]
    assert mine
    id_column = {
        "poverty_roster": "证件号码",
        "assistance_roster": "成员身份证号",
        "premium_payments": "缴费人证件号码",
        "enrolment": "certno",
    }[kind]
    files: dict[str, dict] = {}
    for r in mine[:: max(1, len(mine) // 300)]:
        if r["source_file"] not in files:
            files[r["source_file"]] = read_rows(small_tier.out / "landing" / r["source_file"])[1]
        delivered = files[r["source_file"]][r["row_number"]][id_column]
        true = persons[r["person_uid"]]["id_number"]
        # a faulty ID still carries the person's birth date, unless it is a 15-digit one
        assert (
            delivered == true
            or true[8:14]
            in delivered.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
            or len(delivered) != 18
        )
