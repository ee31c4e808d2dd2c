"""Rules live in the seeds, not in SQL (issue 7): editing a parameter in a copy of the project
and rebuilding what depends on it changes the findings, and only as the edit says."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
PREMIUM = """select finding_category, subsidy_basis_category, expected_subsidy, source_file,
    source_row_number from marts.fct_premium_subsidy_check"""
BENEFIT = """select finding_kind, rule_id, expected_amount, source_file, source_row_number
    from marts.fct_benefit_check"""
FRAUD = """select rule_id, source_file, source_row_number from marts.fct_fraud_flag"""


def _edit(path: Path, rows_out: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows_out[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows_out)


@pytest.fixture(scope="module")
def edited(small_warehouse, tmp_path_factory):
    """Before and after: Hefei's registered-poor subsidy 90% → 85%, a national 50% row for
    stably exited registered poor, Guangxi's inpatient self-pay cap 10% → 5%, and the
    readmission window of split hospitalisation 15 → 20 days."""
    work = tmp_path_factory.mktemp("seed_edit")
    shutil.copytree(ROOT / "dbt", work / "dbt",
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    shutil.copytree(ROOT / "seeds", work / "seeds")
    candidate = work / "warehouse.candidate.duckdb"
    shutil.copyfile(small_warehouse / "warehouse.duckdb", candidate)
    shutil.copyfile(small_warehouse / "restricted.duckdb", work / "restricted.duckdb")
    with duckdb.connect(str(candidate), read_only=True) as con:
        before = tuple(con.execute(q).fetchall() for q in (PREMIUM, BENEFIT, FRAUD))

    seed = work / "seeds" / "ref_policy_parameters.csv"
    with seed.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if (row["rule_id"], row["region_code"], row["population_category"]) == (
                "premium_subsidy", "3401", "registered_poor"):
            row["value"] = "0.85"
        if (row["rule_id"], row["region_code"]) == ("inpatient_self_pay_cap_share", "45"):
            row["value"] = "0.05"
        if row["rule_id"] == "fraud_readmission_window_days":
            row["value"] = "20"
    rows.append({**rows[0], "rule_id": "premium_subsidy", "region_code": "", "year_from": "2019",
                 "year_to": "", "population_category": "registered_poor_exited",
                 "value": "0.50", "unit": "share", "source_article": "a test edit"})
    _edit(seed, rows)

    env = {**os.environ, "YIBAO_RESTRICTED": str(work / "restricted.duckdb"),
           "YIBAO_WAREHOUSE_CANDIDATE": str(candidate), "YIBAO_DBT_TARGET": "duckdb"}
    project = str(work / "dbt")
    dbt = Path(sys.executable).parent / "dbt"  # a process of its own: dbt-duckdb keeps files open
    result = subprocess.run(
        # --full-refresh: the incremental models re-price every month, as `yibao run` does
        # on its own after a seed edit (yibao.build_inputs)
        [str(dbt), "build", "--select", "@ref_policy_parameters", "--full-refresh",
         "--exclude", "test_type:unit",
         "--project-dir", project, "--profiles-dir", project, "--quiet",
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with duckdb.connect(str(candidate), read_only=True) as con:
        after = tuple(con.execute(q).fetchall() for q in (PREMIUM, BENEFIT, FRAUD))
    return before, after


def test_hefei_payments_follow_the_edited_share(edited):
    (premium_before, _, _), (premium_after, _, _) = edited
    hefei = {(r[3], r[4]): r for r in premium_after if "_3401" in r[3]}
    poor = [r for r in hefei.values() if r[1] == "registered_poor"]
    # 280 × 0.85, or 280 × 0.50 for the stably exited (the national row added below applies)
    assert poor and {r[2] for r in poor} == {238, 140}
    was = {(r[3], r[4]): r for r in premium_before}
    newly = [k for k, r in hefei.items() if r[0] == "over_subsidised" and was[k][0] is None]
    assert len(newly) >= 10  # paid 252 under the old rule, now 14 yuan over


def test_stably_exited_people_take_their_own_row(edited):
    (premium_before, _, _), (premium_after, _, _) = edited
    before = {(r[3], r[4]): r for r in premium_before}
    changed = [(before[(r[3], r[4])], r) for r in premium_after
               if r[1] == "registered_poor" and r[2] == 140]  # 280 × 0.50
    # (a second subsidised payment shows an expected 0 before; after, it is over-subsidised)
    assert changed and all(old[2] > 140 for old, _ in changed if old[0] != "subsidised_twice")


def test_guangxi_inpatients_meet_the_tighter_cap_or_are_flagged(edited):
    (_, benefit_before, _), (_, benefit_after, _) = edited

    def over(rows):
        return {(r[3], r[4]) for r in rows if r[0] == "inpatient_self_pay_over_cap"}

    def others(rows):
        return {(r[0], r[1], r[3], r[4]) for r in rows if r[1] != "inpatient_self_pay_cap_share"}

    assert over(benefit_before) < over(benefit_after)
    assert others(benefit_after) == others(benefit_before)


def test_a_longer_readmission_window_flags_the_late_readmissions(edited, small_tier):
    """The late-readmission decoys come back 17 to 20 days after discharge: a 20-day window
    makes them cases, and nothing else changes."""
    from yibao_synth.evaluate import truth_rows

    (_, _, fraud_before), (_, _, fraud_after) = edited
    late = {("split_hospitalisation", r["source_file"], int(r["row_number"]))
            for r in truth_rows(small_tier.out / "truth", small_tier.months)
            if r["kind"] == "late_readmission"}
    assert late and set(fraud_after) == set(fraud_before) | late
    assert not late & set(fraud_before)
