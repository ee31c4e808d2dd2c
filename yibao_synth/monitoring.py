"""Swings for the monthly monitoring (运行预警, S6.2, S7) and the alerts they must raise.

Each city (generator chunk) has, from its second month on, a swing in about one month of three
in one of its counties: an inpatient surge (four times the usual inpatient stays) or a one-stop
outage (most settlements not settled one-stop). The month after, things return to normal, which
is a swing too. The truth of the alerts is computed here from the written settlements with the
thresholds of seeds/ref_monitoring_thresholds.csv (kept equal by tests/test_policy_parameters.py):
the injected swings are among them, and so is any natural swing big enough.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# indicator → (change measure, threshold, base indicator, minimum previous base)
THRESHOLDS = {
    "inpatient_visits": ("relative", Decimal("0.50"), "inpatient_visits", 30),
    "inpatient_persons": ("relative", Decimal("0.50"), "inpatient_persons", 30),
    "outpatient_visits": ("relative", Decimal("0.50"), "outpatient_visits", 100),
    "one_stop_rate": ("absolute", Decimal("0.20"), "visits", 100),
    "out_of_area_instant_rate": ("absolute", Decimal("0.30"), "out_of_area_visits", 30),
}
SURGE_FACTOR = 4
OUTAGE_ONE_STOP_RATE = 0.2
SWING_INDICATOR = {"inpatient_surge": "inpatient_visits", "one_stop_outage": "one_stop_rate"}


def swing(seed: int, counties: list[str], m: int) -> tuple[str, str] | None:
    """The swing of a city in month m, as (kind, county), or None. Never in the month after a
    swing: a surge two months running would not rise month over month the second time."""
    if m == 0 or swing(seed, counties, m - 1) is not None:
        return None
    return _drawn(seed, counties, m)


def _drawn(seed: int, counties: list[str], m: int) -> tuple[str, str] | None:
    rng = np.random.default_rng([seed, 700, m])
    if rng.random() >= 0.34:
        return None
    kind = ("inpatient_surge", "one_stop_outage")[int(rng.integers(0, 2))]
    return kind, counties[int(rng.integers(0, len(counties)))]


class MonitoringTotals:
    """Every written settlement's month, person, insuring county and kind, kept until the end."""

    def __init__(self) -> None:
        self.parts: list[pa.Table] = []

    def add(self, month: str, table: pa.Table) -> None:
        psn = table["psn_no"]
        self.parts.append(pa.table({
            "month": pa.array([month] * table.num_rows, pa.string()),
            "setl_id": table["setl_id"],
            "person_uid": table["person_uid"],
            "county": pc.utf8_slice_codeunits(psn, 0, 6),
            "inpatient": pc.is_in(table["med_type"], pa.array(["21", "52"])),
            "one_stop": pc.equal(table["onestop_flag"], "1"),
            "out_of_area": pc.not_equal(pc.utf8_slice_codeunits(table["mdtrtarea_admvs"], 0, 4),
                                        pc.utf8_slice_codeunits(psn, 0, 4)),
            "reversal": pc.equal(table["refd_setl_flag"], "1"),
        }))

    def alerts(self) -> dict[str, list[tuple[str, str, str, str]]]:
        """month → [(region level, region code, indicator, detail)] of the alerts to expect."""
        if not self.parts:
            return {}
        con = duckdb.connect()
        try:
            con.register("written", pa.concat_tables(self.parts))
            counts = con.sql("""
                with standing as (
                    -- a month's care as that month knows it: a reversal delivered later
                    -- counts in its own month and does not restate this one
                    select * from written w where not reversal
                      and setl_id not in (select setl_id from written r
                                          where r.reversal and r.month = w.month)
                ), per_county as (
                    select month, county,
                        count(*) as visits,
                        count(*) filter (where not inpatient) as outpatient_visits,
                        count(*) filter (where inpatient) as inpatient_visits,
                        count(distinct person_uid) filter (where inpatient) as inpatient_persons,
                        count(*) filter (where one_stop) as one_stop_visits,
                        count(*) filter (where out_of_area) as out_of_area_visits,
                        count(*) filter (where out_of_area and one_stop) as oa_one_stop
                    from standing group by all
                ), levels as (
                    select 'county' as level, county as region, * exclude (county)
                    from per_county
                    union all
                    select 'city', left(county, 4), * exclude (county) from per_county
                    union all
                    select 'province', left(county, 2), * exclude (county) from per_county
                )
                select level, region, month, sum(visits), sum(outpatient_visits),
                    sum(inpatient_visits), sum(inpatient_persons), sum(one_stop_visits),
                    sum(out_of_area_visits), sum(oa_one_stop)
                from levels group by all order by level, region, month
            """).fetchall()
        finally:
            con.close()
        months = sorted({r[2] for r in counts})
        values: dict[tuple[str, str, str], dict[str, Decimal | int | None]] = {}
        for level, region, month, vis, out, inp, persons, one, oa, oa_one in counts:
            values[(level, region, month)] = {
                "visits": int(vis), "outpatient_visits": int(out), "inpatient_visits": int(inp),
                "inpatient_persons": int(persons), "out_of_area_visits": int(oa),
                "one_stop_rate": _rate(int(one), int(vis)),
                "out_of_area_instant_rate": _rate(int(oa_one), int(oa)),
            }
        out: dict[str, list[tuple[str, str, str, str]]] = {}
        for (level, region, month), now in sorted(values.items()):
            i = months.index(month)
            before = values.get((level, region, months[i - 1])) if i else None
            if before is None:
                continue
            for indicator, (measure, threshold, base, minimum) in THRESHOLDS.items():
                if before[base] is None or before[base] < minimum:
                    continue
                old, new = before[indicator], now[indicator]
                if old is None or new is None:
                    continue
                if measure == "relative":
                    if old == 0:
                        continue
                    change = _rate(abs(new - old), old)
                else:
                    change = abs(Decimal(new) - Decimal(old))
                if change > threshold:
                    out.setdefault(month, []).append(
                        (level, region, indicator, f"{old} → {new}"))
        return out


def _rate(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator rounded half up to 4 places, as the warehouse's ratio()."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP)


def truth_rows(month: str, alerts: list[tuple[str, str, str, str]],
               swings: list[tuple[str, str]]) -> pa.Table:
    """Truth rows: the expected alerts (monitoring) and the injected swings (monitoring_swing)."""
    rows = [("monitoring_alert", "monitoring", f"{level} {region} {indicator}", detail)
            for level, region, indicator, detail in alerts]
    rows += [("monitoring_swing", "monitoring_swing", f"county {county} {SWING_INDICATOR[kind]}",
              kind) for kind, county in swings]
    n = len(rows)
    return pa.table({
        "kind": pa.array([r[0] for r in rows], pa.string()),
        "grp": pa.array([r[1] for r in rows], pa.string()),
        "expected_table": pa.array(["fct_monitoring_alert"] * n, pa.string()),
        "person_uid": pa.nulls(n, pa.int64()),
        "department": pa.array(["healthcare"] * n, pa.string()),
        "source_file": pa.nulls(n, pa.string()),
        "row_number": pa.nulls(n, pa.int64()),
        "column_name": pa.array([r[2] for r in rows], pa.string()),
        "delivered_value": pa.nulls(n, pa.string()),
        "detail": pa.array([r[3] for r in rows], pa.string()),
    })
