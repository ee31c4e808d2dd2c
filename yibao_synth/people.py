"""The synthetic population: households and persons of real counties, with valid ID numbers.

Everything is vectorised over persons with numpy and Arrow; no Python loop runs per person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import ids, names
from .regions import County, historical_code, township_names, village_names

REFERENCE_DATE = np.datetime64("2020-06-30")
FIRST_ISSUE_YEAR = 1985  # the first resident ID cards; older people carry the code of that time
RELATIONS = np.array(["户主", "配偶", "之子", "之女", "之父", "之母", "孙子女", "其他"])
ETHNIC_BY_PROVINCE = {
    "34": (["汉族"], [1.0]),
    "33": (["汉族", "畲族"], [0.97, 0.03]),
    "45": (["汉族", "壮族", "瑶族", "苗族", "侗族"], [0.55, 0.35, 0.04, 0.03, 0.03]),
    "53": (["汉族", "彝族", "白族", "傣族", "苗族"], [0.62, 0.2, 0.06, 0.06, 0.06]),
}


@dataclass
class Regions:
    """Counties with their synthetic townships and villages."""

    counties: list[County]
    township_code: np.ndarray  # str, 9 digits, one per township
    township_name: np.ndarray
    township_county: np.ndarray  # index into counties
    village_code: np.ndarray  # str, 12 digits
    village_name: np.ndarray
    village_township: np.ndarray  # index into townships


def build_regions(counties: list[County], persons_per_county: np.ndarray) -> Regions:
    t_code, t_name, t_county = [], [], []
    v_code, v_name, v_town = [], [], []
    for ci, county in enumerate(counties):
        n_towns = int(np.clip(round(persons_per_county[ci] / 8000), 4, 20))
        for ti, tname in enumerate(township_names(n_towns)):
            tcode = f"{county.code}{ti + 1:03d}"
            t_code.append(tcode)
            t_name.append(tname)
            t_county.append(ci)
            for vi, vname in enumerate(village_names(10, offset=ti * 3)):
                v_code.append(f"{tcode}{vi + 1:03d}")
                v_name.append(vname)
                v_town.append(len(t_code) - 1)
    return Regions(
        counties,
        np.array(t_code),
        np.array(t_name),
        np.array(t_county),
        np.array(v_code),
        np.array(v_name),
        np.array(v_town),
    )


def _household_sizes(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(np.arange(1, 7), size=n, p=[0.14, 0.24, 0.24, 0.2, 0.12, 0.06])


def _relations(rng: np.random.Generator, position: np.ndarray, head_age: np.ndarray) -> np.ndarray:
    """Relation code by position in the household (0 = head)."""
    n = len(position)
    rel = np.full(n, 2)  # 之子 by default; sex decides 之子/之女 later
    rel[position == 0] = 0
    spouse = (position == 1) & (rng.random(n) < 0.85)
    rel[spouse] = 1
    r = rng.random(n)
    parent = (position >= 2) & (head_age < 55) & (r < 0.15)
    rel[parent] = 4
    grandchild = (position >= 3) & (head_age >= 55) & (r >= 0.15) & (r < 0.6)
    rel[grandchild] = 6
    other = (position >= 2) & (r > 0.97)
    rel[other] = 7
    return rel


@dataclass
class Population:
    """All persons; arrays aligned by person_uid (0..n-1)."""

    regions: Regions
    household: np.ndarray  # household uid
    head: np.ndarray  # person uid of the household head
    county: np.ndarray  # index into regions.counties (household registration, 户籍)
    village: np.ndarray  # index into regions.village_code
    relation: np.ndarray  # index into RELATIONS
    male: np.ndarray  # bool
    birth: np.ndarray  # datetime64[D]
    id18: pa.Array  # string
    name: pa.Array  # string
    ethnicity: pa.Array  # string
    phone: pa.Array  # string
    twin_of: np.ndarray  # person uid of the twin sibling, -1 if none

    @property
    def n(self) -> int:
        return len(self.household)

    def township(self) -> np.ndarray:
        return self.regions.village_township[self.village]


def build_population(rng: np.random.Generator, counties: list[County], n_target: int) -> Population:
    weights = rng.uniform(0.7, 1.3, len(counties))
    weights /= weights.sum()
    n_households = int(n_target / 3.0)
    hh_county = np.sort(rng.choice(len(counties), size=n_households, p=weights))
    sizes = _household_sizes(rng, n_households)
    persons_per_county = np.bincount(np.repeat(hh_county, sizes), minlength=len(counties))
    regions = build_regions(counties, persons_per_county)

    # each household lives in a village of its county
    villages_of_county = [
        np.flatnonzero(regions.township_county[regions.village_township] == ci)
        for ci in range(len(counties))
    ]
    hh_village = np.empty(n_households, dtype=np.int64)
    for ci, vs in enumerate(villages_of_county):
        mask = hh_county == ci
        hh_village[mask] = vs[rng.integers(0, len(vs), mask.sum())]

    n = int(sizes.sum())
    household = np.repeat(np.arange(n_households), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position = np.arange(n) - np.repeat(starts, sizes)
    head = np.repeat(starts, sizes)
    county = hh_county[household]
    village = hh_village[household]

    head_age = rng.triangular(22, 52, 88, n_households)[household]
    relation = _relations(rng, position, head_age)
    age = np.select(
        [relation == 0, relation == 1, relation == 2, relation == 4, relation == 6],
        [
            head_age,
            head_age + rng.normal(-2, 3, n),
            head_age - rng.uniform(20, 38, n),
            head_age + rng.uniform(20, 32, n),
            head_age - rng.uniform(42, 60, n),
        ],
        default=rng.uniform(5, 80, n),
    )
    age = np.where(age < 0, rng.uniform(0, 6, n), np.clip(age, 0, 99))
    age_days = (age * 365.25).astype(np.int64)
    birth = REFERENCE_DATE - age_days.astype("timedelta64[D]")

    male = rng.random(n) < 0.5
    male[relation == 0] = rng.random((relation == 0).sum()) < 0.88
    head_male = male[head]
    male[relation == 1] = ~head_male[relation == 1]
    relation[(relation == 2) & ~male] = 3  # 之女
    relation[(relation == 4) & ~male] = 5  # 之母

    twin_of = np.full(n, -1)
    _make_twins(rng, household, relation, birth, twin_of)

    # names: members other than the spouse carry the head's surname
    surname = names.draw_surnames(rng, n)
    own_surname = (relation == 1) | (relation == 7)
    surname = np.where(own_surname, surname, surname[head])
    given = names.draw_given(rng, male)
    name = names.full_names(surname, given)
    name = _twin_names(name, twin_of)
    name = _force_same_names(rng, name, county, male, surname)

    id18 = _id_numbers(rng, regions, county, birth, male)
    ethnicity = _ethnicity(rng, regions, county)
    phone = _phones(rng, n)
    phone = pc.if_else(
        pa.array(relation == 0),
        phone,
        pc.if_else(pa.array(rng.random(n) < 0.4), phone, pa.nulls(n, pa.string())),
    )
    return Population(
        regions,
        household,
        head,
        county,
        village,
        relation,
        male,
        birth,
        id18,
        name,
        ethnicity,
        phone,
        twin_of,
    )


def _make_twins(rng, household, relation, birth, twin_of) -> None:
    """Twins: a household's second child born on the same day as its first."""
    child = np.flatnonzero((relation == 2) | (relation == 3))
    if len(child) < 2:
        return
    same_hh = household[child[1:]] == household[child[:-1]]
    pairs = np.flatnonzero(same_hh)
    chosen = pairs[rng.random(len(pairs)) < 0.02]
    a, b = child[chosen], child[chosen + 1]
    keep = twin_of[a] == -1
    a, b = a[keep], b[keep]
    keep = np.concatenate([[True], a[1:] != b[:-1]]) if len(a) else keep[:0]
    a, b = a[keep], b[keep]
    birth[b] = birth[a]
    twin_of[a] = b
    twin_of[b] = a


def _twin_names(name: pa.Array, twin_of: np.ndarray) -> pa.Array:
    """Twins share the surname and the first given character when both have two."""
    second = np.flatnonzero(twin_of > np.arange(len(twin_of)))
    if len(second) == 0:
        return name
    values = name.to_numpy(zero_copy_only=False).astype(object)
    for b in second:  # a few hundred at most: 0.04 of multi-child households
        a = twin_of[b]
        first, other = values[a], values[b]
        if len(first) == 3 and len(other) == 3 and first[1] != other[2]:
            values[b] = first[:2] + other[2]
    return pa.array(values, pa.string())


def _force_same_names(rng, name, county, male, surname) -> pa.Array:
    """Copy some names onto another person of the same county and sex (重名)."""
    n = len(county)
    values = name.to_numpy(zero_copy_only=False).astype(object)
    pick = np.flatnonzero(rng.random(n) < 0.006)
    for c in np.unique(county[pick]):
        in_county = np.flatnonzero(county == c)
        chosen = pick[county[pick] == c]
        donors = rng.choice(in_county, size=len(chosen))
        ok = (male[donors] == male[chosen]) & (surname[donors] == surname[chosen])
        values[chosen[ok]] = values[donors[ok]]
    return pa.array(values, pa.string())


def _id_numbers(rng, regions: Regions, county, birth, male) -> pa.Array:
    """ID numbers whose prefix is the county's code when the ID was first issued."""
    years = np.arange(1900, 2021)
    code_table = np.array(
        [
            [int(historical_code(c, max(int(y), FIRST_ISSUE_YEAR))) for y in years]
            for c in regions.counties
        ],
        dtype=np.int64,
    )
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    issue_year = np.maximum(birth_year, FIRST_ISSUE_YEAR)
    late = (birth_year < FIRST_ISSUE_YEAR) & (rng.random(len(county)) < 0.05)
    issue_year = np.where(late, rng.integers(1990, 2001, len(county)), issue_year)
    prefix = code_table[county, np.clip(issue_year, 1900, 2020) - 1900]
    ymd = birth.astype("datetime64[D]").astype(str)
    birth_int = np.char.replace(ymd, "-", "").astype(np.int64)
    order = rng.integers(0, 500, len(county)) * 2 + male.astype(np.int64)
    body = ids.body17(prefix, birth_int, order)
    for _ in range(50):  # redraw the order codes of the rare collisions
        order_idx = np.argsort(body, kind="stable")
        same = body[order_idx[1:]] == body[order_idx[:-1]]
        if not same.any():
            break
        dup = order_idx[1:][same]
        order[dup] = rng.integers(0, 500, len(dup)) * 2 + male[dup]
        body[dup] = ids.body17(prefix[dup], birth_int[dup], order[dup])
    return ids.id18(body)


def _ethnicity(rng, regions: Regions, county) -> pa.Array:
    province = np.array([c.province_code for c in regions.counties])[county]
    out = np.empty(len(county), dtype=object)
    for p, (values, probs) in ETHNIC_BY_PROVINCE.items():
        mask = province == p
        out[mask] = np.array(values, dtype=object)[rng.choice(len(values), mask.sum(), p=probs)]
    return pa.array(out, pa.string())


def _phones(rng, n: int) -> pa.Array:
    prefix = np.array(["13", "15", "17", "18", "19"])[rng.integers(0, 5, n)]
    rest = rng.integers(0, 10**9, n)
    return pc.binary_join_element_wise(
        pa.array(prefix), pc.utf8_lpad(pc.cast(pa.array(rest), pa.string()), 9, "0"), ""
    )
