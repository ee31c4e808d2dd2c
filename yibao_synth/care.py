"""Healthcare activity: designated institutions, chronic-disease certifications, settlements.

Settlements are drawn per month from the insured, with amounts in integer fen so that the
contract's identities hold exactly: medfee_sumamt = fund_pay_sumamt + psn_part_amt + hosp_part_amt,
fund_pay_sumamt = the sum of the seven funds, psn_part_amt = acct_pay + psn_cash_pay.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
CHRONIC = [
    ("M03900", "高血压"),
    ("M01600", "糖尿病"),
    ("M07800", "慢性阻塞性肺疾病"),
    ("M05300", "冠心病"),
    ("M07101", "慢性肾衰竭"),
]
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
) -> pa.Table:
    """One month's settlements, plus reversals of some of last month's.

    `insured` has person_uid, psn_no, insutype, insuplc_admdvs, certno, psn_name, male, age and
    poor (bool) for everyone insured (status 1) this month.
    """
    rng = np.random.default_rng([world.seed, 500, m])
    n = insured.num_rows
    month = world.months[m]
    rate = 0.06
    pick = np.flatnonzero(rng.random(n) < rate)
    k = len(pick)
    people = insured.take(pa.array(pick))
    med_types = np.array(list(MED_TYPE_P))
    mt = rng.choice(med_types, size=k, p=list(MED_TYPE_P.values()))
    male = people["male"].to_numpy(zero_copy_only=False)
    age = people["age"].to_numpy(zero_copy_only=False)
    mt = np.where((mt == "52") & (male | (age < 18) | (age > 45)), "21", mt)

    # where care happens: own county mostly, then the capital, then out of province
    home = people["insuplc_admdvs"].to_numpy(zero_copy_only=False)
    inst_admdvs = inst["admdvs"].to_numpy(zero_copy_only=False)
    inst_level = inst["hosp_lv"].to_numpy(zero_copy_only=False)
    inst_code = inst["fixmedins_code"].to_numpy(zero_copy_only=False)
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
    # inpatient care goes to level-2+ hospitals: the county hospital is the first of each county
    inpatient = (mt == "21") | (mt == "52")
    county_hospital = order[np.minimum(lo, len(order) - 1)]
    chosen = np.where(inpatient & (inst_level[chosen] == "一级"), county_hospital, chosen)
    chosen = np.where(inpatient & (inst_level[chosen] == "未定级"), county_hospital, chosen)

    # cost in fen and its split
    median = np.array([COST_MEDIAN_YUAN[t] for t in med_types])[np.searchsorted(med_types, mt)]
    total = np.round(median * rng.lognormal(0, 0.6, k) * 100).astype(np.int64)
    fulamt = total * rng.integers(0, 8, k) // 100
    overlmt = total * rng.integers(0, 3, k) // 100
    preself = total * rng.integers(2, 10, k) // 100
    inscp = total - fulamt - overlmt - preself
    ratio = np.array([BASIC_RATIO[t] for t in med_types])[np.searchsorted(med_types, mt)]
    hifp = np.round(inscp * ratio).astype(np.int64)
    remaining = inscp - hifp
    big = inpatient & (remaining > 800_000)
    hifmi = np.where(big, (remaining - 800_000) * 60 // 100, 0)
    poor = people["poor"].to_numpy(zero_copy_only=False)
    maf = np.where(poor & inpatient, (remaining - hifmi) * 50 // 100, 0)
    zero = np.zeros(k, dtype=np.int64)
    fund = hifp + hifmi + maf
    hosp = np.where(inpatient & (rng.random(k) < 0.05), total // 100, 0)
    psn_part = total - fund - hosp

    begin = np.datetime64(month + "-01") + rng.integers(0, 28, k).astype("timedelta64[D]")
    stay = np.where(inpatient, rng.integers(2, 15, k), 0).astype("timedelta64[D]")
    end = begin + stay
    end = np.minimum(end, np.datetime64(month + "-01") + np.timedelta64(27, "D"))
    setl_time = end.astype("datetime64[s]") + rng.integers(8 * 3600, 18 * 3600, k).astype(
        "timedelta64[s]"
    )
    ym = month.replace("-", "")
    seq = np.arange(first_seq, first_seq + k)
    setl_id = np.char.add(f"S{ym}", np.char.zfill(seq.astype(str), 9))
    mdtrt_id = np.char.add(f"M{ym}", np.char.zfill(seq.astype(str), 9))
    diag_code = np.empty(k, dtype=object)
    diag_name = np.empty(k, dtype=object)
    for t, options in DIAGNOSES.items():
        idx = np.flatnonzero(mt == t)
        pick_d = rng.integers(0, len(options), len(idx))
        diag_code[idx] = np.array([o[0] for o in options], dtype=object)[pick_d]
        diag_name[idx] = np.array([o[1] for o in options], dtype=object)[pick_d]
    money = {
        "medfee_sumamt": total,
        "fulamt_ownpay_amt": fulamt,
        "overlmt_selfpay": overlmt,
        "preselfpay_amt": preself,
        "inscp_scp_amt": inscp,
        "hifp_pay": hifp,
        "cvlserv_pay": zero,
        "hifes_pay": zero,
        "hifmi_pay": hifmi,
        "hifob_pay": zero,
        "maf_pay": maf,
        "oth_pay": zero,
        "fund_pay_sumamt": fund,
        "psn_part_amt": psn_part,
        "acct_pay": zero,
        "psn_cash_pay": psn_part,
        "hosp_part_amt": hosp,
    }
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
            "onestop_flag": pa.array(np.where(rng.random(k) < 0.92, "1", "0")),
            "refd_setl_flag": pa.array(np.full(k, "0")),
        }
    )
    if previous is not None and previous.num_rows:
        table = pa.concat_tables([table, _reversals(previous, rng, month)])
    return table


def _reversals(previous: pa.Table, rng: np.random.Generator, month: str) -> pa.Table:
    """About 0.5% of last month's settlements are reversed: same setl_id, negative amounts."""
    originals = previous.filter(pc.equal(previous["refd_setl_flag"], "0"))
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
    return pa.table(columns)


def chronic_certifications(world: World, m: int, insured: pa.Table, inst: pa.Table) -> pa.Table:
    """About 4% of insured people over 40 hold a certification, certified at a level-2 hospital
    of their insuring county by two doctors; certifications accumulate month by month."""
    uid = insured["person_uid"].to_numpy()
    age = insured["age"].to_numpy(zero_copy_only=False)
    dice = np.random.default_rng([world.seed, 600]).random(world.pop.n)
    uid = uid - world.uid_offset
    holds = (age >= 40) & (dice[uid] < 0.04)
    start_m = (dice[uid] * 10_000).astype(np.int64) % (world.n_months + 24) - 24
    holds &= start_m <= m
    rows = insured.filter(pa.array(holds))
    start = start_m[holds]
    local = rows["person_uid"].to_numpy() - world.uid_offset
    disease = (dice[local] * 1e6).astype(np.int64) % len(CHRONIC)
    first = np.datetime64(world.months[0], "M")
    begin = (first + start.astype("timedelta64[M]")).astype("datetime64[D]") + 9
    level2 = inst.filter(pc.equal(inst["hosp_lv"], "二级"))
    by_admdvs = dict(
        zip(level2["admdvs"].to_pylist(), level2["fixmedins_code"].to_pylist(), strict=True)
    )
    home = rows["insuplc_admdvs"].to_pylist()
    return pa.table(
        {
            "person_uid": rows["person_uid"],
            "psn_no": rows["psn_no"],
            "certno": rows["certno"],
            "opsp_dise_code": pa.array(np.array([c for c, _ in CHRONIC])[disease]),
            "opsp_dise_name": pa.array(np.array([n for _, n in CHRONIC])[disease]),
            "begndate": pa.array(begin),
            "enddate": pa.array(np.full(len(begin), np.datetime64("NaT"), dtype="datetime64[D]")),
            "fixmedins_code": pa.array([by_admdvs.get(h) for h in home], pa.string()),
            "doctor_count": pa.array(np.full(len(begin), 2, dtype=np.int64)),
        }
    )
