"""The world behind the files: who is poor, assisted, insured and paying, month by month.

The world is a handful of Arrow tables with validity windows in month indices (``from_m`` inclusive,
``to_m`` exclusive; ``BIG`` = open). Every monthly file is a query over them (see `monthly.py`),
and the ground truth is a query over the same tables, so the files and the truth cannot disagree.
Injected problems (`problems.py`) edit these tables before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yibao import contracts as C

from .calendar import month_start
from .people import Population

BIG = 10_000  # an open window end, in months

# Civil-affairs categories the generator hands out, with (share of candidates, monthly yuan).
MONTHLY_ALLOWANCE = {"特困供养": 820, "城乡低保": 520, "低保边缘": 200, "孤儿": 1100}


@dataclass
class World:
    months: list[str]
    pop: Population
    seed: int
    uid_offset: int  # person_uid and household numbers are local + offset in every output
    # per household: poverty roster attributes (-1 = not on the roster)
    hh_attr: np.ndarray
    hh_status: np.ndarray  # 0 未脱贫, 1 已脱贫 at the start
    hh_exit_year: np.ndarray  # 0 if not exited
    hh_exit_m: np.ndarray  # month index when a 未脱贫 household exits during the period, BIG if not
    hh_monitor: np.ndarray  # index into MONITORING_CATEGORIES, -1 if none
    hh_cause: np.ndarray
    hh_from: np.ndarray  # first month on the roster
    # per person
    status: np.ndarray  # index into PERSON_STATUSES (roster 人员状态 once status_m is reached)
    status_m: np.ndarray  # month index from which `status` applies (may be negative), BIG if never
    status_date: np.ndarray  # datetime64[D]
    roster_shows_status: np.ndarray  # bool: the poverty office recorded the status
    insured_flag_wrong: np.ndarray  # bool: the poverty office's own 是否参保 flag is flipped
    # tables
    memberships: pa.Table = field(default=None)  # civil-affairs memberships
    enrolment: pa.Table = field(default=None)  # enrolment rows with windows
    identity_drop: pa.Table = field(default=None)  # persons whose identity rows are missing
    extra_identities: pa.Table = field(default=None)  # identity rows of persons on no roster
    id_faults: pa.Table = field(default=None)  # per (department, person): delivered ID / name
    duplicate_rows: pa.Table = field(default=None)  # (department, person_uid): listed twice
    extra_payers: np.ndarray = field(default=None)  # pay a premium although not enrolled

    @property
    def n_months(self) -> int:
        return len(self.months)

    def month_index(self, date: np.ndarray) -> np.ndarray:
        """Month index of dates relative to the first delivery month (may be negative)."""
        first = np.datetime64(self.months[0], "M")
        return (date.astype("datetime64[M]") - first).astype(np.int64)

    @property
    def on_roster(self) -> np.ndarray:
        """Per person: the household is on the poverty roster at some point."""
        return self.hh_attr[self.pop.household] >= 0


def build_world(
    pop: Population, months: list[str], roster_target: int, seed: int, uid_offset: int = 0
) -> World:
    rng = np.random.default_rng([seed, 1])
    n_hh = int(pop.household.max()) + 1
    hh_size = np.bincount(pop.household, minlength=n_hh)
    n_months = len(months)

    # registered poor households, so that the roster holds about roster_target persons
    p_poor = min(0.9, roster_target / pop.n)
    poor = rng.random(n_hh) < p_poor
    attr = np.where(poor, rng.choice(3, n_hh, p=[0.75, 0.2, 0.05]), -1)
    attr[poor & (hh_size == 1) & (rng.random(n_hh) < 0.3)] = 2  # 特困供养 is mostly single people
    status = np.where(rng.random(n_hh) < 0.12, 0, 1)
    exit_year = np.where(status == 1, rng.choice(np.arange(2014, 2020), n_hh), 0)
    exit_m = np.full(n_hh, BIG)
    in_2020 = [i for i, m in enumerate(months) if m >= "2020-03"]
    leaving = (status == 0) & (rng.random(n_hh) < 0.4)
    if in_2020:
        exit_m[leaving] = rng.choice(in_2020, leaving.sum())
    monitor = np.where(poor & (rng.random(n_hh) < 0.05), rng.integers(0, 3, n_hh), -1)
    cause = rng.choice(
        len(C.POVERTY_CAUSES), n_hh, p=[0.42, 0.18, 0.08, 0.05, 0.12, 0.08, 0.04, 0.03]
    )
    hh_from = np.zeros(n_hh, dtype=np.int64)
    if n_months > 1:
        late = poor & (rng.random(n_hh) < 0.02)
        hh_from[late] = rng.integers(1, n_months, late.sum())

    n = pop.n
    world = World(
        months=months,
        pop=pop,
        seed=seed,
        uid_offset=uid_offset,
        hh_attr=attr,
        hh_status=status,
        hh_exit_year=exit_year,
        hh_exit_m=exit_m,
        hh_monitor=monitor,
        hh_cause=cause,
        hh_from=hh_from,
        status=np.zeros(n, dtype=np.int64),
        status_m=np.full(n, BIG),
        status_date=np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
        roster_shows_status=np.ones(n, dtype=bool),
        insured_flag_wrong=np.zeros(n, dtype=bool),
    )
    _natural_deaths(world, rng)
    world.memberships = _memberships(world, rng)
    world.enrolment = _enrolment(world, rng)
    empty_uids = pa.table({"person_uid": pa.array([], pa.int64())})
    world.identity_drop = empty_uids
    world.extra_identities = pa.table(
        {
            "person_uid": pa.array([], pa.int64()),
            "psn_idet_type": pa.array([], pa.string()),
            "begntime": pa.array([], pa.date32()),
        }
    )
    world.id_faults = pa.table(
        {
            "department": pa.array([], pa.string()),
            "person_uid": pa.array([], pa.int64()),
            "fault": pa.array([], pa.string()),
            "delivered_id": pa.array([], pa.string()),
            "delivered_name": pa.array([], pa.string()),
        }
    )
    world.duplicate_rows = pa.table(
        {
            "department": pa.array([], pa.string()),
            "person_uid": pa.array([], pa.int64()),
        }
    )
    world.extra_payers = np.array([], dtype=np.int64)
    return world


def _natural_deaths(world: World, rng: np.random.Generator) -> None:
    """About 0.6% of the elderly die per year, at a month of the period or before it."""
    pop = world.pop
    age = (np.datetime64(world.months[0] + "-01") - pop.birth).astype(np.int64) / 365.25
    p = np.where(age > 70, 0.01, 0.0008) * world.n_months / 12
    dead = rng.random(pop.n) < p
    set_status(world, np.flatnonzero(dead), "死亡", rng, allow_before=False)


def set_status(
    world: World, who: np.ndarray, status: str, rng: np.random.Generator, allow_before: bool = True
) -> None:
    """Give persons a 人员状态 from a month of the period (or up to six months before it)."""
    low = -6 if allow_before else 0
    m = rng.integers(low, world.n_months, len(who))
    world.status[who] = C.PERSON_STATUSES.index(status)
    world.status_m[who] = m
    first = np.datetime64(world.months[0], "M")
    day = rng.integers(0, 28, len(who)).astype("timedelta64[D]")
    world.status_date[who] = (first + m.astype("timedelta64[M]")).astype("datetime64[D]") + day


def _memberships(world: World, rng: np.random.Generator) -> pa.Table:
    """Civil-affairs memberships: one row per person and 救助类别."""
    pop = world.pop
    n = pop.n
    hh = pop.household
    n_hh = len(world.hh_attr)
    age = (np.datetime64("2020-01-01") - pop.birth).astype(np.int64) / 365.25
    poor_attr = world.hh_attr[hh]

    dibao_hh = (world.hh_attr == 1) | ((world.hh_attr < 0) & (rng.random(n_hh) < 0.03))
    marginal_hh = (world.hh_attr < 0) & ~dibao_hh & (rng.random(n_hh) < 0.02)
    illness_hh = rng.random(n_hh) < 0.008
    rows: list[tuple[np.ndarray, str]] = [
        (
            np.flatnonzero(
                (poor_attr == 2) | ((poor_attr < 0) & (age > 60) & (rng.random(n) < 0.01))
            ),
            "特困供养",
        ),
        (np.flatnonzero(dibao_hh[hh]), "城乡低保"),
        (np.flatnonzero(marginal_hh[hh]), "低保边缘"),
        (np.flatnonzero((age < 16) & (rng.random(n) < 0.002)), "孤儿"),
        (np.flatnonzero(illness_hh[hh]), "因病致贫"),
        (np.flatnonzero(rng.random(n) < 0.012), "重度残疾"),
        (np.flatnonzero(marginal_hh[hh] & (age >= 60)), "低收入家庭老年人"),
        (np.flatnonzero(marginal_hh[hh] & (age < 18)), "低收入家庭未成年人"),
    ]
    uid = np.concatenate([r[0] for r in rows])
    category = np.concatenate([np.full(len(r[0]), r[1]) for r in rows])
    k = len(uid)
    first = month_start(world.months[0])
    start = first - rng.integers(60, 6 * 365, k).astype("timedelta64[D]")
    # a few start during the period (new entrants) and a few stop (停保)
    if world.n_months > 1:
        new = rng.random(k) < 0.04
        start[new] = first + rng.integers(31, 30 * world.n_months, new.sum()).astype(
            "timedelta64[D]"
        )
    start = np.maximum(start, pop.birth[uid])
    stop = np.full(k, np.datetime64("NaT"), dtype="datetime64[D]")
    stopping = rng.random(k) < 0.04
    stop[stopping] = start[stopping] + rng.integers(60, 900, stopping.sum()).astype(
        "timedelta64[D]"
    )
    # deaths end the assistance
    dead = world.status[uid] == C.PERSON_STATUSES.index("死亡")
    death = world.status_date[uid]
    ends_at_death = dead & (np.isnat(stop) | (death < stop))
    stop[ends_at_death] = death[ends_at_death]
    grade = np.where(category == "重度残疾", rng.integers(0, 2, k), -1)
    has_disability = (grade >= 0) | (rng.random(k) < 0.03)
    grade = np.where((grade < 0) & has_disability, rng.integers(2, 4, k), grade)
    dis_type = np.where(has_disability, rng.integers(0, len(C.DISABILITY_TYPES), k), -1)
    values, inverse = np.unique(category, return_inverse=True)
    allowance = np.array([MONTHLY_ALLOWANCE.get(v, 0) for v in values])[inverse]
    # districts (codes xx01-xx20) are urban, counties rural, with some urban people anyway
    county_urban = np.array([c.code[4] == "0" for c in pop.regions.counties])
    order = np.lexsort((category, uid))
    return pa.table(
        {
            "person_uid": pa.array(uid[order]),
            "category": pa.array(category[order]),
            "start_date": pa.array(start[order]),
            "stop_date": pa.array(stop[order]),
            "paused": pa.array((rng.random(k) < 0.01)[order]),
            "urban": pa.array(county_urban[pop.county[uid]][order] | (rng.random(k) < 0.1)[order]),
            "disability_type": pa.array(dis_type[order]),
            "disability_grade": pa.array(grade[order]),
            "allowance": pa.array(allowance[order]),
        }
    )


def _enrolment(world: World, rng: np.random.Generator) -> pa.Table:
    """Baseline enrolment: resident insurance (390) at the county of registration; some working
    adults who are not poor hold employee insurance (310) instead, and a few hold nothing."""
    pop = world.pop
    n = pop.n
    age = (np.datetime64("2020-01-01") - pop.birth).astype(np.int64) / 365.25
    poor = world.on_roster.copy()
    assisted = world.memberships.filter(
        pc.is_in(world.memberships["category"], pa.array(["特困供养", "城乡低保", "低保边缘"]))
    )
    poor[assisted["person_uid"].to_numpy()] = True
    employee = ~poor & (age >= 22) & (age <= 60) & (rng.random(n) < 0.18)
    uninsured = ~poor & (rng.random(n) < 0.02)
    county_code = np.array([int(c.code) for c in pop.regions.counties])[pop.county]
    born_m = world.month_index(pop.birth)
    from_m = np.where(born_m >= 0, born_m + rng.integers(0, 3, n), -BIG)
    since = np.maximum(
        pop.birth, np.datetime64("2010-01-01") + rng.integers(0, 3000, n).astype("timedelta64[D]")
    )
    # a newborn is enrolled (参保日期) in the month it is first listed, within 3 months of birth,
    # and covered from birth (A1.2)
    listed = (np.datetime64(world.months[0], "M") + np.maximum(from_m, 0)).astype("datetime64[D]")
    enrolled = listed + rng.integers(0, 10, n).astype("timedelta64[D]")
    since = np.where(born_m >= 0, np.maximum(pop.birth, enrolled), since)
    keep = ~uninsured
    uid = np.arange(n)[keep]
    return pa.table(
        {
            "person_uid": pa.array(uid),
            "psn_seq": pa.array(np.zeros(len(uid), dtype=np.int64)),  # 0 = the person's main psn_no
            "insutype": pa.array(np.where(employee, "310", "390")[keep]),
            "admdvs": pa.array(county_code[keep]),
            "from_m": pa.array(from_m[keep]),
            "to_m": pa.array(np.full(len(uid), BIG)),
            "insu_date": pa.array(since[keep]),
            "stop_m": pa.array(np.full(len(uid), BIG)),
            "stop_rsn": pa.array(np.full(len(uid), None, dtype=object), pa.string()),
        }
    )
