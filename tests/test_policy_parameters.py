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


def _pct(rule: str, county: str, year: int, category: str = "") -> int | None:
    row = _applies(rule, county, year, category)
    return None if row is None else round(float(row["value"]) * 100)


def test_the_generator_splits_settlements_by_the_seed():
    """The benefit constants of yibao_synth.benefits are the seed's values wherever the
    generator applies them, so clean settlements break no benefit rule."""
    from yibao_synth import benefits as B

    counties = ("340121", "341502", "330324", "331102", "450222", "530521")
    for county in counties:
        for year in (2019, 2020):
            ci = B.CRITICAL_ILLNESS
            assert _pct("critical_illness_deductible_income_share", county, year) == ci[
                "income_pct"]
            assert _pct("critical_illness_ratio_min", county, year) == ci["ratio_pct"]
            assert _pct("critical_illness_poor_deductible_cut", county, year) == ci[
                "poor_cut_pct"]
            assert _pct("critical_illness_poor_ratio_increase", county, year) == ci[
                "poor_raise_pct"]
            assert _pct("basic_inpatient_policy_ratio_min", county, year) <= B.BASIC_PCT["21"]
            assert B.SHORT_POOL[2] < _pct("basic_inpatient_policy_ratio_min", county, year)
            shares = B.ASSISTANCE_PCT.get(county[:4], {})
            for category in ("extremely_poor", "minimum_living_allowance", "low_income_marginal",
                             "poverty_due_to_illness", "registered_poor", "rare_disease"):
                assert _pct("medical_assistance_share", county, year, category) == shares.get(
                    category), (county, category)
            cap = _applies("medical_assistance_annual_cap", county, year)
            assert (cap and float(cap["value"])) == (B.ASSISTANCE_CAP_YUAN.get(county[:4]) or
                                                    None)
            caps = B.SELF_PAY_CAP_PCT.get(county[:2], {})
            assert _pct("inpatient_self_pay_cap_share", county, year) == caps.get("21")
            assert _pct("chronic_outpatient_self_pay_cap_share", county, year) == caps.get("14")
            support = _applies("continued_support_years", county, year)
            assert (support and int(float(support["value"]))) == (
                B.CONTINUED_SUPPORT_YEARS.get(county[:2]) or None)
            catalogue = _pct("catalogue_share_min", county, year)
            assert catalogue == B.CATALOGUE_MIN_PCT.get(county[:2])
    assert _pct("covid_insurance_share", "340121", B.COVID_FROM_YEAR) == B.COVID_INSURANCE_PCT
    assert _applies("covid_insurance_share", "340121", B.COVID_FROM_YEAR - 1) is None
    with (SEEDS / "ref_disposable_income.csv").open(encoding="utf-8", newline="") as f:
        income = {(r["province_code"], int(r["year"])): int(r["income_yuan"])
                  for r in csv.DictReader(f)}
    assert income == B.INCOME_YUAN
    with (SEEDS / "ref_benefit_diagnoses.csv").open(encoding="utf-8", newline="") as f:
        listed = {(r["diagnosis_list"], r["region_code"], r["diagnosis_code"])
                  for r in csv.DictReader(f)}
    generated = {("covid", "", c) for c, _ in B.COVID} | {
        ("rare_disease", region, c) for region, ds in B.RARE_DISEASES.items() for c, _ in ds}
    assert generated <= listed


def test_the_generators_alert_thresholds_are_the_seeds():
    from decimal import Decimal

    from yibao_synth.monitoring import THRESHOLDS

    with (SEEDS / "ref_monitoring_thresholds.csv").open(encoding="utf-8", newline="") as f:
        seed = {r["indicator"]: (r["change_measure"], Decimal(r["threshold"]),
                                 r["base_indicator"], int(r["min_base_value"]))
                for r in csv.DictReader(f) if r["population_category"] == "all_insured"}
    assert seed == THRESHOLDS


def test_the_generators_card_thresholds_are_the_seeds():
    from yibao_synth import chronic

    county = "450222"
    assert float(_applies("chronic_card_unused_months", county, 2020)["value"]) == (
        chronic.UNUSED_MONTHS)
    assert float(_applies("chronic_visits_per_month_max", county, 2020)["value"]) == (
        chronic.MAX_VISITS_PER_MONTH)
    assert float(_applies("chronic_cost_z_max", county, 2020)["value"]) == chronic.COST_Z_MAX
    assert float(_applies("chronic_cost_min_peers", county, 2020)["value"]) == chronic.MIN_PEERS
    assert _applies("chronic_certifier_min_doctors", "340121", 2020) is None
    assert chronic.BELOW_STANDARD_REGION == "45"
    with (SEEDS / "ref_chronic_diseases.csv").open(encoding="utf-8", newline="") as f:
        seed = {(r["disease_code"], r["diagnosis_code"]) for r in csv.DictReader(f)}
    assert seed == {(code, icd) for code, _, icd, _ in chronic.DISEASES}


def _categories(seed: str) -> dict[str, dict[str, str]]:
    with (SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as f:
        return {r[next(iter(r))]: r for r in csv.DictReader(f)}


def test_the_generators_fraud_cases_fit_the_seeds():
    """The generator's cases are cases under the seed's rules and its decoys are not."""
    from yibao_synth import fraud

    county = "530521"
    assert float(_applies("fraud_readmission_window_days", county, 2020)["value"]) == (
        fraud.READMISSION_WINDOW_DAYS)
    assert float(_applies("fraud_short_stay_max_days", county, 2020)["value"]) == (
        fraud.SHORT_STAY_MAX_DAYS)
    assert float(_applies("fraud_short_stay_max_cost", county, 2020)["value"]) == (
        fraud.SHORT_STAY_MAX_COST_YUAN)
    groups = {c: r["diagnosis_group"] for c, r in _categories("ref_diagnosis_groups").items()}
    def group(code: str) -> str:
        return groups.get(code[:3], code[:3])
    assert all(group(a[0]) == group(b[0]) for a, b in fraud.RELATED)
    assert all(group(a[0]) != group(b[0]) for a, b in fraud.UNRELATED)
    outpatient_type = _categories("ref_outpatient_type_diagnoses")
    assert all(code[:3] in outpatient_type for code, _ in fraud.OUTPATIENT_TYPE)
    assert not any(code[:3] in outpatient_type for code, _ in fraud.STAYS)
    childbirth = _categories("ref_diagnosis_demographics")[fraud.CHILDBIRTH[0][0]]
    assert (childbirth["allowed_sex_code"], int(childbirth["max_age_years"])) == ("2", 55)
    cities = _categories("ref_city_coordinates")
    assert f"{fraud.BEIJING[:4]}00" in cities
