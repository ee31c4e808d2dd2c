"""Run the Splink model over the leftover records and store each one's best candidate.

Input: the dbt models `int_linkage_leftovers` and `int_linkage_candidates` (restricted).
Output: `linkage.probabilistic_matches`, one row per leftover that has a candidate with a match
probability of at least `STORED_MINIMUM`: the best candidate and its probability. dbt decides
what counts as a link (the `linkage_match_threshold` var), so the threshold can change without
re-running Splink.

The model is trained on every run, without labels: the chance that two random records match
from deterministic rules, u values by random sampling (seeded, so a re-run gives the same
links), m values by expectation maximisation within two blocks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
from splink import DuckDBAPI, Linker, block_on

from .model import SAME_FIRST_17, settings

STORED_MINIMUM = 0.5
SEED = 20200630
WORK_SCHEMA = "linkage_work"
OUTPUT_TABLE = "linkage.probabilistic_matches"

_LEFT = """
    select source_file || '#' || source_row_number as record_id,
        id_number, person_name, birth_digits, county_code, household_head_id
    from {schema}.int_linkage_leftovers"""
_RIGHT = """
    select id_number as record_id,
        id_number, person_name, birth_digits, county_code, household_head_id
    from {schema}.int_linkage_candidates"""

# Splink orders each pair by source dataset name, so a leftover can be on either side.
_ORIENTED = """
    select
        case when source_dataset_l = 'leftovers' then record_id_l else record_id_r end
            as leftover_id,
        case when source_dataset_l = 'leftovers' then record_id_r else record_id_l end
            as candidate_id,
        match_probability, match_weight
    from {predictions}"""


@dataclass(frozen=True)
class LinkageSummary:
    leftovers: int
    candidates: int
    stored: int
    seconds: float


def _empty_output(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"""create or replace table {OUTPUT_TABLE} (
            source_file varchar, source_row_number bigint, matched_id_number varchar,
            match_probability double, match_weight double)"""
    )


def link_leftovers(
    con: duckdb.DuckDBPyConnection,
    source_schema: str = "intermediate",
    model_json: Path | None = None,
) -> LinkageSummary:
    """Link the leftovers in `con` (the restricted database) and replace the output table."""
    started = time.perf_counter()
    con.execute("create schema if not exists linkage")
    con.execute(f"drop schema if exists {WORK_SCHEMA} cascade")
    con.execute(f"create schema {WORK_SCHEMA}")
    try:
        con.execute(
            f"create or replace temp table linkage_left as {_LEFT.format(schema=source_schema)}"
        )
        con.execute(
            f"create or replace temp view linkage_right as {_RIGHT.format(schema=source_schema)}"
        )
        leftovers, candidates = con.execute(
            "select (select count(*) from linkage_left), (select count(*) from linkage_right)"
        ).fetchall()[0]
        if leftovers == 0 or candidates == 0:
            _empty_output(con)
            return LinkageSummary(leftovers, candidates, 0, time.perf_counter() - started)
        predictions = _predict(con, model_json)
        con.execute(
            f"""create or replace table {OUTPUT_TABLE} as
            with pairs as (
                {_ORIENTED.format(predictions=predictions)}
            ),
            best as (
                select *, row_number() over (
                    partition by leftover_id order by match_probability desc, candidate_id
                ) as candidate_rank
                from pairs
            )
            select leftovers.source_file, leftovers.source_row_number,
                best.candidate_id as matched_id_number, best.match_probability,
                best.match_weight
            from best
            join {source_schema}.int_linkage_leftovers as leftovers
                on leftovers.source_file || '#' || leftovers.source_row_number = best.leftover_id
            where best.candidate_rank = 1
            order by leftovers.source_file, leftovers.source_row_number"""
        )
        stored = con.execute(f"select count(*) from {OUTPUT_TABLE}").fetchall()[0][0]
        return LinkageSummary(leftovers, candidates, stored, time.perf_counter() - started)
    finally:
        con.execute(f"drop schema if exists {WORK_SCHEMA} cascade")
        con.execute("drop table if exists linkage_left")
        con.execute("drop view if exists linkage_right")


def _predict(con: duckdb.DuckDBPyConnection, model_json: Path | None) -> str:
    db_api = DuckDBAPI(connection=con, output_schema=WORK_SCHEMA)
    left = db_api.register("linkage_left", dataset_display_name="leftovers")
    right = db_api.register("linkage_right", dataset_display_name="candidates")
    linker = Linker([left, right], settings(), log_level=logging.ERROR)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [SAME_FIRST_17, block_on("person_name", "county_code", "birth_digits")], recall=0.9
    )
    training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("person_name", "county_code")
    )
    training.estimate_parameters_using_expectation_maximisation(SAME_FIRST_17)
    if model_json is not None:
        linker.misc.save_model_to_json(str(model_json), overwrite=True)
    predictions = linker.inference.predict(threshold_match_probability=STORED_MINIMUM)
    return predictions.physical_name
