"""DuckDB spills beside the restricted database being built, unless the user says otherwise.

The module-level Definitions (for `dagster dev`) are built with the default paths when the
package is imported; `yibao run` then builds its own. The spill folder the first wrote must not
stick: the province benchmark spilled into `data/` under the working directory instead of
beside its database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from yibao import duckdb_settings as settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_spill_folder_follows_the_restricted_database(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "_SET_BY_USER", dict.fromkeys(settings._SET_BY_USER))
    for name in settings._SET_BY_USER:
        monkeypatch.delenv(name, raising=False)
    settings.apply_defaults(tmp_path / "a" / "restricted.duckdb")
    settings.apply_defaults(tmp_path / "b" / "restricted.duckdb")
    assert os.environ[settings.TEMP_DIRECTORY] == str(tmp_path / "b" / "duckdb-tmp")
    assert os.environ[settings.MEMORY_LIMIT] == settings.DEFAULT_MEMORY_LIMIT


def test_what_the_user_set_wins(monkeypatch, tmp_path):
    chosen = {**dict.fromkeys(settings._SET_BY_USER), settings.TEMP_DIRECTORY: "/srv/spill"}
    monkeypatch.setattr(settings, "_SET_BY_USER", chosen)
    settings.apply_defaults(tmp_path / "restricted.duckdb")
    assert os.environ[settings.TEMP_DIRECTORY] == "/srv/spill"


def test_yibao_runs_definitions_spill_beside_their_database(tmp_path):
    code = (
        "import os; import dagster_project.definitions as d; "
        f"d.build_definitions('{tmp_path}/landing', '{tmp_path}/w/warehouse.duckdb', "
        f"'{tmp_path}/w/restricted.duckdb'); print(os.environ['YIBAO_DUCKDB_TEMP_DIRECTORY'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIBAO_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == str(tmp_path / "w" / "duckdb-tmp")
