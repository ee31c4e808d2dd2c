"""person_key is HMAC-SHA256 with the secret from the environment, truncated to 128 bits, the
same in SQL and Python."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from yibao import pseudonym

DBT_DIR = Path(__file__).resolve().parents[1] / "dbt"
IDS = ["11010519491231002X", "530521195001010013", "33032419371226064X"]


def _sql_keys(tmp_path: Path, monkeypatch) -> list[str]:
    monkeypatch.setenv("YIBAO_RESTRICTED", str(tmp_path / "restricted.duckdb"))
    values = " union all ".join(f"select '{i}' as id_number, {n} as n" for n, i in enumerate(IDS))
    query = f"select {{{{ person_key('id_number') }}}} as k from ({values}) order by n"
    result = dbtRunner().invoke(
        [
            "show",
            "--inline",
            query,
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--quiet",
            "--output",
            "json",
        ]
    )
    assert result.success, result.exception
    return [row[0] for row in result.result.results[0].agate_table.rows]


def test_sql_hmac_equals_python_hmac_for_a_production_secret(tmp_path, monkeypatch):
    monkeypatch.setenv(pseudonym.SECRET_ENV, "a production secret of the province")
    for name in (pseudonym.IPAD_ENV, pseudonym.OPAD_ENV):  # restored after the test
        monkeypatch.setenv(name, "")
    pseudonym.export_for_dbt()
    secret = b"a production secret of the province"
    expected = [hmac.new(secret, i.encode(), hashlib.sha256).hexdigest()[:32] for i in IDS]
    assert _sql_keys(tmp_path, monkeypatch) == expected
    assert expected == [pseudonym.person_key(i) for i in IDS]


def test_the_dbt_defaults_are_the_development_secret(tmp_path, monkeypatch):
    monkeypatch.delenv(pseudonym.IPAD_ENV, raising=False)
    monkeypatch.delenv(pseudonym.OPAD_ENV, raising=False)
    expected = [pseudonym.person_key(i, pseudonym.DEVELOPMENT_SECRET.encode()) for i in IDS]
    assert _sql_keys(tmp_path, monkeypatch) == expected


def test_a_long_secret_is_hashed_first_as_rfc_2104_says():
    key = b"k" * 100
    full = hmac.new(key, b"x", hashlib.sha256).hexdigest()
    assert pseudonym.person_key("x", key) == full[:32]
    ipad, _ = pseudonym.padded_keys(key)
    assert bytes.fromhex(ipad)[:32] == bytes(b ^ 0x36 for b in hashlib.sha256(key).digest())


def test_the_development_secret_is_announced(monkeypatch):
    monkeypatch.delenv(pseudonym.SECRET_ENV, raising=False)
    with pytest.warns(pseudonym.DevelopmentSecretWarning, match="development secret"):
        pseudonym.secret()


def test_yibao_run_shouts_about_the_development_secret(monkeypatch, tmp_path, capsys):
    """On stderr at the start and again at the end of every run without a production secret."""
    from yibao.run import run_pipeline

    monkeypatch.delenv(pseudonym.SECRET_ENV, raising=False)
    (tmp_path / "landing").mkdir()
    assert run_pipeline(tmp_path / "landing", tmp_path / "warehouse.duckdb") == 2
    said = capsys.readouterr().err
    assert "PUBLIC development secret" in said and "!" * 78 in said
    monkeypatch.setenv(pseudonym.SECRET_ENV, "a production secret")
    run_pipeline(tmp_path / "landing", tmp_path / "warehouse.duckdb")
    assert "development secret" not in capsys.readouterr().err
