"""Who pays what of a settlement: the funds' shares by the benefit rules of POLICY_RULES §5.

Amounts are integer fen. For every settlement, in this order:
1. basic fund (hifp): a share of the policy-range cost by visit type;
2. critical illness (hifmi, A2.2, W), resident insurance, inpatient: the pool's ratio of the
   year's cumulative policy-range self-pay above the deductible (half the province's per-capita
   disposable income of the year before); for 特困, 低保 and the registered poor the deductible
   is halved and the ratio 5 points higher, with no cap;
3. medical assistance (maf): in Wenzhou (W) the share of the categories held (就高) of what is
   left of the policy-range cost, inpatient, plus the rare-disease share for a listed diagnosis
   on any visit, within 80,000 yuan a year; elsewhere half of it for the poor (no rule checks it);
4. the hospital's part (hosp), which includes the catalogue excess in Guangxi (G7);
5. safety net (oth): tops the person's part down to the self-pay cap for the registered poor in
   Guangxi, in-county (G6), and pays the rest of a poor patient's COVID-19 treatment (S6.3).

The warehouse checks the same rules from the seeds (tests/test_policy_parameters.py keeps these
constants and the seeds equal). Injected violations (`FAULTS`) break one rule on one settlement
each and are reported in the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# the pools pay inpatients a little above A2.1's 70% floor, so one refused or underpaid stay
# does not pull a pool below it; only SHORT_POOL falls short by design
BASIC_PCT = {"11": 50, "14": 60, "21": 72, "52": 75}
INPATIENT = ("21", "52")
# One pool and year whose inpatient basic ratio falls short of A2.1's 70%: (city, year, pct).
SHORT_POOL = ("3415", 2020, 66)
INCOME_YUAN = {
    ("33", 2018): 45840, ("33", 2019): 49899, ("33", 2020): 52397,
    ("34", 2018): 23984, ("34", 2019): 26415, ("34", 2020): 28103,
    ("45", 2018): 21485, ("45", 2019): 23328, ("45", 2020): 24562,
    ("53", 2018): 20084, ("53", 2019): 22082, ("53", 2020): 23295,
}
CRITICAL_ILLNESS = {"income_pct": 50, "ratio_pct": 60, "poor_cut_pct": 50, "poor_raise_pct": 5}
ASSISTANCE_PCT = {
    "3303": {
        "extremely_poor": 100,
        "minimum_living_allowance": 70,
        "low_income_marginal": 60,
        "poverty_due_to_illness": 50,
        "registered_poor": 50,
        "rare_disease": 50,
    }
}
ASSISTANCE_CAP_YUAN = {"3303": 80_000}
SELF_PAY_CAP_PCT = {"45": {"21": 10, "52": 10, "14": 20}}
CONTINUED_SUPPORT_YEARS = {"45": 2}
CATALOGUE_MIN_PCT = {"45": 90}
COVID_INSURANCE_PCT = 90
COVID_FROM_YEAR = 2020
COVID = (("U07.1", "新型冠状病毒肺炎（确诊病例）"),)
RARE_DISEASES = {"3303": (("E75.2", "戈谢病"), ("E70.0", "苯丙酮尿症"), ("G12.2", "运动神经元病"))}
NEWBORN = (("P59.9", "新生儿黄疸"), ("P07.3", "早产儿"))

# kind → (share of the settlements it can apply to, at least one per city and month; the money
# column it changes)
FAULTS = {
    "critical_illness_underpaid": (0.15, "hifmi_pay"),
    "critical_illness_overpaid": (0.004, "hifmi_pay"),
    "medical_assistance_underpaid": (0.08, "maf_pay"),
    "medical_assistance_over_cap": (1.0, "maf_pay"),  # the catastrophic cases drawn for it
    "rare_disease_assistance_underpaid": (0.3, "maf_pay"),
    "inpatient_self_pay_over_cap": (0.05, "psn_part_amt"),
    "chronic_self_pay_over_cap": (0.05, "psn_part_amt"),
    "catalogue_share_below_min": (0.01, "hosp_part_amt"),
    "covid_patient_charged": (0.3, "psn_part_amt"),
    "newborn_not_covered": (0.3, "hifp_pay"),
}
CATASTROPHIC = {"clean_rate": 0.02, "clean_factor": 150, "faults_per_month": 1, "fault_factor": 300}
CATALOGUE_DECOY_RATE = 0.01
PROTECTED = "_protected"


def pct_of(fen: np.ndarray, pct) -> np.ndarray:
    """fen × pct / 100, rounded half up (the warehouse rounds half away from zero; amounts ≥ 0)."""
    return (np.asarray(fen, dtype=np.int64) * np.asarray(pct, dtype=np.int64) * 2 + 100) // 200


@dataclass
class Visits:
    """One month's settlements, column arrays of equal length (money in fen)."""

    uid: np.ndarray  # local person index
    insutype: np.ndarray
    home: np.ndarray  # insured county code (str)
    in_county: np.ndarray  # the institution is in the insured county
    med_type: np.ndarray
    year: int
    held: dict[str, np.ndarray]  # category → held on the settlement date (bool)
    support: np.ndarray  # registered poor, 未脱贫 or within the continued-support years
    poor: np.ndarray  # on a roster (the generator's old rule for assistance elsewhere)
    covid: np.ndarray
    rare: np.ndarray
    newborn_gap: np.ndarray
    protected: np.ndarray  # carries another injected case (a chronic purchase, a catastrophe)
    total: np.ndarray
    fulamt: np.ndarray
    overlmt: np.ndarray
    preself: np.ndarray
    hosp: np.ndarray
    settled: np.ndarray  # setl_time: one person's settlements of the month count in this order


class YearState:
    """Per person, this calendar year: the cumulative critical-illness base and assistance."""

    def __init__(self, n: int) -> None:
        self.year = 0
        self.ci_base = np.zeros(n, dtype=np.int64)
        self.assistance = np.zeros(n, dtype=np.int64)

    def start(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.ci_base[:] = 0
            self.assistance[:] = 0

    def reverse(self, uid: np.ndarray, year: np.ndarray, ci_base: np.ndarray, ma: np.ndarray):
        """A reversal nets its settlement out: it no longer counts toward the year."""
        same = year == self.year
        np.subtract.at(self.ci_base, uid[same], ci_base[same])
        np.subtract.at(self.assistance, uid[same], ma[same])


def prepare_costs(v: Visits, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Catastrophic costs and catalogue excesses, before the funds are split. Returns the planned
    faults that need their inputs shaped: over_cap and catalogue cases."""
    k = len(v.uid)
    fault = np.full(k, None, dtype=object)
    fault[v.protected] = PROTECTED  # no benefit violation on top of another injected case
    inpatient = np.isin(v.med_type, INPATIENT)
    wenzhou = _prefixed(v.home, ASSISTANCE_PCT) & inpatient & (v.insutype == "390")
    categories = np.zeros(k, dtype=bool)
    for name in ASSISTANCE_PCT["3303"]:
        if name in v.held:
            categories |= v.held[name]
    # (never a settlement carrying another case: its costs stay as that case needs them)
    pool = np.flatnonzero(wenzhou & categories & ~v.covid & ~v.newborn_gap & ~v.protected)
    chosen = rng.choice(pool, size=min(len(pool), CATASTROPHIC["faults_per_month"]),
                        replace=False) if len(pool) else pool
    clean = pool[rng.random(len(pool)) < CATASTROPHIC["clean_rate"]]
    clean = np.setdiff1d(clean, chosen)
    scaled = ((clean, CATASTROPHIC["clean_factor"]), (chosen, CATASTROPHIC["fault_factor"]))
    for idx, factor in scaled:
        for col in ("total", "fulamt", "overlmt", "preself", "hosp"):
            arr = getattr(v, col)
            arr[idx] = arr[idx] * factor
    fault[chosen] = "medical_assistance_over_cap"

    guangxi = _prefixed(v.home, CATALOGUE_MIN_PCT) & inpatient & ~v.covid & (fault == None)  # noqa: E711
    faulty = pick(guangxi, FAULTS["catalogue_share_below_min"][0], rng)
    decoy = pick(guangxi & ~faulty, CATALOGUE_DECOY_RATE, rng)
    excess_cases = faulty | decoy
    share = rng.integers(15, 26, k)
    v.fulamt[excess_cases] = v.total[excess_cases] * share[excess_cases] // 100
    v.overlmt[excess_cases] = 0
    v.preself[excess_cases] = v.total[excess_cases] * 2 // 100
    excess = v.fulamt - pct_of(v.total, 100 - CATALOGUE_MIN_PCT.get("45", 90))
    v.hosp[decoy] = np.maximum(v.hosp[decoy], excess[decoy])
    fault[faulty] = "catalogue_share_below_min"
    # COVID-19: all cost within the policy range
    for col in ("fulamt", "overlmt", "preself", "hosp"):
        getattr(v, col)[v.covid] = 0
    return {"fault": fault}


def earlier_in_month(uid: np.ndarray, settled: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Per row, the sum of `amount` over the same person's rows settled before it (by time,
    then row, as setl_ids follow rows), as the warehouse's running totals order them."""
    k = len(uid)
    if not k:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(k), settled, uid))
    a, u = amount[order], uid[order]
    running = np.cumsum(a) - a
    first = np.r_[True, u[1:] != u[:-1]]
    out = np.empty(k, dtype=np.int64)
    out[order] = running - running[first][np.cumsum(first) - 1]
    return out


def split_funds(v: Visits, state: YearState, rng: np.random.Generator, planned: dict) -> dict:
    """The funds' payments, the person's part and any injected fault per settlement."""
    state.start(v.year)
    k = len(v.uid)
    fault = planned["fault"]
    free = fault == None  # noqa: E711
    inpatient = np.isin(v.med_type, INPATIENT)
    inscp = v.total - v.fulamt - v.overlmt - v.preself

    # 1. basic fund
    pct = np.array([BASIC_PCT[t] for t in v.med_type], dtype=np.int64) if k else np.zeros(0, int)
    city, year, short = SHORT_POOL
    pct = np.where(inpatient & (v.med_type == "21") & _starts(v.home, city) & (v.year == year),
                   short, pct)
    pct = np.where(v.covid, COVID_INSURANCE_PCT, pct)
    hifp = (inscp * pct + 99) // 100  # rounded up, so a pool's average never falls below pct
    hifp = np.where(v.covid, pct_of(v.total, COVID_INSURANCE_PCT), hifp)

    # 2. critical illness
    ci_scope = inpatient & (v.insutype == "390")
    ci_base = np.where(ci_scope, inscp - hifp, 0)
    ci_poor = v.held["extremely_poor"] | v.held["minimum_living_allowance"] | v.held[
        "registered_poor"]
    income = np.array([INCOME_YUAN.get((h[:2], v.year - 1), 0) for h in v.home], dtype=np.int64)
    c = CRITICAL_ILLNESS
    deductible = np.where(ci_poor, income * c["income_pct"] * (100 - c["poor_cut_pct"]) // 100,
                          income * c["income_pct"])
    # the year's base before this settlement: earlier months, and this month's earlier stays
    before = state.ci_base[v.uid] + earlier_in_month(v.uid, v.settled, ci_base)
    eligible = np.maximum(0, before + ci_base - deductible) - np.maximum(0, before - deductible)
    eligible = np.where(ci_scope, eligible, 0)
    ratio = np.where(ci_poor, c["ratio_pct"] + c["poor_raise_pct"], c["ratio_pct"])
    hifmi = pct_of(eligible, ratio)
    under = free & ci_scope & (hifmi >= 2) & ~v.covid & ~v.newborn_gap
    under = pick(under, FAULTS["critical_illness_underpaid"][0], rng)
    fault[under] = "critical_illness_underpaid"
    hifmi = np.where(under, hifmi // 2, hifmi)
    over = (fault == None) & ci_scope & (eligible == 0) & (ci_base >= 200) & ~v.covid  # noqa: E711
    over = pick(over & ~v.newborn_gap, FAULTS["critical_illness_overpaid"][0], rng)
    fault[over] = "critical_illness_overpaid"
    hifmi = np.where(over, pct_of(ci_base, c["ratio_pct"]), hifmi)

    # 3. medical assistance
    base = inscp - hifp - hifmi
    ma_region = _prefixed(v.home, ASSISTANCE_PCT)
    share = np.zeros(k, dtype=np.int64)
    for name, value in ASSISTANCE_PCT["3303"].items():
        if name == "rare_disease":
            share = np.where(ma_region & v.rare, np.maximum(share, value), share)
        elif name in v.held:
            share = np.where(ma_region & inpatient & v.held[name], np.maximum(share, value), share)
    cap = np.array([ASSISTANCE_CAP_YUAN.get(h[:4], 0) * 100 for h in v.home], dtype=np.int64)
    uncapped = pct_of(base, share)
    room = np.maximum(0, cap - state.assistance[v.uid])
    maf = np.where(share > 0, np.minimum(uncapped, room), 0)
    over_cap = fault == "medical_assistance_over_cap"
    fault[over_cap & (uncapped <= room)] = None  # the cost was not catastrophic enough
    maf = np.where(fault == "medical_assistance_over_cap", uncapped, maf)
    elsewhere = ~ma_region & v.poor & inpatient
    maf = np.where(elsewhere, base * 50 // 100, maf)
    rare_only = (share > 0) & v.rare & ~inpatient
    under_ma = (fault == None) & (share > 0) & (maf >= 2) & ~v.newborn_gap  # noqa: E711
    rare_fault = pick(under_ma & rare_only, FAULTS["rare_disease_assistance_underpaid"][0], rng)
    fault[rare_fault] = "rare_disease_assistance_underpaid"
    maf = np.where(rare_fault, 0, maf)
    ma_fault = pick(under_ma & ~rare_only, FAULTS["medical_assistance_underpaid"][0], rng)
    fault[ma_fault] = "medical_assistance_underpaid"
    maf = np.where(ma_fault, maf // 2, maf)

    # 4.-5. the hospital's part, then the safety net
    hosp = v.hosp
    fund = hifp + hifmi + maf
    part = v.total - fund - hosp
    pairs = zip(v.home, v.med_type, strict=True)
    cap_pct = np.array([SELF_PAY_CAP_PCT.get(h[:2], {}).get(t, 0) for h, t in pairs] or [0])[:k]
    capped = (cap_pct > 0) & v.support & v.in_county
    limit = pct_of(v.total, cap_pct)
    oth = np.where(capped, np.maximum(0, part - limit), 0)
    topped = (fault == None) & (oth > 0)  # noqa: E711
    skip = pick(topped & inpatient, FAULTS["inpatient_self_pay_over_cap"][0], rng)
    skip |= pick(topped & ~inpatient, FAULTS["chronic_self_pay_over_cap"][0], rng)
    fault[skip & inpatient] = "inpatient_self_pay_over_cap"
    fault[skip & ~inpatient] = "chronic_self_pay_over_cap"
    oth = np.where(skip, 0, oth)
    covid_rest = np.where(v.covid, np.maximum(0, part - oth), 0)
    charged = (fault == None) & v.covid & (covid_rest > 0)  # noqa: E711
    charged = pick(charged, FAULTS["covid_patient_charged"][0], rng, spare_one=True)
    fault[charged] = "covid_patient_charged"
    oth = oth + np.where(charged, 0, covid_rest)

    # newborns refused before enrolment
    # (only where no other rule would then apply, so the refusal is the one finding)
    alone = ~capped & (share == 0) & (~ci_scope | (before + inscp <= deductible))
    refused = (fault == None) & v.newborn_gap & alone  # noqa: E711
    refused = pick(refused, FAULTS["newborn_not_covered"][0], rng)
    fault[refused] = "newborn_not_covered"
    for arr in (hifp, hifmi, maf, oth):
        arr[refused] = 0
    ci_base = np.where(refused & ci_scope, inscp, ci_base)

    fund = hifp + hifmi + maf + oth
    np.add.at(state.ci_base, v.uid, ci_base)
    np.add.at(state.assistance, v.uid, maf)
    return {
        "inscp": inscp,
        "hifp": hifp,
        "hifmi": hifmi,
        "maf": maf,
        "oth": oth,
        "hosp": hosp,
        "fund": fund,
        "psn_part": v.total - fund - hosp,
        "ci_base": ci_base,
        "eligible": eligible,
        "fault": np.where(fault == PROTECTED, None, fault),
    }


def pick(mask: np.ndarray, rate: float, rng: np.random.Generator,
         spare_one: bool = False) -> np.ndarray:
    """A share `rate` of the candidates in `mask`, at least one when there is any, so that
    every kind shows up in every city and month that has a candidate. `spare_one` leaves the
    first candidate alone, so that a rare case also shows up compliant."""
    candidates = np.flatnonzero(mask)
    if spare_one:
        candidates = candidates[1:]
    k = min(len(candidates), max(1, int(round(rate * len(candidates))))) if len(candidates) else 0
    out = np.zeros(len(mask), dtype=bool)
    out[rng.choice(candidates, size=k, replace=False)] = True
    return out


def _starts(codes: np.ndarray, prefix: str) -> np.ndarray:
    return np.char.startswith(codes.astype(str), prefix) if len(codes) else np.zeros(0, bool)


def _prefixed(codes: np.ndarray, by_region: dict) -> np.ndarray:
    out = np.zeros(len(codes), dtype=bool)
    for prefix in by_region:
        out |= _starts(codes, prefix)
    return out
