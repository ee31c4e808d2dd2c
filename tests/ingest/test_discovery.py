import shutil
from pathlib import Path

import pytest
from ingest_builders import COUNTY, build_month, build_reference, valid_rows, write_csv

from yibao import contracts as c
from yibao.ingest import ContractError, discover_months, plan_month, plan_reference


def test_months_are_the_sorted_month_folders(landing: Path) -> None:
    for name in ("2020-07", "2019-12", "2020-06", "reference", "2020-13", "notes"):
        (landing / name).mkdir()
    assert discover_months(landing) == ["2019-12", "2020-06", "2020-07"]


def test_clean_month_delivers_one_file_per_kind(landing: Path) -> None:
    build_month(landing)
    (landing / "2020-06" / "tax" / ".DS_Store").write_bytes(b"junk")
    (landing / "2020-06" / ".hidden").mkdir()
    plan = plan_month(landing, "2020-06")
    assert sorted(f.kind.name for f in plan.delivered) == sorted(k.name for k in c.MONTHLY_KINDS)
    roster = plan.of_kind(c.POVERTY_ROSTER)[0]
    assert roster.county == COUNTY
    assert roster.version == 1
    assert roster.source_file == f"2020-06/poverty/poverty_roster_{COUNTY}_202006.xlsx"
    assert roster.display == f"landing/2020-06/poverty/poverty_roster_{COUNTY}_202006.xlsx"
    assert len(roster.sha256) == 64
    assert plan.of_kind(c.ENROLMENT)[0].county is None


def test_unknown_file_refuses_the_month(landing: Path) -> None:
    build_month(landing)
    (landing / "2020-06" / "tax" / "notes.txt").write_text("hello")
    with pytest.raises(ContractError, match="unknown file kind") as caught:
        plan_month(landing, "2020-06")
    assert caught.value.file == "landing/2020-06/tax/notes.txt"


def test_file_in_the_wrong_department_folder(landing: Path) -> None:
    files = build_month(landing)
    shutil.move(files["institutions"], landing / "2020-06" / "tax" / files["institutions"].name)
    with pytest.raises(ContractError, match="belongs in the healthcare folder") as caught:
        plan_month(landing, "2020-06")
    assert caught.value.file == "landing/2020-06/tax/institutions_202006.csv"


def test_wrong_extension_is_the_wrong_file_kind(landing: Path) -> None:
    build_month(landing)
    (landing / "2020-06" / "poverty" / "poverty_roster_530522_202006.xls").write_bytes(b"x")
    with pytest.raises(ContractError, match=r"wrong file kind: .*xlsx, not \.xls"):
        plan_month(landing, "2020-06")


def test_file_month_must_match_the_folder(landing: Path) -> None:
    build_month(landing)
    write_csv(
        landing / "2020-06" / "tax" / "premium_payments_530522_202005.csv",
        c.PREMIUM_PAYMENTS,
        valid_rows(c.PREMIUM_PAYMENTS, 1),
    )
    with pytest.raises(ContractError, match="202005 does not match the delivery folder 2020-06"):
        plan_month(landing, "2020-06")


def test_highest_version_is_the_delivery(landing: Path) -> None:
    files = build_month(landing)
    original = files["premium_payments"]
    for version, n in ((2, 4), (3, 5)):
        write_csv(
            original.with_name(f"{original.stem}_v{version}.csv"),
            c.PREMIUM_PAYMENTS,
            valid_rows(c.PREMIUM_PAYMENTS, n),
        )
    plan = plan_month(landing, "2020-06")
    status = {
        Path(f.source_file).name: (f.status, f.version)
        for f in plan.files
        if f.kind == c.PREMIUM_PAYMENTS
    }
    assert status == {
        original.name: ("superseded", 1),
        f"{original.stem}_v2.csv": ("superseded", 2),
        f"{original.stem}_v3.csv": ("delivered", 3),
    }
    superseded = [f for f in plan.files if f.status == "superseded"]
    assert all(f.notice == f"superseded by {original.stem}_v3.csv" for f in superseded)


def test_same_bytes_under_another_name_is_a_duplicate(landing: Path) -> None:
    files = build_month(landing)
    copy = files["assistance_roster"].with_name("assistance_roster_530522_202006.csv")
    shutil.copyfile(files["assistance_roster"], copy)
    plan = plan_month(landing, "2020-06")
    [duplicate] = [f for f in plan.files if f.status == "duplicate"]
    assert duplicate.path == copy
    assert duplicate.notice == (
        "duplicate of 2020-06/civil_affairs/assistance_roster_530521_202006.csv (same SHA-256); "
        "ignored"
    )
    assert len(plan.of_kind(c.ASSISTANCE_ROSTER)) == 1


def test_two_files_claiming_one_stem_and_version_conflict(landing: Path) -> None:
    build_month(landing)
    write_csv(
        landing / "2020-06" / "healthcare" / "enrolment_202006.csv",
        c.ENROLMENT,
        valid_rows(c.ENROLMENT, 2),
    )
    with pytest.raises(ContractError, match="conflict") as caught:
        plan_month(landing, "2020-06")
    assert "enrolment_202006.csv" in str(caught.value)
    assert "enrolment_202006.parquet" in str(caught.value)


def test_conflicting_corrections_with_the_same_version(landing: Path) -> None:
    files = build_month(landing)
    stem = files["institutions"].stem
    for suffix, n in ((".csv", 1), (".CSV", 2)):  # extensions match case-insensitively
        write_csv(
            files["institutions"].with_name(f"{stem}_v2{suffix}"),
            c.INSTITUTIONS,
            valid_rows(c.INSTITUTIONS, n),
        )
    with pytest.raises(ContractError, match="claim stem institutions_202006 version 2"):
        plan_month(landing, "2020-06")


def test_missing_kind_names_department_and_kind(landing: Path) -> None:
    files = build_month(landing)
    files["poor_enrolment_summary"].unlink()
    with pytest.raises(ContractError, match="healthcare/poor_enrolment_summary") as caught:
        plan_month(landing, "2020-06")
    assert caught.value.file == "landing/2020-06"


def test_missing_month_folder(landing: Path) -> None:
    with pytest.raises(ContractError, match="no such delivery month folder"):
        plan_month(landing, "2020-06")


def test_reference_versions(landing: Path) -> None:
    first = build_reference(landing, "2020", n=3)
    second = build_reference(landing, "2020", n=4)
    second.rename(first.with_name("population_2020_v2.csv"))
    build_reference(landing, "2020", n=3)
    build_reference(landing, "2019", n=2)
    plan = plan_reference(landing)
    assert {Path(f.source_file).name: f.status for f in plan.files} == {
        "population_2019.csv": "delivered",
        "population_2020.csv": "superseded",
        "population_2020_v2.csv": "delivered",
    }


def test_unknown_department_folder(landing: Path) -> None:
    build_month(landing)
    (landing / "2020-06" / "education").mkdir()
    with pytest.raises(ContractError, match="unknown department folder") as caught:
        plan_month(landing, "2020-06")
    assert caught.value.file == "landing/2020-06/education"


def test_file_outside_a_department_folder(landing: Path) -> None:
    files = build_month(landing)
    shutil.copyfile(files["institutions"], landing / "2020-06" / "institutions_202006.csv")
    with pytest.raises(ContractError, match="not inside a department folder"):
        plan_month(landing, "2020-06")


def test_header_only_files_of_two_counties_are_not_duplicates(landing: Path) -> None:
    build_month(landing)
    folder = landing / "2020-06" / "tax"
    for county in ("530522", "530523"):
        write_csv(folder / f"premium_payments_{county}_202006.csv", c.PREMIUM_PAYMENTS, [])
    plan = plan_month(landing, "2020-06")
    assert len(plan.of_kind(c.PREMIUM_PAYMENTS)) == 3
    assert not [f for f in plan.files if f.status == "duplicate"]


def test_identical_correction_is_a_duplicate_of_its_original(landing: Path) -> None:
    files = build_month(landing)
    original = files["premium_payments"]
    shutil.copyfile(original, original.with_name(f"{original.stem}_v2.csv"))
    plan = plan_month(landing, "2020-06")
    status = {
        Path(f.source_file).name: (f.status, f.notice)
        for f in plan.files
        if f.kind == c.PREMIUM_PAYMENTS
    }
    assert status == {
        original.name: ("delivered", None),
        f"{original.stem}_v2.csv": (
            "duplicate",
            f"duplicate of 2020-06/tax/{original.name} (same SHA-256); ignored",
        ),
    }


def test_correction_back_to_the_original_content(landing: Path) -> None:
    files = build_month(landing)
    original = files["premium_payments"]
    write_csv(
        original.with_name(f"{original.stem}_v2.csv"),
        c.PREMIUM_PAYMENTS,
        valid_rows(c.PREMIUM_PAYMENTS, 7),
    )
    shutil.copyfile(original, original.with_name(f"{original.stem}_v3.csv"))
    plan = plan_month(landing, "2020-06")
    status = {
        Path(f.source_file).name: f.status for f in plan.files if f.kind == c.PREMIUM_PAYMENTS
    }
    assert status == {
        original.name: "delivered",  # carries the content of v3
        f"{original.stem}_v2.csv": "superseded",
        f"{original.stem}_v3.csv": "duplicate",
    }
