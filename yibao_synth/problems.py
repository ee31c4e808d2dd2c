"""Injected problems: a registry of kinds, each with a small injector that edits the world.

To add a kind: declare it in `KINDS` and write an ``@injector`` function. The truth for
reconciliation kinds is derived from the world by SQL (`truth.py`), so an injector only has to
create the situation; ID-anomaly kinds are reported where the faulty record is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yibao import contracts as C

from . import ids, names
from .monthly import STOP_REASON
from .world import BIG, World, set_status


@dataclass(frozen=True)
class Kind:
    name: str
    group: str  # id_anomaly | reconciliation | vertical | premium | benefit | ...
    expected_table: str
    description: str
    needs_months: int = 1  # a tier shorter than this cannot show the kind


NEEDS_MONTHS = {"card_unused": 6}


def _kinds(group: str, table: str, items: dict[str, str]) -> dict[str, Kind]:
    return {k: Kind(k, group, table, d, NEEDS_MONTHS.get(k, 1)) for k, d in items.items()}


KINDS: dict[str, Kind] = {
    **_kinds(
        "id_anomaly",
        "fct_id_anomaly",
        {
            "duplicate_id": "the same ID number on two records of one roster (重复身份证号)",
            "wrong_length": "an ID number of 17 or 19 characters",
            "bad_check_digit": "an 18-digit ID number whose check character is wrong",
            "fifteen_digit": "an old 15-digit ID number",
            "lowercase_x": "an ID number ending in a lower-case x",
            "full_width": "an ID number written in full-width digits",
            "same_id_different_name": "the same ID number under different names across departments",
        },
    ),
    **_kinds(
        "reconciliation",
        "fct_reconciliation_finding",
        {
            "poor_not_enrolled": "poor (registered, monitored, 特困, 低保, 低边) but not enrolled",
            "enrolled_not_flagged": "enrolled and poor, but no special-person flag (身份标识缺失)",
            "flagged_not_on_roster": "a special-person flag for someone on no roster",
            "paid_not_enrolled": "a premium paid for the year, but not enrolled",
            "enrolled_elsewhere": "poor and enrolled, but in another county (异地参保)",
            "employee_insurance": "poor and covered by employee insurance (职工医保) only",
            "duplicate_enrolment": "resident and employee insurance at once, "
            "or resident insurance in two regions",
            "not_eligible": "not eligible to enrol (不符合参保条件): the reason is in the detail",
            "poverty_flag_contradiction": "the poverty office's 是否参加城乡居民医保 "
            "contradicts the register",
        },
    ),
    **_kinds(
        "premium",
        "fct_premium_subsidy_check",
        {
            "under_subsidised": "a premium subsidy below the rule's for the categories held",
            "over_subsidised": "a premium subsidy above the rule's",
            "subsidised_without_category": "a subsidy for someone holding no category that day",
            "subsidised_twice": "a second subsidised payment in one insured year",
            "void_not_refunded": "a void (冲红) that does not give back what was paid",
        },
    ),
    **_kinds(
        "benefit",
        "fct_benefit_check",
        {
            "critical_illness_underpaid": "critical-illness insurance paid less than the rule "
            "(deductible, ratio, 倾斜 for the poor; A2.2, W)",
            "critical_illness_overpaid": "critical-illness insurance paid below the deductible",
            "medical_assistance_underpaid": "medical assistance below the category's share (W)",
            "medical_assistance_over_cap": "medical assistance above the annual cap of 80,000 "
            "yuan (W)",
            "rare_disease_assistance_underpaid": "no special assistance for a listed rare "
            "disease (罕见病专项救助, W)",
            "inpatient_self_pay_over_cap": "a poor inpatient in county paid more than 10% (G6)",
            "chronic_self_pay_over_cap": "a poor chronic outpatient in county paid more than 20% "
            "(G6)",
            "catalogue_share_below_min": "out-of-catalogue cost above 10% not borne by the "
            "hospital (G7)",
            "covid_patient_charged": "a poor COVID-19 patient paid part of the treatment (S6.3)",
            "newborn_not_covered": "a newborn enrolled within 3 months refused cover from birth "
            "(A1.2)",
        },
    ),
    **_kinds(
        "benefit_pool",
        "fct_benefit_pool_ratio",
        {
            "basic_policy_ratio_below_min": "a pool's yearly inpatient policy-range ratio below "
            "70% (A2.1)",
            "critical_illness_ratio_below_min": "a pool's yearly critical-illness ratio below 60% "
            "(A2.2)",
        },
    ),
    **_kinds(
        "monitoring",
        "fct_monitoring_alert",
        {
            "monitoring_alert": "a month-over-month change above its seed threshold (S6.2, S7): "
            "computed from the written settlements; column_name = level, region, indicator",
        },
    ),
    **_kinds(
        "monitoring_swing",
        "fct_monitoring_alert",
        {
            "monitoring_swing": "an injected swing (inpatient surge, one-stop outage) in a county; "
            "its alert must be among the monitoring_alert rows",
        },
    ),
    **_kinds(
        "chronic_card",
        "fct_chronic_card_finding",
        {
            "eligible_without_card": "a poor person whose visit names a card disease they hold "
            "no card for (H6)",
            "card_unused": "a card with no chronic visit for 6 months (H6)",
            "chronic_abnormal_frequency": "more than 4 chronic visits for one disease in a month "
            "(H6)",
            "chronic_abnormal_cost": "a month's chronic cost far above the peers' with the same "
            "disease (robust z-score, H6)",
            "certifier_below_standard": "a Guangxi card certified at a 一级 institution or by one "
            "doctor (G8)",
        },
    ),
    **_kinds(
        "chronic_card_injected",
        "fct_chronic_card_finding",
        {
            "chronic_abnormal_frequency_injected": "an injected frequent buyer: must be among "
            "the chronic_abnormal_frequency rows",
            "chronic_abnormal_cost_injected": "an injected costly purchase: must be among the "
            "chronic_abnormal_cost rows",
        },
    ),
    **_kinds(
        "poverty_risk",
        "fct_poverty_risk_warning",
        {
            "non_poor_at_risk": "someone on no roster whose 12-month out-of-pocket cost reaches "
            "half the province's per-capita disposable income (S9.3)",
            "exited_at_risk": "an exited registered poor person with such a burden (S9.3)",
        },
    ),
    **_kinds(
        "poverty_risk_injected",
        "fct_poverty_risk_warning",
        {
            "poverty_risk_injected": "an injected catastrophic stay of someone on no roster: "
            "must be among the warnings",
        },
    ),
    **_kinds(
        "fraud",
        "fct_fraud_flag",
        {
            "split_hospitalisation": "readmitted to the same institution within 15 days for a "
            "related diagnosis (分解住院, S9.2); the readmission is the row",
            "overlapping_stays": "in hospital at two institutions on the same days; the later "
            "stay is the row",
            "care_after_death": "a visit after the date of death the register reports",
            "distant_same_day": "visits starting the same day at home and in Beijing (冒名就医); "
            "the Beijing visit is the row",
            "demographic_mismatch": "childbirth for a man or a woman of 60 or more (冒名就医)",
            "admission_rate_outlier": "a county hospital whose poor patients were admitted about "
            "seven times as often as usual (住院率畸高, A3.2); delivered_value = institution",
            "lowered_admission_standard": "a stay of at most 3 days under 2,000 yuan for an "
            "outpatient-type diagnosis (降低住院标准)",
        },
    ),
    **_kinds(
        "fraud_decoy",
        "fct_fraud_flag",
        {
            "unrelated_readmission": "readmitted within the window for an unrelated diagnosis",
            "late_readmission": "readmitted for a related diagnosis after the window",
            "same_day_transfer": "transferred to the provincial hospital, admitted the day of "
            "discharge",
            "long_stay": "a stay of 2 to 6 weeks that began the month before",
            "death_during_stay": "a stay that ended with the death",
            "same_day_same_county": "two visits the same day in the home county",
            "plausible_mother": "a mother of 46 to 54",
            "short_real_stay": "a short cheap stay for pneumonia",
            "outpatient_type_long_stay": "a stay of 8 to 12 days for hypertension",
            "inpatient_surge_hospital": "the hospital of a county with an inpatient surge, "
            "where everyone's admissions rose",
        },
    ),
    **_kinds(
        "vertical",
        "fct_vertical_consistency",
        {
            "summary_disagreement": "a provincial or city platform count that disagrees "
            "with the counties",
        },
    ),
}

Injector = Callable[[World, np.random.Generator], None]
INJECTORS: list[Injector] = []


def injector(fn: Injector) -> Injector:
    INJECTORS.append(fn)
    return fn


def inject_all(world: World) -> None:
    for i, fn in enumerate(INJECTORS):
        fn(world, np.random.default_rng([world.seed, 100 + i]))


# --- helpers -------------------------------------------------------------------------------------


def _count(pool: int, rate: float, minimum: int = 4) -> int:
    return min(pool, max(minimum, int(round(pool * rate))))


class _Pool:
    """Eligible poor persons not yet used by a reconciliation injector."""

    def __init__(self, world: World) -> None:
        pop = world.pop
        born = pop.birth < np.datetime64(world.months[0] + "-01")
        self.free = world.on_roster & (world.status_m == BIG) & born
        self.free &= world.hh_from[pop.household] == 0

    def take(self, rng: np.random.Generator, k: int) -> np.ndarray:
        candidates = np.flatnonzero(self.free)
        chosen = np.sort(rng.choice(candidates, size=min(k, len(candidates)), replace=False))
        self.free[chosen] = False
        return chosen


def _pool(world: World) -> _Pool:
    if not hasattr(world, "_pool"):
        world._pool = _Pool(world)  # type: ignore[attr-defined]
    return world._pool  # type: ignore[attr-defined]


def _window(world: World, rng: np.random.Generator, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Month windows [a, b): most problems last the whole period, some start or end inside it."""
    m = world.n_months
    a = np.where(rng.random(k) < 0.7, 0, rng.integers(0, m, k))
    b = np.where(rng.random(k) < 0.75, BIG, a + 1 + rng.integers(0, max(m, 1), k))
    return a, np.where(b >= m, BIG, b)


def _edit_enrolment(world: World, uids: np.ndarray, edit: Callable[[dict], dict]) -> None:
    """Replace the enrolment rows of `uids` by `edit(rows)`; rows is a dict of numpy arrays."""
    table = world.enrolment
    mask = pc.is_in(table["person_uid"], pa.array(uids)).to_numpy(zero_copy_only=False)
    kept = table.filter(pa.array(~mask))
    rows = {c: table[c].to_numpy(zero_copy_only=False)[mask] for c in table.column_names}
    dtypes = {c: v.dtype for c, v in rows.items()}
    new = {c: np.asarray(v, dtype=dtypes[c]) for c, v in edit(rows).items()}
    world.enrolment = pa.concat_tables([kept, pa.table(new, schema=table.schema)])


def _other_county(world: World, rng: np.random.Generator, uids: np.ndarray) -> np.ndarray:
    codes = np.array([int(c.code) for c in world.pop.regions.counties])
    own = world.pop.county[uids]
    other = (own + 1 + rng.integers(0, len(codes) - 1, len(uids))) % len(codes)
    return codes[other]


# --- reconciliation ------------------------------------------------------------------------------


@injector
def poor_not_enrolled(world: World, rng: np.random.Generator) -> None:
    """Drop the enrolment of some poor people for a window of months."""
    k = _count(int(world.on_roster.sum()), 0.01)
    uids = _pool(world).take(rng, k)
    a, b = _window(world, rng, len(uids))
    gap = dict(zip(uids.tolist(), zip(a.tolist(), b.tolist(), strict=True), strict=True))

    def edit(rows: dict) -> dict:
        out = {c: [] for c in rows}
        for i, uid in enumerate(rows["person_uid"]):
            start, end = gap[int(uid)]
            pieces = [(rows["from_m"][i], start)]
            if end < BIG:
                pieces.append((end, rows["to_m"][i]))
            for lo, hi in pieces:
                if lo < hi:
                    for c in rows:
                        out[c].append(rows[c][i])
                    out["from_m"][-1], out["to_m"][-1] = lo, hi
        return out

    _edit_enrolment(world, uids, edit)


@injector
def enrolled_elsewhere(world: World, rng: np.random.Generator) -> None:
    uids = _pool(world).take(rng, _count(int(world.on_roster.sum()), 0.005))
    other = dict(zip(uids.tolist(), _other_county(world, rng, uids).tolist(), strict=True))

    def edit(rows: dict) -> dict:
        rows["admdvs"] = np.array([other[int(u)] for u in rows["person_uid"]])
        return rows

    _edit_enrolment(world, uids, edit)


@injector
def employee_insurance(world: World, rng: np.random.Generator) -> None:
    """Poor people in employee insurance: some all along, some switching (stop_rsn 转职工医保)."""
    uids = _pool(world).take(rng, _count(int(world.on_roster.sum()), 0.008))
    switch_m = np.where(rng.random(len(uids)) < 0.5, 0, rng.integers(0, world.n_months, len(uids)))
    switch = dict(zip(uids.tolist(), switch_m.tolist(), strict=True))

    def edit(rows: dict) -> dict:
        out = {c: list(v) for c, v in rows.items()}
        for i, uid in enumerate(rows["person_uid"]):
            m = switch[int(uid)]
            if m == 0:
                out["insutype"][i] = "310"
                continue
            out["stop_m"][i], out["stop_rsn"][i] = m, "转职工医保"
            for c in rows:
                out[c].append(rows[c][i])
            out["insutype"][-1], out["from_m"][-1] = "310", m
            out["stop_m"][-1], out["stop_rsn"][-1] = BIG, None
        return out

    _edit_enrolment(world, uids, edit)


@injector
def duplicate_enrolment(world: World, rng: np.random.Generator) -> None:
    """A second active row: employee insurance beside resident, or resident in a second region."""
    uids = _pool(world).take(rng, _count(int(world.on_roster.sum()), 0.003))
    second_region = rng.random(len(uids)) < 0.5
    region = dict(zip(uids.tolist(), _other_county(world, rng, uids).tolist(), strict=True))
    two = dict(zip(uids.tolist(), second_region.tolist(), strict=True))
    a, _ = _window(world, rng, len(uids))
    start = dict(zip(uids.tolist(), a.tolist(), strict=True))

    def edit(rows: dict) -> dict:
        out = {c: list(v) for c, v in rows.items()}
        for i, uid in enumerate(rows["person_uid"]):
            u = int(uid)
            for c in rows:
                out[c].append(rows[c][i])
            out["from_m"][-1] = max(rows["from_m"][i], start[u])
            if two[u]:
                out["admdvs"][-1], out["psn_seq"][-1] = region[u], 1
            else:
                out["insutype"][-1] = "310"
        return out

    _edit_enrolment(world, uids, edit)


@injector
def enrolled_not_flagged(world: World, rng: np.random.Generator) -> None:
    uids = _pool(world).take(rng, _count(int(world.on_roster.sum()), 0.01))
    world.identity_drop = pa.table({"person_uid": pa.array(uids)})


@injector
def flagged_not_on_roster(world: World, rng: np.random.Generator) -> None:
    """Identity rows for people who are neither on the poverty roster nor assisted."""
    pop = world.pop
    assisted = np.zeros(pop.n, dtype=bool)
    assisted[world.memberships["person_uid"].to_numpy()] = True
    enrolled = np.zeros(pop.n, dtype=bool)
    enrolled[world.enrolment["person_uid"].to_numpy()] = True
    born = pop.birth < np.datetime64(world.months[0] + "-01")
    pool = np.flatnonzero(~world.on_roster & ~assisted & enrolled & born & (world.status_m == BIG))
    k = _count(int(world.on_roster.sum()), 0.003)
    uids = np.sort(rng.choice(pool, size=min(k, len(pool)), replace=False))
    kinds = np.array(["脱贫人口", "未脱贫人口", "低保", "特困", "低边"])[
        rng.integers(0, 5, len(uids))
    ]
    begin = np.datetime64("2018-01-01") + rng.integers(0, 500, len(uids)).astype("timedelta64[D]")
    world.extra_identities = pa.table(
        {
            "person_uid": pa.array(uids),
            "psn_idet_type": pa.array(kinds),
            "begntime": pa.array(begin),
        }
    )


@injector
def paid_not_enrolled(world: World, rng: np.random.Generator) -> None:
    """People who paid the resident premium but never made it into the register."""
    pop = world.pop
    enrolled390 = np.zeros(pop.n, dtype=bool)
    e = world.enrolment
    resident = pc.equal(e["insutype"], "390").to_numpy(zero_copy_only=False)
    enrolled390[e["person_uid"].to_numpy()[resident]] = True
    born = pop.birth < np.datetime64(world.months[0] + "-01")
    pool = np.flatnonzero(~world.on_roster & enrolled390 & born & (world.status_m == BIG))
    flagged = np.zeros(pop.n, dtype=bool)
    flagged[world.extra_identities["person_uid"].to_numpy()] = True
    pool = pool[~flagged[pool]]
    uids = np.sort(rng.choice(pool, size=_count(len(pool), 0.0005), replace=False))
    _edit_enrolment(world, uids, lambda rows: {c: v[:0] for c, v in rows.items()})
    world.extra_payers = uids


@injector
def not_eligible(world: World, rng: np.random.Generator) -> None:
    """Every not-eligible status of G1/S5.3.2 on poor people; where the register has a matching
    stop reason, some are known only from the register (the roster still says 正常)."""
    pool = _pool(world)
    for status in C.PERSON_STATUSES[1:]:
        uids = pool.take(rng, _count(int(world.on_roster.sum()), 0.002))
        set_status(world, uids, status, rng)
        if status in STOP_REASON:
            hidden = uids[rng.random(len(uids)) < 0.3]
            world.roster_shows_status[hidden] = False


@injector
def poverty_flag_contradiction(world: World, rng: np.random.Generator) -> None:
    uids = _pool(world).take(rng, _count(int(world.on_roster.sum()), 0.005))
    world.insured_flag_wrong[uids] = True


# --- vertical ------------------------------------------------------------------------------------


def summary_faults(seed: int, n_months: int) -> list[dict]:
    """Each month, one provincial and one city row of the platforms' summary disagree with the
    counties. Drawn for the whole tier, since the summary adds up every county."""
    rng = np.random.default_rng([seed, 99])
    measures = ("roster_count", "enrolled_count", "not_enrolled_count")
    faults = []
    for m in range(n_months):
        for level in ("省", "市"):
            faults.append(
                {
                    "month_index": m,
                    "report_level": level,
                    "region_pick": float(rng.random()),
                    "category": C.SUMMARY_CATEGORIES[int(rng.integers(0, 2))],
                    "measure": measures[int(rng.integers(0, 3))],
                    "delta": int(rng.choice([-1, 1]) * rng.integers(1, 40)),
                }
            )
    return faults


# --- ID anomalies --------------------------------------------------------------------------------



def _department_pool(world: World, department: str) -> np.ndarray:
    pop = world.pop
    born = pop.birth < np.datetime64(world.months[0] + "-01")
    if department == "poverty":
        return np.flatnonzero(world.on_roster & born)
    if department == "civil_affairs":
        return _present(pop.n, world.memberships["person_uid"].to_numpy())
    e = world.enrolment
    resident = pc.equal(e["insutype"], "390").to_numpy(zero_copy_only=False)
    return _present(pop.n, e["person_uid"].to_numpy()[resident])


def _present(n: int, uids: np.ndarray) -> np.ndarray:
    """The sorted distinct uids, by a mask rather than a hash table."""
    mask = np.zeros(n, dtype=bool)
    mask[uids] = True
    return np.flatnonzero(mask)


@injector
def id_anomalies(world: World, rng: np.random.Generator) -> None:
    """One fault per (department, person): malformed IDs, duplicates and name typos."""
    pop = world.pop
    frames = []
    duplicates = []
    for department in ("poverty", "civil_affairs", "tax"):
        pool = _department_pool(world, department)
        pool = pool[rng.permutation(len(pool))]
        used = 0

        def take(k: int, where: np.ndarray | None = None) -> np.ndarray:
            nonlocal used, pool
            if where is not None:  # restrict to persons matching a condition
                ok = np.flatnonzero(where[pool[used:]])[:k] + used
                chosen = pool[ok]
                pool = np.delete(pool, ok)
                return chosen
            chosen = pool[used : used + k]
            used += k
            return chosen

        rate = {"poverty": 0.002, "civil_affairs": 0.003, "tax": 0.0004}[department]
        size = len(pool)
        true_id = pop.id18
        ends_x = pc.equal(pc.utf8_slice_codeunits(true_id, 17, 18), "X").to_numpy(
            zero_copy_only=False
        )
        born_before_2000 = pop.birth < np.datetime64("2000-01-01")

        for fault in (
            "wrong_length",
            "bad_check_digit",
            "fifteen_digit",
            "lowercase_x",
            "full_width",
            "same_id_different_name",
            "linkage_typo",
        ):
            k = _count(size, rate)
            if fault == "lowercase_x":
                who = take(k, ends_x)
            elif fault == "fifteen_digit":
                who = take(k, born_before_2000)
            else:
                who = take(k)
            if len(who) == 0:
                continue
            their = true_id.take(pa.array(who))
            delivered_name = pop.name.take(pa.array(who))
            if fault == "wrong_length":
                delivered = ids.with_wrong_length(their, rng)
            elif fault in ("bad_check_digit", "linkage_typo"):
                delivered = ids.with_bad_check(their)
            elif fault == "fifteen_digit":
                delivered = ids.to15(their)
            elif fault == "lowercase_x":
                delivered = ids.lower_x(their)
            elif fault == "full_width":
                delivered = ids.full_width(their)
            else:
                delivered = their
            if fault in ("same_id_different_name", "linkage_typo"):
                if department == "poverty":
                    continue  # the poverty roster's names are the reference; typos come elsewhere
                delivered_name = pa.array(names.typo(delivered_name.to_pylist(), rng), pa.string())
            frames.append(
                pa.table(
                    {
                        "department": pa.array([department] * len(who)),
                        "person_uid": pa.array(who),
                        "fault": pa.array([fault] * len(who)),
                        "delivered_id": delivered,
                        "delivered_name": delivered_name,
                    }
                )
            )
        if department in ("poverty", "civil_affairs"):
            duplicates.append(
                pa.table(
                    {
                        "department": pa.array([department] * _count(size, 0.0005)),
                        "person_uid": pa.array(take(_count(size, 0.0005))),
                    }
                )
            )
    world.id_faults = pa.concat_tables(frames).combine_chunks()
    world.duplicate_rows = pa.concat_tables(duplicates).combine_chunks()
