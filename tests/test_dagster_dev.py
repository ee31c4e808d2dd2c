"""`dagster dev` from the README (issue 11, part 3): the UI and the daemon load the single
Definitions with the same defaults as `yibao run`, with the jobs, the landing sensor (running),
the failure sensor and the monthly schedule; and the definitions load without the virtual
environment on PATH (dagster-dbt's manifest preparation looks dbt up on PATH).

Time budget: starting the webserver, the daemon and the code server takes about half a minute."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(sys.executable).parent
QUERY = """{ repositoriesOrError { ... on RepositoryConnection { nodes {
  name jobs { name } schedules { name scheduleState { status } }
  sensors { name sensorState { status } } } } } }"""


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": "/usr/bin:/bin",  # no virtual environment on it
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "YIBAO_LANDING": str(tmp_path / "landing"),
        "YIBAO_WAREHOUSE": str(tmp_path / "data" / "warehouse.duckdb"),
    }


def test_the_definitions_load_without_the_virtual_environment_on_path(tmp_path):
    env = {**_environment(tmp_path), "DAGSTER_IS_DEV_CLI": "1"}  # forces `dbt parse`
    (tmp_path / "dagster_home").mkdir()
    done = subprocess.run([str(SCRIPTS / "dagster"), "definitions", "validate"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_dagster_dev_serves_the_jobs_sensors_and_schedule(tmp_path):
    env = _environment(tmp_path)
    (tmp_path / "dagster_home").mkdir()
    (tmp_path / "landing").mkdir()
    port = _free_port()
    log = (tmp_path / "dagster_dev.log").open("wb")
    server = subprocess.Popen([str(SCRIPTS / "dagster"), "dev", "-p", str(port)], cwd=ROOT,
                              env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 240, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = _graphql(port)
                if answer.get("data", {}).get("repositoriesOrError", {}).get("nodes"):
                    break
            except OSError:
                pass
            time.sleep(2)
        assert answer is not None, (tmp_path / "dagster_dev.log").read_text()[-3000:]
        (repository,) = answer["data"]["repositoriesOrError"]["nodes"]
        assert {"monthly_job", "reference_job"} <= {j["name"] for j in repository["jobs"]}
        sensors = {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]}
        assert sensors == {"delivery_month_sensor": "RUNNING", "run_failure_report": "RUNNING"}
        schedules = {s["name"]: s["scheduleState"]["status"] for s in repository["schedules"]}
        assert schedules == {"monthly_schedule": "STOPPED"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
