"""The bad-input corpus (issue 9, part 1): every case of corpus.py loads, quarantines or refuses
exactly as docs/bad-input.md says, never with any other exception, and never losing a row:
loaded + rejected = delivered for every file, and a refused month leaves the month before it
as it was."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from corpus import CASES, MONTH
from make_corpus import generate_base, markdown, write_case

from yibao import contracts as C
from yibao.ingest import ContractError, load_month

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "2019-11"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict[str, Path]:
    """The clean tiny tier, a database with its first month loaded, and one with both."""
    folder = tmp_path_factory.mktemp("faults")
    landing = generate_base(folder / "clean")
    first = folder / "first.duckdb"
    with duckdb.connect(str(first)) as con:
        load_month(con, landing, BEFORE)
    both = folder / "both.duckdb"
    shutil.copyfile(first, both)
    with duckdb.connect(str(both)) as con:
        load_month(con, landing, MONTH)
    return {"landing": landing, "first": first, "both": both, "folder": folder}


def _rows(con, month: str) -> int:
    return sum(con.execute(f"select count(*) from raw.{k.raw_table} where _delivery_month = ?",
                           [month]).fetchall()[0][0] for k in C.MONTHLY_KINDS)


def _balanced(con) -> None:
    for kind, source, delivered, loaded, rejected in con.execute(
            "select kind, source_file, rows_delivered, rows_loaded, rows_rejected "
            "from raw.load_log where status = 'loaded'").fetchall():
        in_raw = con.execute(f"select count(*) from raw.raw_{kind} where _source_file = ?",
                             [source]).fetchall()[0][0]
        in_rejects = con.execute("select count(*) from raw.rejects where source_file = ?",
                                 [source]).fetchall()[0][0]
        assert (loaded, rejected, loaded + rejected) == (in_raw, in_rejects, delivered), source


def _values(con, case, columns) -> set:
    kind = next(k for k in C.MONTHLY_KINDS if Path(case.target).name.startswith(k.name))
    listed = ", ".join(f'"{c}"' for c in columns)
    return set(con.execute(
        f"select {listed} from raw.{kind.raw_table} where _delivery_month = ? "
        "and _source_file like ?", [MONTH, f"%{Path(case.target).name}"]).fetchall())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_behaves_as_documented(case, base, tmp_path):
    landing = write_case(base["landing"], case, tmp_path)
    database = tmp_path / "restricted.duckdb"
    shutil.copyfile(base["first"], database)
    with duckdb.connect(str(database)) as con:
        before = _rows(con, BEFORE)
        if case.expect == "refused":
            with pytest.raises(ContractError) as refused:
                load_month(con, landing, MONTH)
            message = str(refused.value)
            assert Path(case.target).name in message and case.message in message, message
            if case.row is not None:
                assert f"row {case.row}" in message, message
            if case.column is not None:
                assert f"column {case.column}" in message, message
            assert (_rows(con, BEFORE), _rows(con, MONTH)) == (before, 0)
            return
        load_month(con, landing, MONTH)  # any exception here fails the case
        _balanced(con)
        rejects = con.execute(
            "select row_number, column_name from raw.rejects where delivery_month = ? "
            "and source_file like ?", [MONTH, f"%{Path(case.target).name}"]).fetchall()
        assert _rows(con, BEFORE) == before
        if case.expect == "quarantined":
            assert len(rejects) == case.rejected, rejects
            if case.row is not None:
                assert case.row in {r for r, _ in rejects}, rejects
            if case.column is not None:
                assert {c for _, c in rejects} == {case.column}, rejects
            return
        assert rejects == []
        if case.same_values:
            with duckdb.connect(str(base["both"]), read_only=True) as clean:
                expected = _values(clean, case, case.same_values)
            assert _values(con, case, case.same_values) == expected


def test_the_corpus_is_large_and_covers_every_outcome():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.expect for c in CASES} == {"normalised", "quarantined", "refused"}


def test_docs_list_every_case_with_its_behaviour():
    doc = (ROOT / "docs" / "bad-input.md").read_text(encoding="utf-8")
    table = markdown()
    assert table in doc, "regenerate the table: python tests/faults/make_corpus.py --markdown"
    assert not re.search(r"\| `[a-z0-9_]+` \|", doc.replace(table, ""))


def test_the_operator_sees_the_refusal_not_a_traceback(base, tmp_path, capsys):
    """Through `yibao run`: exit status 1, the file, row and column on stderr, no traceback."""
    import io

    from yibao.run import run_pipeline

    renamed = next(c for c in CASES if c.name == "tax_renamed_column")
    landing = write_case(base["landing"], renamed, tmp_path)
    out = io.StringIO()
    assert run_pipeline(landing, tmp_path / "warehouse.duckdb", months=[MONTH], out=out) == 1
    said = capsys.readouterr().err
    assert f"month {MONTH} refused: ContractError: landing/{MONTH}/{renamed.target}, row 1, " \
           f"column 缴费日期: missing column(s) 缴费日期" in said, said
    assert "Traceback" not in said + out.getvalue()


def test_the_warehouse_reports_the_unknown_township(tiny_pipeline):
    """The township case through the whole pipeline (the tiny tier's second month carries it):
    the row is loaded and fct_region_name_finding names its file and row."""
    township = next(c for c in CASES if c.name == "civil_unknown_township")
    with duckdb.connect(str(tiny_pipeline.complete / "warehouse.duckdb"), read_only=True) as con:
        found = con.execute(
            "select source_file, source_row_number, resolution_problem from "
            "marts.fct_region_name_finding where township_name = '不存在乡'").fetchall()
    assert found == [(f"{MONTH}/{township.target}", 2, "township_unresolved")]
