"""Chronic-disease cards (门诊慢特病, H6, G8): who holds one, their chronic visits, the cards the
department delivers, and the problems the warehouse must find.

About 4% of insured people over 40 hold a card for one disease, certified at a level-2 hospital
of their insuring county by two doctors. A holder has a chronic-outpatient visit (14) for the
card's disease in about half the months; 3% of holders are dormant and never come. Chronic visits
go to holders only: anyone else with a chronic diagnosis shows it at an ordinary visit (11).

Injected, per city and month: one holder buying 5 to 8 times (abnormal frequency) and one chronic
visit at thirty times the usual cost (abnormal cost). In Guangxi, 3% of cards were certified
below G8's standard: at a township health centre (一级) or by one doctor.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .world import World

# (card code, card name, ICD-10 prefix, the diagnosis written on a visit)
DISEASES = (
    ("M03900", "高血压", "I10", "原发性高血压"),
    ("M01600", "糖尿病", "E11", "2型糖尿病"),
    ("M07800", "慢性阻塞性肺疾病", "J44", "慢性阻塞性肺疾病"),
    ("M05300", "冠心病", "I25", "冠状动脉粥样硬化性心脏病"),
    ("M07101", "慢性肾衰竭", "N18", "慢性肾脏病"),
)
VISIT_CODE = {"I10": "I10", "E11": "E11.9", "J44": "J44.9", "I25": "I25.1", "N18": "N18.9"}
HOLDER_RATE = 0.04
VISIT_RATE = 0.5
DORMANT_RATE = 0.03
FREQUENT_VISITS = (5, 8)
COST_FACTOR = 30
BELOW_STANDARD_RATE = 0.03
BELOW_STANDARD_REGION = "45"
# the warehouse's thresholds (seed ref_policy_parameters): tests keep them equal
MAX_VISITS_PER_MONTH = 4
UNUSED_MONTHS = 6
COST_Z_MAX = 3.5
MIN_PEERS = 10


def holdings(world: World, insured: pa.Table, m: int) -> dict[str, np.ndarray]:
    """Per insured row: holds a card by month m, its disease index, start month, dormant, and
    a below-standard certification (0 none, 1 township centre, 2 one doctor)."""
    uid = insured["person_uid"].to_numpy() - world.uid_offset
    age = insured["age"].to_numpy(zero_copy_only=False)
    dice = np.random.default_rng([world.seed, 600]).random(world.pop.n)[uid]
    more = np.random.default_rng([world.seed, 601]).random((world.pop.n, 2))[uid]
    start_m = (dice * 10_000).astype(np.int64) % (world.n_months + 24) - 24
    holds = (age >= 40) & (dice < HOLDER_RATE) & (start_m <= m)
    home = insured["insuplc_admdvs"].to_numpy(zero_copy_only=False).astype(str)
    below = np.where(more[:, 1] < BELOW_STANDARD_RATE, 1 + (more[:, 1] * 1e4).astype(int) % 2, 0)
    below = np.where(np.char.startswith(home, BELOW_STANDARD_REGION), below, 0)
    return {
        "holds": holds,
        "disease": (dice * 1e6).astype(np.int64) % len(DISEASES),
        "start_m": start_m,
        "dormant": more[:, 0] < DORMANT_RATE,
        "below": below,
    }


def chronic_visits(
    held: dict[str, np.ndarray], picked: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Extra chronic visits of holders not otherwise seen this month: (insured rows, the
    injected fault per visit or None, cost factor). One frequent buyer gets 5 to 8 visits; one
    visit costs thirty times the usual."""
    n = len(held["holds"])
    free = held["holds"] & ~held["dormant"]
    free[picked] = False
    come = np.flatnonzero(free & (rng.random(n) < VISIT_RATE))
    rows, faults = [come], [np.full(len(come), None, dtype=object)]
    if len(come) >= 2:
        frequent, costly = rng.choice(come, size=2, replace=False)
        extra = int(rng.integers(FREQUENT_VISITS[0], FREQUENT_VISITS[1] + 1)) - 1
        rows.append(np.full(extra, frequent))
        faults.append(np.full(extra, "chronic_abnormal_frequency", dtype=object))
        faults[0][come == frequent] = "chronic_abnormal_frequency"
        faults[0][come == costly] = "chronic_abnormal_cost"
    rows_all = np.concatenate(rows)
    fault = np.concatenate(faults)
    factor = np.where(fault == "chronic_abnormal_cost", COST_FACTOR, 1)
    return rows_all, fault, factor


def visit_diagnosis(held: dict[str, np.ndarray], rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """The card disease's visit diagnosis (code, name) for insured rows."""
    disease = held["disease"][rows]
    code = np.array([VISIT_CODE[d[2]] for d in DISEASES], dtype=object)[disease]
    name = np.array([d[3] for d in DISEASES], dtype=object)[disease]
    return code, name


def certifications(world: World, m: int, insured: pa.Table, inst: pa.Table,
                   held: dict[str, np.ndarray] | None = None) -> pa.Table:
    """Every card held by month m (the file is cumulative), with where and by how many doctors
    it was certified. `held` is `holdings(world, insured, m)` when the caller has it."""
    held = held if held is not None else holdings(world, insured, m)
    keep = held["holds"]
    rows = insured.filter(pa.array(keep))
    start = held["start_m"][keep]
    disease = held["disease"][keep]
    below = held["below"][keep]
    first = np.datetime64(world.months[0], "M")
    begin = (first + start.astype("timedelta64[M]")).astype("datetime64[D]") + 9
    home = rows["insuplc_admdvs"].to_pylist()
    level2 = inst.filter(pc.equal(inst["hosp_lv"], "二级"))
    level1 = inst.filter(pc.equal(inst["hosp_lv"], "一级"))
    by_level2 = dict(zip(level2["admdvs"].to_pylist(), level2["fixmedins_code"].to_pylist(),
                         strict=True))
    by_level1 = dict(zip(level1["admdvs"].to_pylist(), level1["fixmedins_code"].to_pylist(),
                         strict=True))
    institution = [by_level1.get(h) if b == 1 else by_level2.get(h)
                   for h, b in zip(home, below, strict=True)]
    n = len(begin)
    return pa.table(
        {
            "person_uid": rows["person_uid"],
            "psn_no": rows["psn_no"],
            "certno": rows["certno"],
            "opsp_dise_code": pa.array(np.array([d[0] for d in DISEASES])[disease]),
            "opsp_dise_name": pa.array(np.array([d[1] for d in DISEASES])[disease]),
            "begndate": pa.array(begin),
            "enddate": pa.array(np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")),
            "fixmedins_code": pa.array(institution, pa.string()),
            "doctor_count": pa.array(np.where(below == 2, 1, 2).astype(np.int64)),
            "certifier_fault": pa.array(np.where(below > 0, "certifier_below_standard", None),
                                        pa.string()),
        }
    )
