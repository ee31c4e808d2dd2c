"""Healthcare activity: designated institutions, chronic-disease certifications, settlements.

Settlements are drawn per month from the insured, with amounts in integer fen so that the
contract's identities hold exactly: medfee_sumamt = fund_pay_sumamt + psn_part_amt + hosp_part_amt,
fund_pay_sumamt = the sum of the seven funds, psn_part_amt = acct_pay + psn_cash_pay.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import benefits, chronic, fraud, monitoring, risk_truth
from .world import World

# (dise_codg, dise_name) by med_type
DIAGNOSES = {
    "11": [
        ("J06.9", "急性上呼吸道感染"),
        ("K29.7", "胃炎"),
        ("M54.5", "腰痛"),
        ("J20.9", "急性支气管炎"),
        ("I10", "原发性高血压"),
        ("E11.9", "2型糖尿病"),
    ],
    "14": [
        ("I10", "原发性高血压"),
        ("E11.9", "2型糖尿病"),
        ("J44.9", "慢性阻塞性肺疾病"),
        ("N18.9", "慢性肾脏病"),
        ("I25.1", "冠状动脉粥样硬化性心脏病"),
    ],
    "21": [
        ("J18.9", "肺炎"),
        ("I63.9", "脑梗死"),
        ("K80.2", "胆囊结石"),
        ("S72.0", "股骨颈骨折"),
        ("C34.9", "肺恶性肿瘤"),
        ("I50.9", "心力衰竭"),
        ("K35.9", "急性阑尾炎"),
    ],
    "52": [("O80.0", "单胎顺产"), ("O82.0", "剖宫产")],
}
MED_TYPE_P = {"11": 0.70, "14": 0.15, "21": 0.14, "52": 0.01}
COST_MEDIAN_YUAN = {"11": 120.0, "14": 380.0, "21": 7200.0, "52": 4800.0}
BASIC_RATIO = {"11": 0.5, "14": 0.6, "21": 0.7, "52": 0.75}
# outside the generated counties: a capital-city hospital per province and one in Beijing
CAPITAL_DISTRICT = {"34": "340102", "33": "330102", "45": "450102", "53": "530102"}
OUT_OF_PROVINCE = "110108"


def _institution_table(rows: list[tuple[str, str, str, str, str]]) -> pa.Table:
    code, name, kind, level, admdvs = (list(c) for c in zip(*rows, strict=True))
    n = len(code)
    return pa.table(
        {
            "fixmedins_code": pa.array(code),
            "fixmedins_name": pa.array(name),
            "fixmedins_type": pa.array(kind),
            "hosp_lv": pa.array(level),
            "admdvs": pa.array(admdvs),
            "agreement_begndate": pa.array(np.full(n, np.datetime64("2016-01-01"))),
            "agreement_enddate": pa.array(np.full(n, np.datetime64("2022-12-31"))),
        }
    )


def county_institutions(world: World) -> pa.Table:
    """Per county a people's hospital and a TCM hospital (二级), a township health centre per
    township (一级) and two clinics (未定级)."""
    regions = world.pop.regions
    rows = []
    for ci, county in enumerate(regions.counties):
        names = [
            (f"{county.name}人民医院", "综合医院", "二级"),
            (f"{county.name}中医医院", "中医医院", "二级"),
            *((f"{county.abbreviation}{t}卫生院", "乡镇卫生院", "一级")
              for t in regions.township_name[regions.township_county == ci]),
            *((f"{county.abbreviation}第{j + 1}诊所", "诊所", "未定级") for j in range(2)),
        ]
        rows += [(f"H{county.code}{i + 1:05d}", nm, kd, lv, county.code)
                 for i, (nm, kd, lv) in enumerate(names)]
    return _institution_table(rows)


def shared_institutions() -> pa.Table:
    """A provincial 三级 hospital in each capital, and one out-of-province hospital."""
    rows = [(f"H{district}90001", f"省立第一人民医院（{prov}）", "综合医院", "三级", district)
            for prov, district in sorted(CAPITAL_DISTRICT.items())]
    rows.append((f"H{OUT_OF_PROVINCE}90001", "北京协和医院", "综合医院", "三级", OUT_OF_PROVINCE))
    return _institution_table(rows)


def institutions(world: World) -> pa.Table:
    """Every institution the people of this world can visit."""
    return pa.concat_tables([county_institutions(world), shared_institutions()])


def _fen_to_decimal(fen: np.ndarray) -> pa.Array:
    """Integer fen → decimal(16, 2) yuan, exactly (through text, so nothing is rounded)."""
    fen = np.asarray(fen, dtype=np.int64)
    sign = np.where(fen < 0, "-", "")
    whole = pc.cast(pa.array(np.abs(fen) // 100), pa.string())
    cents = pc.utf8_lpad(pc.cast(pa.array(np.abs(fen) % 100), pa.string()), 2, "0")
    text = pc.binary_join_element_wise(pa.array(sign), whole, ".", cents, "")
    return pc.cast(text, pa.decimal128(16, 2))


def settlements(
    world: World,
    m: int,
    insured: pa.Table,
    inst: pa.Table,
    previous: pa.Table | None,
    first_seq: int = 1,
    held: dict[str, np.ndarray] | None = None,
    deceased: pa.Table | None = None,
) -> pa.Table:
    """One month's settlements, plus reversals of some of last month's.

    `insured` is `delivered.insured_people`: everyone insured (status 1) this month, with what
    the benefit rules need. Besides the person's id columns, the table carries hidden columns
    the generator keeps for itself: benefit_fault (the injected violation, if any), fault_column,
    ci_base and maf_fen (the year's running totals, so a reversal can take them back) and
    ci_eligible (the cost above the critical-illness deductible, for the pools' ratios) and
    fraud_label (fraud.py). `held` is the month's `chronic.holdings`, computed here when not
    given; `deceased` the people stopped for death, for the fraud cases (none when not given).
    """
    rng = np.random.default_rng([world.seed, 500, m])
    month = world.months[m]
    month_start = np.datetime64(month + "-01")
    state = _year_state(world)
    if previous is not None and previous.num_rows:
        reversals = _reversals(previous, rng, month)
        state.start(int(month[:4]))
        state.reverse(
            reversals["person_uid"].to_numpy() - world.uid_offset,
            np.array([int(str(t)[:4]) for t in previous_years(reversals)], dtype=np.int64),
            reversals["ci_base"].to_numpy(), reversals["maf_fen"].to_numpy(),
        )
    else:
        reversals = None

    n = insured.num_rows
    pick = np.flatnonzero(rng.random(n) < 0.06)
    mt = rng.choice(np.array(list(MED_TYPE_P)), size=len(pick), p=list(MED_TYPE_P.values()))
    swing = monitoring.swing(world.seed, [c.code for c in world.pop.regions.counties], m)
    if swing and swing[0] == "inpatient_surge":  # (SURGE_FACTOR - 1) times more stays
        home_all = insured["insuplc_admdvs"].to_numpy(zero_copy_only=False).astype(str)
        rate = 0.06 * MED_TYPE_P["21"] * (monitoring.SURGE_FACTOR - 1)
        surge = np.random.default_rng([world.seed, 701, m]).random(n) < rate
        extra = np.setdiff1d(np.flatnonzero((home_all == swing[1]) & surge), pick)
        pick = np.concatenate([pick, extra])
        mt = np.concatenate([mt, np.full(len(extra), "21")])
    # chronic-outpatient visits are for card holders (门诊慢特病), for their card's disease
    held = held if held is not None else chronic.holdings(world, insured, m)
    active_holder = held["holds"] & ~held["dormant"]
    mt = np.where((mt == "14") & ~active_holder[pick], "11", mt)
    c_rows, c_fault, c_factor = chronic.chronic_visits(held, pick, rng)
    chronic_fault = np.concatenate([np.full(len(pick), None, dtype=object), c_fault])
    cost_factor = np.concatenate([np.ones(len(pick), dtype=np.int64), c_factor])
    pick = np.concatenate([pick, c_rows])
    mt = np.concatenate([mt, np.full(len(c_rows), "14")])
    male = insured["male"].to_numpy(zero_copy_only=False)[pick]
    age = insured["age"].to_numpy(zero_copy_only=False)[pick]
    mt = np.where((mt == "52") & (male | (age < 18) | (age > 45)), "21", mt)
    # ordinary care never looks like a fraud case: no stay right after last month's (分解住院),
    # and one person's visits of a month start on different days (同日异地)
    uid_pick = insured["person_uid"].to_numpy()[pick]
    mt = np.where(np.isin(mt, benefits.INPATIENT) & np.isin(uid_pick, _inpatients(previous)),
                  "11", mt)
    begin = month_start + _distinct_days(uid_pick, rng.integers(0, 28, len(pick)))

    newborn, nb_begin = _newborn_gap(insured, pick, month_start, rng)
    rows = np.concatenate([pick, newborn])
    mt = np.concatenate([mt, np.full(len(newborn), "21")])
    begin = np.concatenate([begin, nb_begin])
    gap = np.concatenate([np.zeros(len(pick), bool), np.ones(len(newborn), bool)])
    chronic_fault = np.concatenate([chronic_fault, np.full(len(newborn), None, dtype=object)])
    cost_factor = np.concatenate([cost_factor, np.ones(len(newborn), dtype=np.int64)])
    extra = fraud.plan(
        insured, deceased if deceased is not None else insured.slice(0, 0), inst, month, rows,
        previous, set() if reversals is None else set(reversals["setl_id"].to_pylist()),
        _boost_county(world, m, swing), np.random.default_rng([world.seed, 702, m]))
    natural = len(rows)
    x = np.arange(natural, natural + len(extra))
    people = pa.concat_tables([insured.take(pa.array(rows)), extra.people])
    k = people.num_rows
    mt = np.concatenate([mt, extra.med_type])
    begin = np.concatenate([begin, extra.begin])
    gap = np.concatenate([gap, np.zeros(len(x), bool)])
    chronic_fault = np.concatenate([chronic_fault, np.full(len(x), None, dtype=object)])
    cost_factor = np.concatenate([cost_factor, np.ones(len(x), dtype=np.int64)])
    fraud_label = np.concatenate([np.full(natural, None, dtype=object), extra.label])

    home = people["insuplc_admdvs"].to_numpy(zero_copy_only=False).astype(str)
    chosen = _institutions(home, mt, inst, rng)
    chosen[x] = extra.institution
    inst_admdvs = inst["admdvs"].to_numpy(zero_copy_only=False)
    inst_code = inst["fixmedins_code"].to_numpy(zero_copy_only=False)
    inpatient = np.isin(mt, benefits.INPATIENT)
    stay = np.where(inpatient, rng.integers(2, 15, k), 0).astype("timedelta64[D]")
    end = np.minimum(begin + stay, month_start + np.timedelta64(27, "D"))
    end = np.where(gap, begin + rng.integers(2, 6, k).astype("timedelta64[D]"), end)
    end[x] = extra.end
    settled_day = np.where(gap, np.minimum(np.maximum(end, month_start), month_start + 27), end)
    setl_time = settled_day.astype("datetime64[s]") + rng.integers(8 * 3600, 18 * 3600, k).astype(
        "timedelta64[s]"
    )

    # cost in fen and its split
    median = np.array([COST_MEDIAN_YUAN[t] for t in mt]) if k else np.zeros(0)
    total = np.round(median * rng.lognormal(0, 0.6, k) * 100).astype(np.int64)
    # an injected costly purchase: the usual cost times the factor, whatever the draw
    total = np.where(cost_factor > 1, np.round(median * 100).astype(np.int64) * cost_factor, total)
    total[x] = np.where(extra.total_fen > 0, extra.total_fen, total[x])
    risk_fault = _catastrophic_stay(people, mt, gap, chronic_fault, cost_factor,
                                    fraud_label != None, rng)  # noqa: E711
    catastrophic = round(COST_MEDIAN_YUAN["21"] * 100) * risk_truth.CATASTROPHIC_FACTOR
    total = np.where(risk_fault != None, catastrophic, total)  # noqa: E711
    visits = benefits.Visits(
        uid=people["person_uid"].to_numpy() - world.uid_offset,
        insutype=people["insutype"].to_numpy(zero_copy_only=False).astype(str),
        home=home,
        in_county=inst_admdvs[chosen].astype(str) == home,
        med_type=mt,
        year=int(month[:4]),
        held=_held(people, settled_day),
        support=_continued_support(people, int(month[:4]), home),
        poor=people["poor"].to_numpy(zero_copy_only=False).astype(bool),
        covid=np.zeros(k, bool),
        rare=np.zeros(k, bool),
        newborn_gap=gap,
        protected=(chronic_fault != None) | (risk_fault != None) | (fraud_label != None),  # noqa: E711
        total=total,
        fulamt=total * rng.integers(0, 8, k) // 100,
        overlmt=total * rng.integers(0, 3, k) // 100,
        preself=total * rng.integers(2, 10, k) // 100,
        hosp=np.where(inpatient & (rng.random(k) < 0.05), total // 100, 0),
        settled=setl_time,
    )
    diag_code, diag_name = _diagnoses(visits, rng)
    visits.covid[x] = False
    visits.rare[x] = False
    diag_code[x], diag_name[x] = extra.diag_code, extra.diag_name
    # a holder's chronic visit names the card's disease (a listed rare disease aside, but never
    # on an injected purchase, which must stay out of the assistance rules)
    visits.rare &= chronic_fault == None  # noqa: E711
    card_code, card_name = chronic.visit_diagnosis(held, rows)
    card = (mt[:natural] == "14") & held["holds"][rows] & ~visits.rare[:natural]
    diag_code[:natural][card], diag_name[:natural][card] = card_code[card], card_name[card]
    planned = benefits.prepare_costs(visits, rng)
    paid = benefits.split_funds(visits, state, rng, planned)

    ym = month.replace("-", "")
    seq = np.arange(first_seq, first_seq + k)
    setl_id = np.char.add(f"S{ym}", np.char.zfill(seq.astype(str), 9))
    mdtrt_id = np.char.add(f"M{ym}", np.char.zfill(seq.astype(str), 9))
    zero = np.zeros(k, dtype=np.int64)
    money = {
        "medfee_sumamt": visits.total,
        "fulamt_ownpay_amt": visits.fulamt,
        "overlmt_selfpay": visits.overlmt,
        "preselfpay_amt": visits.preself,
        "inscp_scp_amt": paid["inscp"],
        "hifp_pay": paid["hifp"],
        "cvlserv_pay": zero,
        "hifes_pay": zero,
        "hifmi_pay": paid["hifmi"],
        "hifob_pay": zero,
        "maf_pay": paid["maf"],
        "oth_pay": paid["oth"],
        "fund_pay_sumamt": paid["fund"],
        "psn_part_amt": paid["psn_part"],
        "acct_pay": zero,
        "psn_cash_pay": paid["psn_part"],
        "hosp_part_amt": paid["hosp"],
    }
    fault = paid["fault"]
    table = pa.table(
        {
            "person_uid": people["person_uid"],
            "setl_id": pa.array(setl_id),
            "mdtrt_id": pa.array(mdtrt_id),
            "psn_no": people["psn_no"],
            "certno": people["certno"],
            "psn_name": people["psn_name"],
            "insutype": people["insutype"],
            "fixmedins_code": pa.array(inst_code[chosen]),
            "med_type": pa.array(mt),
            "begndate": pa.array(begin),
            "enddate": pa.array(end),
            "setl_time": pa.array(setl_time),
            "dise_codg": pa.array(diag_code, pa.string()),
            "dise_name": pa.array(diag_name, pa.string()),
            "mdtrtarea_admvs": pa.array(inst_admdvs[chosen]),
            **{k_: _fen_to_decimal(v) for k_, v in money.items()},
            "onestop_flag": pa.array(np.where(rng.random(k) < _one_stop_rate(home, swing), "1",
                                              "0")),
            "refd_setl_flag": pa.array(np.full(k, "0")),
            "benefit_fault": pa.array(fault, pa.string()),
            "fault_column": pa.array(
                [benefits.FAULTS[f][1] if f else None for f in fault], pa.string()),
            "ci_base": pa.array(paid["ci_base"]),
            "maf_fen": pa.array(paid["maf"]),
            "ci_eligible": pa.array(paid["eligible"]),
            "chronic_fault": pa.array(chronic_fault, pa.string()),
            "risk_fault": pa.array(risk_fault, pa.string()),
            "fraud_label": pa.array(fraud_label, pa.string()),
        }
    )
    if reversals is not None:
        table = pa.concat_tables([table, reversals])
    return table


def _catastrophic_stay(people: pa.Table, mt: np.ndarray, gap: np.ndarray,
                       chronic_fault: np.ndarray, cost_factor: np.ndarray, taken: np.ndarray,
                       rng: np.random.Generator) -> np.ndarray:
    """One inpatient stay a month of someone on no roster, at CATASTROPHIC_FACTOR times the
    usual cost: the case the return-to-poverty warning must raise (S9.3)."""
    poor = _flag(people, "poor")
    candidates = np.flatnonzero((mt == "21") & ~poor & ~gap & (chronic_fault == None)  # noqa: E711
                                & (cost_factor == 1) & ~taken)
    fault = np.full(len(mt), None, dtype=object)
    if len(candidates):
        fault[rng.choice(candidates)] = "poverty_risk"
    return fault


def _inpatients(previous: pa.Table | None) -> np.ndarray:
    """The persons with an inpatient stay among last month's settlements."""
    if previous is None or not previous.num_rows:
        return np.array([], dtype=np.int64)
    stays = previous.filter(pc.is_in(previous["med_type"], pa.array(list(benefits.INPATIENT))))
    return np.unique(stays["person_uid"].to_numpy())


def _distinct_days(uid: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day offsets in the month (0–27), moved a day on until no person has two equal."""
    day = day.copy()
    for _ in range(28):
        _, first = np.unique(uid * 32 + day, return_index=True)
        repeated = np.ones(len(day), bool)
        repeated[first] = False
        if not repeated.any():
            break
        day[repeated] = (day[repeated] + 1) % 28
    return day.astype("timedelta64[D]")


def _boost_county(world: World, m: int, swing: tuple[str, str] | None) -> str | None:
    """In the chunk of a city of fraud.BOOST_CITIES, the county whose hospital's poor
    admissions are boosted this month (住院率畸高): any of its counties but one with an
    inpatient surge."""
    counties = [c.code for c in world.pop.regions.counties]
    if world.pop.regions.counties[0].city_code not in fraud.BOOST_CITIES:
        return None
    if swing and swing[0] == "inpatient_surge":
        counties = [c for c in counties if c != swing[1]] or counties
    return counties[int(np.random.default_rng([world.seed, 703, m]).integers(0, len(counties)))]


def _one_stop_rate(home: np.ndarray, swing: tuple[str, str] | None) -> np.ndarray:
    """92% of settlements are settled one-stop, except in a county with an outage."""
    rate = np.full(len(home), 0.92)
    if swing and swing[0] == "one_stop_outage":
        rate[home == swing[1]] = monitoring.OUTAGE_ONE_STOP_RATE
    return rate


def previous_years(reversals: pa.Table) -> list[str]:
    """The year of each reversed settlement (its setl_id carries the month: S<YYYYMM>...)."""
    return [s[1:5] for s in reversals["setl_id"].to_pylist()]


def _year_state(world: World) -> benefits.YearState:
    if not hasattr(world, "benefit_state"):
        world.benefit_state = benefits.YearState(world.pop.n)  # type: ignore[attr-defined]
    return world.benefit_state  # type: ignore[attr-defined]


def _newborn_gap(
    insured: pa.Table, pick: np.ndarray, month_start: np.datetime64, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Newborns enrolled this month after their birth: about 30% had an inpatient stay between
    birth and enrolment, settled now (covered from birth, A1.2). Not those already picked."""
    birth = insured["birth"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    since = insured["insu_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    candidates = (since.astype("datetime64[M]") == month_start.astype("datetime64[M]"))
    candidates &= since > birth + np.timedelta64(1, "D")
    candidates &= birth >= np.datetime64("2000-01-01")
    candidates[pick] = False
    chosen = np.flatnonzero(candidates & (rng.random(len(birth)) < 0.3))
    days = (since[chosen] - birth[chosen]).astype(np.int64)
    begin = birth[chosen] + (rng.integers(0, 1 << 30, len(chosen)) % np.maximum(days, 1)).astype(
        "timedelta64[D]")
    return chosen, begin


def _institutions(home: np.ndarray, mt: np.ndarray, inst: pa.Table, rng) -> np.ndarray:
    """Where care happens: own county mostly, then the capital, then out of province; inpatient
    care at a level-2+ hospital (the county hospital is the first of each county)."""
    k = len(home)
    inst_admdvs = inst["admdvs"].to_numpy(zero_copy_only=False).astype(str)
    inst_level = inst["hosp_lv"].to_numpy(zero_copy_only=False)
    order = np.argsort(inst_admdvs, kind="stable")
    sorted_admdvs = inst_admdvs[order]
    lo = np.searchsorted(sorted_admdvs, home, "left")
    hi = np.searchsorted(sorted_admdvs, home, "right")
    where = rng.random(k)
    span = np.maximum(hi - lo, 1)
    local = order[np.minimum(lo + (rng.integers(0, 1 << 30, k) % span), len(order) - 1)]
    cap_idx = {a: i for i, a in enumerate(inst_admdvs) if inst_level[i] == "三级"}
    provinces, inverse = np.unique(home.astype("U2"), return_inverse=True)
    cap_of_province = np.array(
        [cap_idx.get(CAPITAL_DISTRICT.get(p, ""), cap_idx[OUT_OF_PROVINCE]) for p in provinces],
        dtype=np.int64,
    )
    cap_of_home = cap_of_province[inverse] if k else np.array([], dtype=np.int64)
    out_idx = cap_idx[OUT_OF_PROVINCE]
    chosen = np.where(where < 0.9, local, np.where(where < 0.985, cap_of_home, out_idx))
    chosen = np.where(hi > lo, chosen, cap_of_home)
    inpatient = np.isin(mt, benefits.INPATIENT)
    county_hospital = order[np.minimum(lo, len(order) - 1)]
    chosen = np.where(inpatient & (inst_level[chosen] == "一级"), county_hospital, chosen)
    return np.where(inpatient & (inst_level[chosen] == "未定级"), county_hospital, chosen)


def _flag(table: pa.Table, name: str) -> np.ndarray:
    """A boolean column as a numpy array, null read as false."""
    return pc.fill_null(table[name], False).to_numpy(zero_copy_only=False)


def _held(people: pa.Table, day: np.ndarray) -> dict[str, np.ndarray]:
    """The categories held on the settlement date: assistance 在保 since a date on or before it,
    and the poverty roster of the month."""
    held = {"registered_poor": _flag(people, "registered_poor")}
    for name in ("extremely_poor", "minimum_living_allowance", "low_income_marginal",
                 "poverty_due_to_illness"):
        since = people[f"{name}_from"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
        held[name] = ~np.isnat(since) & (since <= day)
    return held


def _continued_support(people: pa.Table, year: int, home: np.ndarray) -> np.ndarray:
    """Registered poor 未脱贫, or exited within the continued-support years (G6)."""
    poor = _flag(people, "registered_poor")
    exited = _flag(people, "exited")
    exit_year = np.nan_to_num(
        people["exit_year"].to_numpy(zero_copy_only=False).astype(float), nan=0).astype(int)
    years = np.array([benefits.CONTINUED_SUPPORT_YEARS.get(h[:2], 0) for h in home], dtype=int)
    return poor & (~exited | (exit_year + years >= year))


def _diagnoses(v: benefits.Visits, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A diagnosis per visit type; some registered poor inpatients of 2020 have COVID-19 (S6.3)
    and some Wenzhou chronic-outpatient visits a listed rare disease (W); newborns a neonatal one.
    Sets v.covid and v.rare."""
    k = len(v.uid)
    code = np.empty(k, dtype=object)
    name = np.empty(k, dtype=object)
    for t, options in DIAGNOSES.items():
        idx = np.flatnonzero(v.med_type == t)
        pick = rng.integers(0, len(options), len(idx))
        code[idx] = np.array([o[0] for o in options], dtype=object)[pick]
        name[idx] = np.array([o[1] for o in options], dtype=object)[pick]
    roll = rng.random(k)
    v.covid[:] = (v.year >= benefits.COVID_FROM_YEAR) & (v.med_type == "21")
    v.covid &= v.held["registered_poor"] & ~v.newborn_gap & (roll < 0.05)
    code[v.covid], name[v.covid] = benefits.COVID[0]
    for region, diseases in benefits.RARE_DISEASES.items():
        rare = np.char.startswith(v.home, region) & (v.med_type == "14") & (roll < 0.05)
        which = rng.integers(0, len(diseases), k)
        for i, (c, nm) in enumerate(diseases):
            code[rare & (which == i)] = c
            name[rare & (which == i)] = nm
        v.rare |= rare
    which = rng.integers(0, len(benefits.NEWBORN), k)
    for i, (c, nm) in enumerate(benefits.NEWBORN):
        code[v.newborn_gap & (which == i)] = c
        name[v.newborn_gap & (which == i)] = nm
    return code, name


def _reversals(previous: pa.Table, rng: np.random.Generator, month: str) -> pa.Table:
    """About 0.5% of last month's settlements are reversed: same setl_id, negative amounts."""
    originals = previous.filter(pc.equal(previous["refd_setl_flag"], "0"))
    # a settlement carrying an injected violation stays standing, so its finding stays true
    originals = originals.filter(pc.is_null(originals["benefit_fault"]))
    originals = originals.filter(pc.is_null(originals["chronic_fault"]))
    originals = originals.filter(pc.is_null(originals["risk_fault"]))
    originals = originals.filter(pc.is_null(originals["fraud_label"]))
    pick = np.flatnonzero(rng.random(originals.num_rows) < 0.005)
    rev = originals.take(pa.array(pick))
    k = rev.num_rows
    when = np.datetime64(month + "-01").astype("datetime64[s]") + rng.integers(
        86400, 27 * 86400, k
    ).astype("timedelta64[s]")
    columns = {}
    for name in rev.column_names:
        col = rev[name]
        if pa.types.is_decimal(col.type):
            col = pc.negate(col)
        columns[name] = col
    columns["setl_time"] = pa.array(when)
    columns["refd_setl_flag"] = pa.array(np.full(k, "1"))
    columns["fault_column"] = pa.nulls(k, pa.string())
    columns["chronic_fault"] = pa.nulls(k, pa.string())
    columns["risk_fault"] = pa.nulls(k, pa.string())
    columns["fraud_label"] = pa.nulls(k, pa.string())
    return pa.table(columns)
