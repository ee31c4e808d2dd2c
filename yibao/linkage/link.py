"""Run the Splink model over the leftover records and store each one's best candidate.

Input: the dbt models `int_linkage_months` (the months to link this run),
`int_linkage_leftovers` and `int_linkage_candidates` (the people known in each linked month),
all restricted.
Output: `linkage.probabilistic_matches`, one row per leftover that has a candidate with a match
probability of at least `STORED_MINIMUM`: the best candidate and its probability. dbt decides
what counts as a link (the `linkage_match_threshold` var), so the threshold can change without
re-running Splink.

Month by month, as of the month: a month's leftovers are linked to the people known up to that
month, with a model trained on that month, and its rows replace the month's earlier rows. The
other months' rows stay, so a month's links never change when later months arrive, and a
month built incrementally links exactly as a full refresh does.

The model is trained without labels: the chance that two random records match
from deterministic rules, u values from pairs of different persons, m values by expectation
maximisation within two blocks.

The u sample is ours, not Splink's random sampling: two disjoint sets of about
`U_SAMPLE_PER_SIDE` candidate persons each, chosen by an MD5 bucket of the ID number that
DuckDB and Spark compute alike, and every pair between them. Splink's own sampling hashes with
each engine's `hash()`, so it picks other rows on each engine and the probabilities would
differ; with this sample both engines train the same model (tests/test_spark_equality.py). All
its pairs are pairs of different persons, which is what u measures.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from splink import DuckDBAPI, Linker, block_on
from splink.internals.database_api import DatabaseAPISubClass

from yibao.crashpoints import crash_point

from .model import SAME_FIRST_17, settings

STORED_MINIMUM = 0.5
SEED = 20200630
U_SAMPLE_PER_SIDE = 1000
WORK_SCHEMA = "linkage_work"
OUTPUT_TABLE = "linkage.probabilistic_matches"
U_SAMPLE_TABLES = ("linkage_u_sample_a", "linkage_u_sample_b")

MONTHS_QUERY = "select link_month from {schema}.int_linkage_months order by link_month"
LEFT_QUERY = """
    select source_file || '#' || source_row_number as record_id,
        id_number, person_name, birth_digits, county_code, household_head_id
    from {schema}.int_linkage_leftovers
    where delivery_month = '{month}'"""
RIGHT_QUERY = """
    select id_number as record_id,
        id_number, person_name, birth_digits, county_code, household_head_id
    from {schema}.int_linkage_candidates
    where link_month = '{month}'"""
#: the output's columns, the partition column (the leftover's month) last for Spark
OUTPUT_COLUMNS = (
    ("source_file", "varchar"),
    ("source_row_number", "bigint"),
    ("matched_id_number", "varchar"),
    ("match_probability", "double"),
    ("match_weight", "double"),
    ("delivery_month", "varchar"),
)

# Two disjoint sides of the u sample: candidates whose MD5 bucket (8 hex digits, compared as
# text, portable) falls in [{low}, {middle}) and in [{middle}, {high}).
_U_SIDE = """
    select id_number as record_id,
        id_number, person_name, birth_digits, county_code, household_head_id
    from {schema}.int_linkage_candidates
    where link_month = '{month}'
        and substr(md5(id_number || ':{seed}'), 1, 8) >= '{low}'
        and substr(md5(id_number || ':{seed}'), 1, 8) < '{high}'"""

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
    months: int = 1

    def plus(self, other: LinkageSummary) -> LinkageSummary:
        return LinkageSummary(
            self.leftovers + other.leftovers,
            max(self.candidates, other.candidates),
            self.stored + other.stored,
            self.seconds + other.seconds,
            self.months + other.months,
        )


NOTHING = LinkageSummary(0, 0, 0, 0.0, 0)


def u_sample_queries(source_schema: str, candidates: int, month: str) -> tuple[str, str]:
    """The queries of the two sides of the u sample (see the module's docstring)."""
    share = min(0.5, U_SAMPLE_PER_SIDE / max(candidates, 1))
    middle = int(share * 16**8)
    bounds = [f"{b:08x}" for b in (0, middle, min(2 * middle, 16**8 - 1))]
    return tuple(
        _U_SIDE.format(schema=source_schema, seed=SEED, low=low, high=high, month=month)
        for low, high in (bounds[0:2], bounds[1:3])
    )


def _ensure_output(con: duckdb.DuckDBPyConnection) -> None:
    """The output table, with the leftover's month; a table of an older release (without the
    month) is replaced: run that warehouse once with `yibao run --full-refresh`."""
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = ? "
            "and table_name = ? order by ordinal_position",
            OUTPUT_TABLE.split("."),
        ).fetchall()
    ]
    if columns != [name for name, _ in OUTPUT_COLUMNS]:
        listed = ", ".join(f"{name} {kind}" for name, kind in OUTPUT_COLUMNS)
        con.execute(f"create or replace table {OUTPUT_TABLE} ({listed})")


def link_leftovers(
    con: duckdb.DuckDBPyConnection,
    source_schema: str = "intermediate",
    model_json: Path | None = None,
) -> LinkageSummary:
    """Link the leftovers of every month of `int_linkage_months` in `con` (the restricted
    database), each month replacing its rows of the output table.

    Not one transaction: Splink's own failed probes would abort it. A crash part-way leaves
    some months re-linked and the rest to do; the next run links the same months again (the
    months to link are dbt's, and dbt has not moved on), so it converges."""
    months = [row[0] for row in con.execute(MONTHS_QUERY.format(schema=source_schema)).fetchall()]
    con.execute("create schema if not exists linkage")
    _ensure_output(con)
    return link_each_month(
        months, lambda month, json: _link_month(con, source_schema, month, json), model_json
    )


def link_each_month(
    months: list[str],
    link_month: Callable[[str, Path | None], LinkageSummary],
    model_json: Path | None,
) -> LinkageSummary:
    """Link `months` in order with `link_month(month, model_json)`, on either engine; the model
    is written for the last month only. The summaries add up."""
    summary = NOTHING
    for month in months:
        summary = summary.plus(link_month(month, model_json if month == months[-1] else None))
    return summary


def _link_month(
    con: duckdb.DuckDBPyConnection, source_schema: str, month: str, model_json: Path | None
) -> LinkageSummary:
    started = time.perf_counter()
    con.execute(f"delete from {OUTPUT_TABLE} where delivery_month = ?", [month])
    con.execute(f"drop schema if exists {WORK_SCHEMA} cascade")
    con.execute(f"create schema {WORK_SCHEMA}")
    try:
        left, right = (
            q.format(schema=source_schema, month=month) for q in (LEFT_QUERY, RIGHT_QUERY)
        )
        con.execute(f"create or replace temp table linkage_left as {left}")
        con.execute(f"create or replace temp table linkage_right as {right}")
        leftovers, candidates = con.execute(
            "select (select count(*) from linkage_left), (select count(*) from linkage_right)"
        ).fetchall()[0]
        if leftovers == 0 or candidates == 0:
            return LinkageSummary(leftovers, candidates, 0, time.perf_counter() - started)
        samples = u_sample_queries(source_schema, candidates, month)
        for name, query in zip(U_SAMPLE_TABLES, samples, strict=True):
            con.execute(f"create or replace temp table {name} as {query}")
        db_api = DuckDBAPI(connection=con, output_schema=WORK_SCHEMA)
        predictions = train_and_predict(db_api, model_json)
        output = best_matches(predictions, source_schema, month)
        stored = con.execute(f"insert into {OUTPUT_TABLE} {output}").fetchall()[0][0]
        return LinkageSummary(leftovers, candidates, stored, time.perf_counter() - started)
    finally:
        con.execute(f"drop schema if exists {WORK_SCHEMA} cascade")
        for name in ("linkage_left", "linkage_right", *U_SAMPLE_TABLES):
            con.execute(f"drop table if exists {name}")


def best_matches(predictions: str, source_schema: str, month: str) -> str:
    """The query of a month's output rows: each leftover's best candidate, in a portable SQL,
    in the order of OUTPUT_COLUMNS."""
    return f"""
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
                best.match_weight, leftovers.delivery_month
            from best
            join {source_schema}.int_linkage_leftovers as leftovers
                on leftovers.source_file || '#' || leftovers.source_row_number = best.leftover_id
            where best.candidate_rank = 1
                and leftovers.delivery_month = '{month}'
            order by leftovers.source_file, leftovers.source_row_number"""


def _model_with_sampled_u(db_api: DatabaseAPISubClass) -> dict:
    """The untrained model with u values from the u sample for every comparison but the ID's,
    whose u values are set in yibao.linkage.model."""
    sample = [
        db_api.register(name, dataset_display_name=name.removeprefix("linkage_"))
        for name in U_SAMPLE_TABLES
    ]
    model = Linker(sample, settings(), log_level=logging.ERROR).misc.save_model_to_json()
    u_linker = Linker(sample, settings(with_id=False), log_level=logging.ERROR)
    # Far more pairs allowed than the sample has, so Splink takes every pair and samples
    # nothing; one chunk and no early stop, because Splink chunks by the engine's hash().
    u_linker.training.estimate_u_using_random_sampling(
        max_pairs=1e12, num_chunks=1, min_count_per_level=None
    )
    sampled = {
        comparison["output_column_name"]: comparison
        for comparison in u_linker.misc.save_model_to_json()["comparisons"]
    }
    model["comparisons"] = [
        sampled.get(comparison["output_column_name"], comparison)
        for comparison in model["comparisons"]
    ]
    return model


def train_and_predict(db_api: DatabaseAPISubClass, model_json: Path | None) -> str:
    """Train the model on the registered tables `linkage_left`, `linkage_right` and the u sample,
    save it to `model_json` if given, and return the predictions' table name. The same calls on
    every engine."""
    with_u = _model_with_sampled_u(db_api)
    left = db_api.register("linkage_left", dataset_display_name="leftovers")
    right = db_api.register("linkage_right", dataset_display_name="candidates")
    linker = Linker([left, right], with_u, log_level=logging.ERROR)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [SAME_FIRST_17, block_on("person_name", "county_code", "birth_digits")], recall=0.9
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("person_name", "county_code")
    )
    training.estimate_parameters_using_expectation_maximisation(SAME_FIRST_17)
    if model_json is not None:
        partial = model_json.with_name(f".{model_json.name}.partial")
        linker.misc.save_model_to_json(str(partial), overwrite=True)
        crash_point("linkage.model_written")
        os.replace(partial, model_json)
    predictions = linker.inference.predict(threshold_match_probability=STORED_MINIMUM)
    return predictions.physical_name
