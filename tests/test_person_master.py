"""The person master against the generator's ground truth: one dim_person row per true person,
linkage precision and recall, and person keys that stay put when a month is added.

The analyst warehouse has no ID numbers, so the tests join on what it does have: the delivered
file and row of every record (fct_person_link), which the truth's records.parquet also names.
"""

from __future__ import annotations

import duckdb
import pytest

PRECISION_GOAL = 0.99
RECALL_GOAL = 0.98


@pytest.fixture(scope="module")
def con(small_tier, small_warehouse):
    con = duckdb.connect()
    con.execute(f"attach '{small_warehouse / 'warehouse.duckdb'}' as wh (read_only)")
    con.execute(f"attach '{small_warehouse / 'after_two_months.duckdb'}' as before (read_only)")
    truth = small_tier.out / "truth"
    con.execute(
        f"""create table linked as
        select t.person_uid, l.*
        from wh.marts.fct_person_link l
        join read_parquet('{truth}/*/records.parquet') t
            on t.source_file = l.source_file and t.row_number = l.source_row_number"""
    )
    yield con
    con.close()


def _pairwise(con, where: str = "true") -> tuple[float, float]:
    """Pairwise precision and recall of records placed in the same person."""
    tp, predicted, actual = con.execute(
        f"""with cells as (
                select person_key, person_uid, count(*) as n from linked where {where} group by all
            ),
            by_key as (select sum(n) as n from cells group by person_key),
            by_uid as (select sum(n) as n from cells group by person_uid)
            select (select sum(n * (n - 1) / 2) from cells),
                   (select sum(n * (n - 1) / 2) from by_key),
                   (select sum(n * (n - 1) / 2) from by_uid)"""
    ).fetchall()[0]
    return tp / predicted, tp / actual


def test_every_delivered_person_record_is_linked(con):
    unjoined, total = con.execute(
        """select (select count(*) from wh.marts.fct_person_link) - (select count(*) from linked),
                  (select count(*) from linked)"""
    ).fetchall()[0]
    assert unjoined == 0 and total > 500_000


def test_one_dim_person_row_per_true_person(con):
    persons, true_persons, keys_per_uid = con.execute(
        """select (select count(*) from wh.marts.dim_person),
                  (select count(distinct person_uid) from linked),
                  (select max(n) from (select count(distinct person_key) as n
                                       from linked group by person_uid))"""
    ).fetchall()[0]
    assert keys_per_uid == 1
    assert persons == true_persons


def test_exact_id_people_are_counted_exactly(con):
    """People whose every record carries a valid ID need no probabilistic step: their count in
    dim_person is the truth's."""
    found, expected = con.execute(
        """with exact_only as (
               select person_uid from linked group by person_uid
               having bool_and(link_method in ('exact_id', 'person_number'))
           )
           select (select count(*) from wh.marts.dim_person where not has_probabilistic_link),
                  (select count(*) from exact_only)"""
    ).fetchall()[0]
    assert found == expected


def test_linkage_precision_and_recall_meet_the_goal(con):
    precision, recall = _pairwise(con)
    print(f"all records: pairwise precision {precision:.5f}, recall {recall:.5f}")
    assert precision >= PRECISION_GOAL and recall >= RECALL_GOAL


def test_probabilistic_links_are_right(con):
    """The records without a valid ID: each Splink link must point at the record's true person,
    and nearly every such record must be linked."""
    placed, right, leftovers = con.execute(
        """with leftover as (
               select * from linked where link_method in ('probabilistic', 'unlinked')
           ),
           owner as (  -- the true person behind each key, by its exact-ID records
               select person_key, min(person_uid) as person_uid from linked
               where link_method = 'exact_id' group by person_key
           )
           select count(*) filter (where l.link_method = 'probabilistic'),
                  count(*) filter (where l.link_method = 'probabilistic'
                                   and o.person_uid = l.person_uid),
                  count(*)
           from leftover l left join owner o on o.person_key = l.person_key"""
    ).fetchall()[0]
    print(f"leftover records {leftovers}, linked {placed}, correctly {right}")
    assert leftovers > 300
    assert right / placed >= PRECISION_GOAL
    assert placed / leftovers >= RECALL_GOAL


def test_person_keys_are_stable_when_a_month_arrives(con):
    """Every person of the two-month warehouse keeps its key after the third month."""
    before, kept = con.execute(
        """select count(*), count(*) filter (where b.person_key in
                  (select person_key from wh.marts.dim_person))
           from before.marts.dim_person b"""
    ).fetchall()[0]
    assert before > 100_000
    assert kept == before
    moved = con.execute(
        """select count(*) from before.marts.fct_person_link b
           join wh.marts.fct_person_link a using (source_file, source_row_number)
           where a.person_key <> b.person_key"""
    ).fetchall()[0][0]
    assert moved == 0
