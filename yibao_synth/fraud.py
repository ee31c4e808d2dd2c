"""Fraud cases and decoys (欺诈骗保负面清单, S9.2, A3.2), added to a month's settlements.

Each chunk and month gets one case of every settlement rule of fct_fraud_flag, and decoys that
look like a case to a careless rule but are legitimate: a readmission for an unrelated
diagnosis or after the window, a same-day transfer, long stays, a death during a stay, two
visits the same day in one county, a mother of 46 to 54, a short stay for a real inpatient
diagnosis, a long stay for an outpatient-type diagnosis. The chunks of Hefei and Baoshan also
boost the admissions of poor patients at one county hospital each (住院率畸高); the monitoring's
inpatient surge, which raises everyone's admissions, is that rule's decoy.

A row's `fraud_label` says what it is: ``case:<rule>`` (the row the rule must flag),
``decoy:<kind>`` (no rule may flag it), ``companion`` (the other half of a pair, not flagged
itself) or ``boost`` (an admission of the boosted institution). Every case and decoy uses a
person with no other care this month and no inpatient stay last month, so that ordinary care
cannot pair with it; `care.settlements` keeps ordinary care from looking like a case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# equal to the seed's fraud_* rules (tests/test_policy_parameters.py)
READMISSION_WINDOW_DAYS = 15
SHORT_STAY_MAX_DAYS = 3
SHORT_STAY_MAX_COST_YUAN = 2000
# poor admissions added at the boosted county hospital, per insured poor person of its county:
# about six times what the county's poor are admitted there in a month
BOOST_RATE = 0.044
BOOST_MIN = 15
# two cities, so that the boosted hospitals stay few among their peers in every tier
BOOST_CITIES = ("3401", "5305")

STAYS = [("J18.9", "肺炎"), ("I63.9", "脑梗死"), ("K80.2", "胆囊结石"), ("S72.0", "股骨颈骨折"),
         ("C34.9", "肺恶性肿瘤"), ("I50.9", "心力衰竭")]
RELATED = [(("I63.9", "脑梗死"), ("I63.9", "脑梗死")), (("J18.9", "肺炎"), ("J18.9", "肺炎")),
           (("I50.9", "心力衰竭"), ("I25.1", "冠状动脉粥样硬化性心脏病")),
           (("K80.2", "胆囊结石"), ("K81.0", "急性胆囊炎"))]
UNRELATED = [(("S72.0", "股骨颈骨折"), ("K35.9", "急性阑尾炎")),
             (("C34.9", "肺恶性肿瘤"), ("K80.2", "胆囊结石")),
             (("I63.9", "脑梗死"), ("J18.9", "肺炎"))]
OUTPATIENT_TYPE = [("J06.9", "急性上呼吸道感染"), ("K29.7", "胃炎"), ("M54.5", "腰痛"),
                   ("I10", "原发性高血压"), ("E11.9", "2型糖尿病")]
VISITS = [("J06.9", "急性上呼吸道感染"), ("K29.7", "胃炎"), ("M54.5", "腰痛")]
CHILDBIRTH = ("O80.0", "单胎顺产")
BEIJING = "110108"
CAPITAL_DISTRICT = {"34": "340102", "33": "330102", "45": "450102", "53": "530102"}


@dataclass
class Extra:
    """The added visits: `people` rows (insured or deceased) and per row what happened."""

    people: pa.Table
    med_type: np.ndarray
    begin: np.ndarray  # datetime64[D]
    end: np.ndarray
    institution: np.ndarray  # index into the institutions table
    diag_code: np.ndarray
    diag_name: np.ndarray
    total_fen: np.ndarray  # 0: drawn like any visit
    label: np.ndarray

    def __len__(self) -> int:
        return len(self.med_type)


@dataclass
class _Builder:
    pool: pa.Table  # insured rows, then deceased rows
    n_insured: int
    month_start: np.datetime64
    inst_index: dict[str, int]
    rng: np.random.Generator
    free: np.ndarray  # per pool row: not yet used and no care that stops it being used
    after_stay: np.ndarray  # free but for an inpatient stay last month (cross-month case only)
    rows: list[tuple] = field(default_factory=list)

    def person(self, mask: np.ndarray | None = None) -> int | None:
        ok = self.free if mask is None else self.free & mask
        idx = np.flatnonzero(ok)
        if not len(idx):
            return None
        chosen = int(self.rng.choice(idx))
        self.free[chosen] = False
        return chosen

    def home(self, who: int) -> str:
        return str(self.pool["insuplc_admdvs"][who].as_py())

    def add(self, who: int, med_type: str, day: int, days: int, institution: str,
            diagnosis: tuple[str, str], label: str | None, total_fen: int = 0) -> None:
        self.rows.append((who, med_type, day, days, self.inst_index[institution], *diagnosis,
                          total_fen, label))

    def build(self) -> Extra:
        if not self.rows:
            return _empty(self.pool)
        columns = zip(*self.rows, strict=True)
        who, mt, day, days, inst, code, name, total, label = (np.array(c, dtype=object)
                                                               for c in columns)
        begin = self.month_start + day.astype(np.int64).astype("timedelta64[D]")
        return Extra(
            people=self.pool.take(pa.array(who.astype(np.int64))),
            med_type=mt.astype(str),
            begin=begin,
            end=begin + days.astype(np.int64).astype("timedelta64[D]"),
            institution=inst.astype(np.int64),
            diag_code=code,
            diag_name=name,
            total_fen=total.astype(np.int64),
            label=label,
        )


def _empty(pool: pa.Table) -> Extra:
    none = np.array([], dtype=object)
    return Extra(pool.slice(0, 0), np.array([], dtype=str), np.array([], "datetime64[D]"),
                 np.array([], "datetime64[D]"), np.array([], np.int64), none, none,
                 np.array([], np.int64), none)


def county_hospital(county: str) -> str:
    """The county's people's hospital (二级, the first institution of each county)."""
    return f"H{county}00001"


def plan(
    insured: pa.Table,
    deceased: pa.Table,
    inst: pa.Table,
    month: str,
    natural: np.ndarray,
    previous: pa.Table | None,
    reversed_ids: set[str],
    boost_county: str | None,
    rng: np.random.Generator,
) -> Extra:
    """The month's cases and decoys. `natural` are the insured rows with ordinary care this
    month; `previous` is last month's written settlements, `reversed_ids` those reversed now;
    `boost_county` the county whose hospital's poor admissions are boosted, if any."""
    month_start = np.datetime64(month + "-01")
    codes = inst["fixmedins_code"].to_numpy(zero_copy_only=False).astype(str)
    pool = pa.concat_tables([insured, deceased])
    n = insured.num_rows
    uid = pool["person_uid"].to_numpy()
    home = pool["insuplc_admdvs"].to_numpy(zero_copy_only=False).astype(str)
    has_hospital = np.isin(np.char.add(np.char.add("H", home), "00001"), codes)
    free = np.zeros(pool.num_rows, bool)
    free[:n] = True
    free[natural] = False
    free &= has_hospital
    prev_any = np.zeros(pool.num_rows, bool)
    prev_inpatient = np.zeros(pool.num_rows, bool)
    prev_stays = None
    if previous is not None and previous.num_rows:
        inpatient = pc.is_in(previous["med_type"], pa.array(["21", "52"]))
        prev_inpatient = np.isin(uid, previous.filter(inpatient)["person_uid"].to_numpy())
        prev_any = np.isin(uid, previous["person_uid"].to_numpy())
        prev_stays = previous.filter(pc.and_(inpatient, pc.equal(previous["refd_setl_flag"], "0")))
    death = pool["death_date"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    free[n:] = has_hospital[n:] & ~np.isnat(death[n:])
    b = _Builder(pool, n, month_start, {c: i for i, c in enumerate(codes)}, rng,
                 free & ~prev_inpatient, free & prev_inpatient)
    insured_only = np.arange(pool.num_rows) < n

    _split_hospitalisation(b, insured_only)
    _cross_month_readmission(b, prev_stays, reversed_ids, uid, month_start)
    _overlap(b, insured_only)
    _after_death(b, death, month_start)
    _same_day(b, insured_only)
    _demographics(b, pool, insured_only)
    _short_stays(b, insured_only)
    _long_stays(b, insured_only & ~prev_any)
    if boost_county is not None:
        poor = pc.fill_null(pool["poor"], False).to_numpy(zero_copy_only=False)
        _boost(b, insured_only & poor & (home == boost_county), boost_county)
    return b.build()


def _pair(rng, pairs):
    return pairs[int(rng.integers(0, len(pairs)))]


def _split_hospitalisation(b: _Builder, mask: np.ndarray) -> None:
    """Case: readmitted to the county hospital 1–8 days after discharge for a related
    diagnosis. Decoys: an unrelated diagnosis; a related one after the window."""
    r = b.rng
    for pairs, least_gap, label in ((RELATED, 1, "case:split_hospitalisation"),
                                    (UNRELATED, 2, "decoy:unrelated_readmission")):
        who = b.person(mask)
        if who is None:
            continue
        first, second = _pair(r, pairs)
        day, stay = int(r.integers(0, 5)), int(r.integers(3, 6))
        gap = int(r.integers(least_gap, 9))
        ch = county_hospital(b.home(who))
        b.add(who, "21", day, stay, ch, first, "companion")
        b.add(who, "21", day + stay + gap, int(r.integers(2, 5)), ch, second, label)
    who = b.person(mask)
    if who is not None:
        first, second = _pair(r, RELATED)
        day, gap = int(r.integers(0, 3)), READMISSION_WINDOW_DAYS + int(r.integers(2, 6))
        ch = county_hospital(b.home(who))
        b.add(who, "21", day, 2, ch, first, "companion")
        b.add(who, "21", day + 2 + gap, int(r.integers(1, 3)), ch, second,
              "decoy:late_readmission")


def _cross_month_readmission(b: _Builder, stays: pa.Table | None, reversed_ids: set[str],
                             uid: np.ndarray, month_start: np.datetime64) -> None:
    """Case: someone discharged late last month is readmitted early this month, same
    institution and diagnosis, within the window (the earlier stay is ordinary care)."""
    if stays is None or not stays.num_rows:
        return
    end = stays["enddate"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    gap_to_month = (month_start - end).astype(np.int64)
    ok = pc.is_null(stays["fraud_label"]).to_numpy(zero_copy_only=False)
    ok &= gap_to_month <= READMISSION_WINDOW_DAYS - 4
    ok &= ~np.isin(stays["setl_id"].to_numpy(zero_copy_only=False), list(reversed_ids))
    where = {u: i for i, u in enumerate(uid[: b.n_insured])}
    for row in b.rng.permutation(np.flatnonzero(ok)):
        who = where.get(stays["person_uid"][int(row)].as_py())
        if who is None or not b.after_stay[who]:
            continue
        b.after_stay[who] = False
        diagnosis = (stays["dise_codg"][int(row)].as_py(), stays["dise_name"][int(row)].as_py())
        b.add(who, "21", int(b.rng.integers(0, 4)), int(b.rng.integers(2, 6)),
              stays["fixmedins_code"][int(row)].as_py(), diagnosis, "case:split_hospitalisation")
        return


def _overlap(b: _Builder, mask: np.ndarray) -> None:
    """Case: in the county hospital and the TCM hospital at once. Decoy: a same-day transfer to
    the provincial hospital (the second stay starts the day the first ends)."""
    r = b.rng
    who = b.person(mask)
    if who is not None:
        county = b.home(who)
        day, stay = int(r.integers(0, 9)), int(r.integers(6, 10))
        diagnosis = _pair(r, STAYS)
        b.add(who, "21", day, stay, county_hospital(county), diagnosis, "companion")
        b.add(who, "21", day + int(r.integers(2, stay)), int(r.integers(3, 6)),
              f"H{county}00002", diagnosis, "case:overlapping_stays")
    who = b.person(mask)
    if who is not None:
        county = b.home(who)
        day, stay = int(r.integers(0, 11)), int(r.integers(3, 6))
        diagnosis = _pair(r, STAYS)
        b.add(who, "21", day, stay, county_hospital(county), diagnosis, "companion")
        b.add(who, "21", day + stay, int(r.integers(3, 7)),
              f"H{CAPITAL_DISTRICT[county[:2]]}90001", diagnosis, "decoy:same_day_transfer")


def _after_death(b: _Builder, death: np.ndarray, month_start: np.datetime64) -> None:
    """Case: a visit after the person's death. Decoy: a stay during which the person died."""
    r = b.rng
    deceased = np.arange(len(death)) >= b.n_insured
    before = deceased & (death < month_start)
    who = b.person(before)
    if who is not None:
        b.add(who, "11", int(r.integers(0, 28)), 0, county_hospital(b.home(who)),
              _pair(r, VISITS), "case:care_after_death")
    during = deceased & (death >= month_start + 1) & (death < month_start + 28)
    who = b.person(during)
    if who is not None:
        died = int((death[who] - month_start).astype(np.int64))
        stay = int(r.integers(0, min(died, 4) + 1))
        b.add(who, "21", died - stay, stay, county_hospital(b.home(who)), _pair(r, STAYS),
              "decoy:death_during_stay")


def _same_day(b: _Builder, mask: np.ndarray) -> None:
    """Case: visits the same day at home and in Beijing. Decoy: the same day at two
    institutions of the home county."""
    r = b.rng
    for far, label in ((True, "case:distant_same_day"), (False, "decoy:same_day_same_county")):
        who = b.person(mask)
        if who is None:
            continue
        county, day = b.home(who), int(r.integers(0, 28))
        other = f"H{BEIJING}90001" if far else f"H{county}00003"
        b.add(who, "11", day, 0, county_hospital(county), _pair(r, VISITS), "companion")
        b.add(who, "11", day, 0, other, _pair(r, VISITS), label)


def _demographics(b: _Builder, pool: pa.Table, mask: np.ndarray) -> None:
    """Case: childbirth for a man or a woman of 60 or more. Decoy: a mother of 46 to 54."""
    male = pc.fill_null(pool["male"], False).to_numpy(zero_copy_only=False)
    age = pool["age"].to_numpy(zero_copy_only=False)
    r = b.rng
    odd = (male & (age >= 18)) if r.random() < 0.5 else (~male & (age >= 60))
    for allowed, label in ((mask & odd, "case:demographic_mismatch"),
                           (mask & ~male & (age >= 46) & (age <= 54), "decoy:plausible_mother")):
        who = b.person(allowed)
        if who is not None:
            b.add(who, "52", int(r.integers(0, 25)), int(r.integers(2, 4)),
                  county_hospital(b.home(who)), CHILDBIRTH, label)


def _short_stays(b: _Builder, mask: np.ndarray) -> None:
    """Case: a short cheap stay for an outpatient-type diagnosis. Decoys: a short cheap stay
    for pneumonia; a long stay for hypertension."""
    r = b.rng
    limit = SHORT_STAY_MAX_COST_YUAN * 100
    cases = (
        (_pair(r, OUTPATIENT_TYPE), int(r.integers(1, SHORT_STAY_MAX_DAYS + 1)),
         int(r.integers(limit // 5, limit - 2000)), "case:lowered_admission_standard"),
        (("J18.9", "肺炎"), int(r.integers(1, 3)), int(r.integers(limit // 2, limit - 1000)),
         "decoy:short_real_stay"),
        (("I10", "原发性高血压"), int(r.integers(8, 13)), int(r.integers(6 * limit // 2,
                                                                       9 * limit // 2)),
         "decoy:outpatient_type_long_stay"),
    )
    for diagnosis, stay, total, label in cases:
        who = b.person(mask)
        if who is not None:
            b.add(who, "21", int(r.integers(0, 28 - stay)), stay, county_hospital(b.home(who)),
                  diagnosis, label, total)


def _long_stays(b: _Builder, mask: np.ndarray) -> None:
    """Decoy: a stay of 2–6 weeks that began last month (no care last month otherwise)."""
    who = b.person(mask)
    if who is not None:
        start, end = -int(b.rng.integers(5, 21)), int(b.rng.integers(10, 26))
        b.add(who, "21", start, end - start, county_hospital(b.home(who)), _pair(b.rng, STAYS),
              "decoy:long_stay")


def _boost(b: _Builder, mask: np.ndarray, county: str) -> None:
    """Poor patients of `county` admitted to its hospital far beyond the usual rate."""
    count = max(BOOST_MIN, round(BOOST_RATE * int(mask.sum())))
    for _ in range(count):
        who = b.person(mask)
        if who is None:
            return
        stay = int(b.rng.integers(2, 7))
        b.add(who, "21", int(b.rng.integers(0, 28 - stay)), stay, county_hospital(county),
              _pair(b.rng, STAYS), "boost")
