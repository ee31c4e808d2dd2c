"""The analyst mart fct_id_anomaly holds exactly the ID anomalies the generator injected
(POLICY_RULES §4)."""

from __future__ import annotations

from collections import Counter

import duckdb
import pyarrow.csv as pacsv
import pytest

from yibao_synth.ids import check_chars


@pytest.fixture(scope="module")
def truth_and_found(small_tier, small_warehouse):
    truth = []
    for month in small_tier.months:
        table = pacsv.read_csv(
            small_tier.out / "truth" / month / "problems.csv",
            convert_options=pacsv.ConvertOptions(strings_can_be_null=True),
        )
        truth += [
            (r["kind"], r["source_file"], int(r["row_number"]))
            for r in table.to_pylist()
            if r["grp"] == "id_anomaly"
        ]
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        found = con.execute("""select anomaly_kind, source_file, source_row_number
                               from marts.fct_id_anomaly""").fetchall()
    return truth, found


def test_every_injected_anomaly_is_found_and_nothing_else(truth_and_found):
    truth, found = truth_and_found
    assert Counter(k for k, _, _ in found) == Counter(k for k, _, _ in truth)
    assert set(found) == set(truth)
    assert len(found) == len(set(found))


def test_the_sql_check_digit_agrees_with_the_reference_algorithm(small_warehouse):
    """The SQL check character (macro id_check_char) against the generator's numpy one, on every
    well-formed ID the warehouse saw."""
    with duckdb.connect(str(small_warehouse / "restricted.duckdb"), read_only=True) as con:
        rows = con.execute("""select id_number_18, is_check_char_correct
                              from intermediate.int_id_number_checks
                              where is_well_formed""").fetchall()
    import numpy as np

    bodies = np.array([int(r[0][:17]) for r in rows], dtype=np.int64)
    expected = check_chars(bodies)
    assert [r[1] for r in rows] == [r[0][17] == e for r, e in zip(rows, expected, strict=True)]
    assert sum(not r[1] for r in rows) > 0
