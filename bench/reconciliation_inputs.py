"""The inputs of the reconciliation comparison, as Parquet: what the floor and the peer read.

From a warehouse the pipeline built: the month's raw tables as loaded (poverty roster,
assistance roster, enrolment; every delivered column as text, with the load metadata), the
month's Splink matches (the linkage step is not part of the comparison), and the seeds the rules
read. Also the pipeline's own answer, from its restricted intermediate tables, to compare with.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
RAW = {
    "poverty_roster": "raw.raw_poverty_roster",
    "assistance_roster": "raw.raw_assistance_roster",
    "enrolment": "raw.raw_enrolment",
}
SEEDS = {
    "region_codes": "ref_region_codes",
    "stop_reasons": "code_stop_reasons",
    "assistance_categories": "code_assistance_categories",
}


def write_inputs(restricted: Path, month: str, out: Path) -> dict[str, int]:
    """Write the inputs of `month` to `out`; rows per file."""
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    with duckdb.connect(str(restricted), read_only=True) as con:
        for name, table in RAW.items():
            query = f"select * from {table} where _delivery_month = '{month}'"
            rows[name] = _copy(con, query, out / f"{name}.parquet")
        query = f"select * from linkage.probabilistic_matches where delivery_month = '{month}'"
        rows["matches"] = _copy(con, query, out / "matches.parquet")
        for name, seed in SEEDS.items():
            csv = ROOT / "seeds" / f"{seed}.csv"
            query = f"select * from read_csv('{csv}', all_varchar = true)"
            if name != "region_codes":
                query = f"select * replace (cast(lower({_flag(name)}) = 'true' as boolean) as " \
                        f"{_flag(name)}) from ({query})"  # fmt: skip
            rows[name] = _copy(con, query, out / f"{name}.parquet")
    return rows


def _flag(name: str) -> str:
    return {"stop_reasons": "makes_ineligible", "assistance_categories": "is_poor_population"}[
        name
    ]


def _copy(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    return con.execute(f"copy ({query}) to '{path}' (format parquet)").fetchall()[0][0]


def pipeline_answer(restricted: Path, month: str):
    """The pipeline's coverage by county and poor_not_enrolled set for `month`, from its
    restricted intermediate tables (the same shape as the floor's and the peer's)."""
    with duckdb.connect(str(restricted), read_only=True) as con:
        counties = con.execute(f"""
            select county_code, count(*), count(*) filter (where not is_eligible),
                count(*) filter (where is_eligible),
                count(*) filter (where is_eligible and is_enrolled),
                count(*) filter (where is_eligible and not is_enrolled)
            from intermediate.int_person_month_coverage
            where delivery_month = '{month}'
            group by county_code order by county_code""").fetchall()
        not_enrolled = con.execute(f"""
            select county_code, person_cluster_id from intermediate.int_findings__coverage
            where delivery_month = '{month}' and finding_category = 'poor_not_enrolled'
            """).fetchall()
    return counties, set(not_enrolled)
