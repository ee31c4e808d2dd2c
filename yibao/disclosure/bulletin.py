"""The monthly bulletin (月通报) as cells and relations, for suppression and its audit.

A cell is (region_code, column) of one month's rpt_monthly_bulletin: the person counts. The
finding counts (待核实, 本月新增, 本月已解决) are not suppressed: the findings list published
beside the bulletin names every finding (by pseudonymous key) for the county offices to verify,
so its counts are public anyway. The relations are what a reader knows without being told:
- each county is the sum of its townships, for every person count (the rosters give every
  person a village);
- 困难人员数 = 不符合参保条件人数 + 应参保人数, and 应参保人数 = 已参保人数 + 未参保人数;
- each kind of enrolment (resident, employee, elsewhere) is at most 已参保人数, and together at
  least it;
- 已缴费人数 ≤ 应参保人数 − 参加职工医保人数.
The tests check that the unsuppressed mart satisfies every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .audit import Relation, at_least, equal

COUNTS = (
    "roster_count",
    "excluded_count",
    "eligible_count",
    "enrolled_count",
    "resident_enrolled_count",
    "employee_enrolled_count",
    "enrolled_elsewhere_count",
    "not_enrolled_count",
    "premium_paid_count",
)
#: rate → the counts it is computed from; hidden when any of them is
RATES = {
    "coverage_rate": ("enrolled_count", "eligible_count"),
    "premium_payment_rate": ("premium_paid_count", "eligible_count", "employee_enrolled_count"),
}


def cells(rows: Sequence[Mapping]) -> dict[tuple[str, str], float]:
    """The count cells of one month's bulletin rows."""
    return {(r["region_code"], column): r[column] for r in rows for column in COUNTS}


def _row_relations(region: str) -> list[Relation]:
    def c(column: str) -> tuple[str, str]:
        return (region, column)

    kinds = [c("resident_enrolled_count"), c("employee_enrolled_count"),
             c("enrolled_elsewhere_count")]  # fmt: skip
    return [
        equal(c("roster_count"), [c("excluded_count"), c("eligible_count")]),
        equal(c("eligible_count"), [c("enrolled_count"), c("not_enrolled_count")]),
        *(at_least(c("enrolled_count"), [kind]) for kind in kinds),
        Relation(((kinds[0], 1), (kinds[1], 1), (kinds[2], 1), (c("enrolled_count"), -1)), True),
        at_least(c("eligible_count"), [c("employee_enrolled_count"), c("premium_paid_count")]),
    ]


def relations(rows: Sequence[Mapping]) -> list[Relation]:
    """Every relation between the cells of one month's bulletin rows."""
    found = [rel for r in rows for rel in _row_relations(r["region_code"])]
    townships: dict[str, list[str]] = {}
    for r in rows:
        if r["region_level"] == "township":
            townships.setdefault(r["county_code"], []).append(r["region_code"])
    for county, parts in sorted(townships.items()):
        for column in COUNTS:
            found.append(equal((county, column), [(t, column) for t in parts]))
    return found


def hidden_rates(rows: Sequence[Mapping], hidden: set) -> set[tuple[str, str]]:
    """The rate cells to hide: those computed from a hidden count."""
    return {
        (r["region_code"], rate)
        for r in rows
        for rate, inputs in RATES.items()
        if any((r["region_code"], i) in hidden for i in inputs)
    }


#: columns in the order they are given up for complementary suppression: details first, the
#: headline figures (应参保, 已参保, 未参保) last
_GIVE_UP_ORDER = (
    "excluded_count", "resident_enrolled_count", "employee_enrolled_count",
    "enrolled_elsewhere_count", "premium_paid_count", "roster_count", "enrolled_count",
    "not_enrolled_count", "eligible_count",
)  # fmt: skip


def cost(rows: Sequence[Mapping]):
    """The cost of hiding a cell: townships before counties, then by _GIVE_UP_ORDER, then the
    smaller count."""
    level = {r["region_code"]: 0 if r["region_level"] == "township" else 1 for r in rows}
    values = cells(rows)
    return lambda cell: (level[cell[0]], _GIVE_UP_ORDER.index(cell[1]), values[cell])
