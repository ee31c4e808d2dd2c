"""Seeds agree with what they are derived from: python-stdnum's region list and the contracts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yibao import contracts as C
from yibao.regions import region_rows

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_region_seed_is_what_stdnum_ships():
    assert _read("ref_region_codes") == region_rows(), "run `yibao seeds` after upgrading stdnum"


def test_region_seed_keeps_abolished_codes_with_their_years():
    rows = {(r["admdvs"], r["region_name"]): r for r in _read("ref_region_codes")}
    assert rows[("533022", "施甸县")]["valid_to_year"] == "2000"
    assert rows[("530521", "施甸县")]["valid_from_year"] == "2000"
    assert rows[("530500", "保山市")]["region_level"] == "city"
    assert rows[("530521", "施甸县")]["parent_admdvs"] == "530500"


@pytest.mark.parametrize(
    ("seed", "key", "contract_values"),
    [
        ("code_insurance_types", "insurance_type", C.INSUTYPES),
        ("code_enrolment_statuses", "enrolment_status", C.INSURANCE_STATUSES),
        ("code_identity_types", "identity_type", C.IDENTITY_TYPES),
        ("code_medical_types", "medical_type", C.MED_TYPES),
        ("code_assistance_categories", "assistance_category", C.ASSISTANCE_CATEGORIES),
        ("code_poverty_attributes", "poverty_attribute", C.POVERTY_ATTRIBUTES),
        ("code_person_statuses", "person_status", C.PERSON_STATUSES),
        ("code_stop_reasons", "stop_reason", C.STOP_REASONS),
    ],
)
def test_code_list_seeds_match_the_contract(seed, key, contract_values):
    rows = _read(seed)
    assert [r[key] for r in rows] == list(contract_values)
    assert all(r["label_zh"] and r["name_en"] for r in rows)


def test_stop_reasons_and_person_statuses_point_at_each_other():
    statuses = {r["person_status"]: r for r in _read("code_person_statuses")}
    for reason in _read("code_stop_reasons"):
        if reason["makes_ineligible"] == "true":
            assert statuses[reason["person_status"]]["stop_reason"] == reason["stop_reason"]


def test_reconciliation_categories_are_the_generators_and_only_not_eligible_leaves_the_base():
    from yibao_synth.problems import KINDS

    rows = {r["finding_category"]: r for r in _read("ref_reconciliation_categories")}
    assert set(rows) == {k.name for k in KINDS.values() if k.group == "reconciliation"}
    assert [c for c, r in rows.items() if r["leaves_denominator"] == "true"] == ["not_eligible"]
    departments = {"poverty", "civil_affairs", "tax", "healthcare"}
    for category, row in rows.items():
        assert set(row["departments"].split(";")) <= departments, category
        assert row["suggested_action_zh"] and row["policy_source"], category


def test_no_seed_text_holds_a_single_quote():
    """dbt-spark's session seeds insert text without escaping it: one apostrophe in a seed cell
    breaks the Spark build (a 'PARSE_SYNTAX_ERROR' loading the seed)."""
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    for path in sorted(seeds.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        assert "'" not in text, path.name
