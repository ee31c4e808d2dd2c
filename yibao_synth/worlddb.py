"""Load the world into an in-memory DuckDB, where the monthly files and the truth are queries."""

from __future__ import annotations

import os

import duckdb
import numpy as np
import pyarrow as pa

from yibao import contracts as C

from .calendar import month_end, month_start
from .people import RELATIONS
from .world import World


def world_connection(
    world: World, threads: int = 2, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory database that spills to a temp directory beyond `memory_limit`
    (default: env YIBAO_GENERATOR_MEMORY, else 4GB)."""
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    limit = memory_limit or os.environ.get("YIBAO_GENERATOR_MEMORY", "4GB")
    con.execute(f"set memory_limit = '{limit}'")
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    pop = world.pop
    regions = pop.regions
    counties = regions.counties
    n = pop.n

    county_t = pa.table(
        {
            "county_idx": pa.array(np.arange(len(counties))),
            "county_code": pa.array([c.code for c in counties]),
            "county_name": pa.array([c.name for c in counties]),
            "county_abbr": pa.array([c.abbreviation for c in counties]),
            "city_code": pa.array([c.city_code for c in counties]),
            "city_name": pa.array([c.city_name for c in counties]),
            "province_code": pa.array([c.province_code for c in counties]),
            "province_name": pa.array([c.province_name for c in counties]),
        }
    )
    village_t = pa.table(
        {
            "village_idx": pa.array(np.arange(len(regions.village_code))),
            "village_code": pa.array(regions.village_code),
            "village_name": pa.array(regions.village_name),
            "township_code": pa.array(regions.township_code[regions.village_township]),
            "township_name": pa.array(regions.township_name[regions.village_township]),
        }
    )
    status_names = np.array(C.PERSON_STATUSES)
    person_t = pa.table(
        {
            "person_uid": pa.array(np.arange(n)),
            "household": pa.array(pop.household),
            "head_uid": pa.array(pop.head),
            "county_idx": pa.array(pop.county),
            "village_idx": pa.array(pop.village),
            "relation": pa.array(RELATIONS[pop.relation]),
            "male": pa.array(pop.male),
            "birth": pa.array(pop.birth),
            "id18": pop.id18,
            "name": pop.name,
            "ethnicity": pop.ethnicity,
            "phone": pop.phone,
            "status": pa.array(status_names[world.status]),
            "status_m": pa.array(world.status_m),
            "status_date": pa.array(world.status_date),
            "roster_shows_status": pa.array(world.roster_shows_status),
            "insured_flag_wrong": pa.array(world.insured_flag_wrong),
            "twin_of": pa.array(pop.twin_of),
            "u": pa.array(np.random.default_rng([world.seed, 7]).random(n)),  # per-person dice
        }
    )
    hh = np.arange(len(world.hh_attr))
    attr = np.where(world.hh_attr >= 0, world.hh_attr, 0)
    household_t = pa.table(
        {
            "household": pa.array(hh),
            "poor": pa.array(world.hh_attr >= 0),
            "attr": pa.array(np.array(C.POVERTY_ATTRIBUTES)[attr]),
            "exited_before": pa.array(world.hh_status == 1),
            "exit_year": pa.array(world.hh_exit_year),
            "exit_m": pa.array(world.hh_exit_m),
            "monitor": pa.array(
                np.where(
                    world.hh_monitor >= 0,
                    np.array(C.MONITORING_CATEGORIES)[np.maximum(world.hh_monitor, 0)],
                    None,
                )
            ),
            "cause": pa.array(np.array(C.POVERTY_CAUSES)[world.hh_cause]),
            "hh_from": pa.array(world.hh_from),
        }
    )
    months_t = pa.table(
        {
            "m": pa.array(np.arange(world.n_months)),
            "month": pa.array(world.months),
            "month_start": pa.array(np.array([month_start(m) for m in world.months])),
            "month_end": pa.array(np.array([month_end(m) for m in world.months])),
        }
    )
    tables = {
        "counties": county_t,
        "villages": village_t,
        "persons": person_t,
        "households": household_t,
        "months": months_t,
        "memberships": world.memberships,
        "enrolment_spec": world.enrolment,
        "identity_drop": world.identity_drop,
        "extra_identities": world.extra_identities,
        "id_faults": world.id_faults,
        "duplicate_rows": world.duplicate_rows,
        "extra_payers": pa.table({"person_uid": pa.array(world.extra_payers, pa.int64())}),
    }
    # person and household numbers are global across the chunks of a tier
    offset = world.uid_offset
    shifted = {"person_uid", "household", "head_uid"}
    for name, table in tables.items():
        con.register(f"_{name}", table)
        columns = [
            f"{c} + {offset} as {c}" if c in shifted else c for c in table.column_names
        ]
        if name == "persons":
            columns = [c if c != "twin_of" else
                       f"case when twin_of >= 0 then twin_of + {offset} else -1 end as twin_of"
                       for c in columns]
        con.execute(f"create table {name} as select {', '.join(columns)} from _{name}")
        con.unregister(f"_{name}")
    con.execute("""
        create table people as
        select p.*, c.*, v.village_code, v.village_name, v.township_code, v.township_name
        from persons p join counties c using (county_idx) join villages v using (village_idx)
    """)
    return con
