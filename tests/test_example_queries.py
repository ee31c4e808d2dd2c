"""The analysts' ten example questions (issue 11, part 4) run on the small tier through the
sealed read-only connection and give answers that agree with the marts; the generated data
dictionary and examples page are current."""

from __future__ import annotations

import pytest

from yibao import docs_gen
from yibao.analyst import connect

pytestmark = pytest.mark.slow

QUERIES = docs_gen.example_queries()


def test_there_are_ten_questions_each_with_its_policy_basis():
    assert len(QUERIES) == 10
    for name, fields, sql in QUERIES:
        assert fields.get("question") and fields.get("问题") and fields.get("answers"), name
        assert sql.lower().startswith("select"), name


@pytest.fixture(scope="module")
def con(small_warehouse):
    connection = connect(small_warehouse / "warehouse.duckdb")
    yield connection
    connection.close()


@pytest.mark.parametrize(("name", "sql"), [(q[0], q[2]) for q in QUERIES])
def test_each_question_runs_and_finds_something(con, name, sql):
    rows = con.execute(sql).fetchall()
    assert rows, f"{name} found nothing on the small tier"


def _answer(con, name: str) -> list[tuple]:
    sql = next(q[2] for q in QUERIES if q[0] == name)
    return con.execute(sql).fetchall()


def test_the_answers_agree_with_the_findings(con):
    latest = con.execute("select max(delivery_month) from marts.fct_coverage_monthly").fetchone()[0]
    open_findings, new_findings = con.execute(
        "select count(*) filter (where status <> 'resolved'), count(*) filter (where status = "
        "'new') from marts.fct_reconciliation_finding where delivery_month = ? and "
        "finding_category = 'poor_not_enrolled'",
        [latest],
    ).fetchone()
    by_county = _answer(con, "01_coverage_by_county.sql")
    assert sum(row[4] for row in by_county) == open_findings > 0
    rates = [row[5] for row in by_county]
    assert rates == sorted(rates)
    assert len(_answer(con, "02_new_poor_not_enrolled.sql")) == new_findings > 0


def test_the_generated_pages_are_current():
    assert docs_gen.main(["--check"]) == 0
