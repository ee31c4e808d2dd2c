"""The Python Spark steps and dbt's Spark session must open the same metastore and warehouse:
yibao.spark_session.spark_conf() mirrors profiles.yml's `spark` output; this keeps them equal."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from yibao.spark_session import spark_conf

PROFILES = Path(__file__).resolve().parents[1] / "dbt" / "profiles.yml"
_ENV_VAR = re.compile(r"\{\{\s*env_var\('([A-Z_]+)',\s*'([^']*)'\)\s*\}\}")


def _rendered_profile() -> dict[str, str]:
    profile = yaml.safe_load(PROFILES.read_text(encoding="utf-8"))
    parameters = profile["yibao"]["outputs"]["spark"]["server_side_parameters"]
    return {
        key: _ENV_VAR.sub(lambda m: os.environ.get(m.group(1), m.group(2)), str(value))
        for key, value in parameters.items()
    }


@pytest.mark.parametrize(
    "environment",
    [{}, {"YIBAO_SPARK_METASTORE": "/srv/meta", "YIBAO_SPARK_MASTER": "local[8]"}],
)
def test_python_steps_use_the_profile_spark_settings(environment, monkeypatch):
    for name in ("YIBAO_SPARK_METASTORE", "YIBAO_SPARK_MASTER", "YIBAO_SPARK_WAREHOUSE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert spark_conf() == _rendered_profile()
    if environment:
        assert (
            "databaseName=/srv/meta;" in spark_conf()["spark.hadoop.javax.jdo.option.ConnectionURL"]
        )


def test_the_spark_target_is_chosen_by_the_environment():
    profile = yaml.safe_load(PROFILES.read_text(encoding="utf-8"))
    assert profile["yibao"]["target"] == "{{ env_var('YIBAO_DBT_TARGET', 'duckdb') }}"
    assert profile["yibao"]["outputs"]["spark"]["method"] == "session"
