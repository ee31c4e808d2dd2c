"""The policy parameters (seed ref_policy_parameters, issue 7) cover POLICY_RULES.md §5, cite a
document for every row, never overlap, and are the rules the generator pays by: clean generated
payments must break no rule."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from yibao_synth.payments import PREMIUM, SUBSIDY_RULES

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# the generator's subsidy categories, as the tax file writes them (资助类别)
GENERATOR_CATEGORY = {
    "特困人员": "extremely_poor",
    "低保对象": "minimum_living_allowance",
    "建档立卡贫困人口": "registered_poor",
}


def _rows() -> list[dict[str, str]]:
    with (SEEDS / "ref_policy_parameters.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _applies(rule: str, county: str, year: int, category: str = "") -> dict[str, str] | None:
    """The seed row that applies: longest region prefix, then the category's own row."""
    found = [
        r
        for r in _rows()
        if r["rule_id"] == rule
        and county.startswith(r["region_code"])
        and int(r["year_from"]) <= year <= int(r["year_to"] or year)
        and r["population_category"] in (category, "")
    ]
    found.sort(key=lambda r: (-len(r["region_code"]), r["population_category"] != category))
    return found[0] if found else None


def test_every_numeric_rule_of_policy_rules_is_a_seed_row():
    rules = {r["rule_id"] for r in _rows()}
    assert rules >= {
        "premium_personal", "fiscal_subsidy_min", "critical_illness_funding", "premium_subsidy",
        "newborn_enrolment_window_months", "basic_inpatient_policy_ratio_min",
        "critical_illness_deductible_income_share", "critical_illness_ratio_min",
        "critical_illness_poor_deductible_cut", "critical_illness_poor_ratio_increase",
        "medical_assistance_share", "medical_assistance_annual_cap",
        "inpatient_self_pay_cap_share", "chronic_outpatient_self_pay_cap_share",
        "continued_support_years", "catalogue_share_min", "covid_insurance_share",
    }  # fmt: skip
    assert all(r["source_document"] and r["source_article"] and r["policy_ref"] for r in _rows())


def test_no_two_rows_of_one_rule_overlap_in_years():
    spans = defaultdict(list)
    for r in _rows():
        key = (r["rule_id"], r["region_code"], r["population_category"])
        spans[key].append((int(r["year_from"]), int(r["year_to"] or 9999)))
    for key, years in spans.items():
        years.sort()
        for (_, end), (start, _) in zip(years, years[1:], strict=False):
            assert end < start, key


def test_the_documents_values_are_where_the_documents_put_them():
    assert _applies("premium_personal", "340121", 2020)["value"] == "280"
    assert _applies("premium_personal", "450222", 2019)["value"] == "250"
    assert _applies("fiscal_subsidy_min", "530521", 2020)["value"] == "550"
    assert _applies("premium_subsidy", "340121", 2020, "registered_poor")["value"] == "0.90"
    shidian = _applies("premium_subsidy", "530521", 2020, "registered_poor")
    assert (shidian["value"], shidian["unit"]) == ("180", "yuan")
    assert _applies("premium_subsidy", "530521", 2020, "minimum_living_allowance")["value"] == "120"
    assert _applies("medical_assistance_annual_cap", "330324", 2020)["value"] == "80000"
    assert _applies("medical_assistance_annual_cap", "340121", 2020) is None
    assert _applies("inpatient_self_pay_cap_share", "450222", 2020)["value"] == "0.10"


def test_the_generator_pays_by_the_seed():
    """PREMIUM and SUBSIDY_RULES of yibao_synth.payments give the seed's values in every
    generated county and insured year, so clean payments break no rule."""
    counties = ("340121", "340122", "330324", "450222", "530521", "530523")
    for year, premium in PREMIUM.items():
        assert float(_applies("premium_personal", counties[0], year)["value"]) == premium
    for county in counties:
        for tax_category, category in GENERATOR_CATEGORY.items():
            generator = max(
                (r for r in SUBSIDY_RULES if county.startswith(r[0]) and r[1] == tax_category),
                key=lambda r: len(r[0]),
            )
            seed = _applies("premium_subsidy", county, 2020, category)
            unit = "share" if generator[2] == "ratio" else "yuan"
            assert (float(seed["value"]), seed["unit"]) == (generator[3], unit), (county, category)
