"""Did what the months were built with change since a warehouse's last dbt build? Then rebuild
every month.

The month-incremental models rebuild only the months being loaded. Two inputs reach every month,
though:
- the seeds (policy parameters, code lists): a model that reads one priced its earlier months
  with the old values;
- the pseudonym secret (`YIBAO_PSEUDONYM_SECRET`): the marts' earlier months keep the person
  keys of the old secret, and the person master merges keys from its previous table.
An edit of either must reach every month, which only a full refresh does. So each dbt build
records a checksum of both (``built_inputs.json`` in the warehouse's dbt target folder, one
entry per build step), and the next build of that step runs with ``--full-refresh`` when it
differs. The secret enters only as the person key of a fixed probe, so the record reveals
nothing of it. The record is written after a build succeeds, so a failed or killed build is
followed by another full one.

A warehouse with no record (its first build, or one built by a release before this) takes the
inputs as they are.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from yibao import pseudonym

RECORD = "built_inputs.json"
#: hashed with the secret into the checksum: a rotated secret changes it
KEY_PROBE = "yibao:build-inputs-probe"


def inputs_checksum(seeds_dir: Path) -> str:
    """SHA-256 over every seed file's path (relative to `seeds_dir`) and bytes, in path order,
    and the person key of the probe under the current secret."""
    digest = hashlib.sha256()
    for path in sorted(p for p in seeds_dir.rglob("*.csv") if p.is_file()):
        digest.update(path.relative_to(seeds_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update(pseudonym.person_key(KEY_PROBE).encode("ascii"))
    return digest.hexdigest()


def _record(target: Path) -> dict[str, str]:
    path = target / RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def inputs_changed(target: Path, step: str, checksum: str) -> bool:
    """True when `step` last built this warehouse with other inputs than `checksum`
    (``inputs_checksum``) says: other seeds or another secret."""
    built = _record(target).get(step)
    return built is not None and built != checksum


def month_needs_full_refresh(target: Path, steps: tuple[str, ...], checksum: str) -> bool:
    """True when any of the month's build `steps` last built with other inputs: then every
    step of the month rebuilds every month. Deciding step by step is not enough once the
    working tables keep the latest month only (dbt/macros/retention.sql): after a killed run
    whose first step had refreshed, the re-run's first step would build incrementally and prune
    the months that the second step's full refresh then reads."""
    return any(inputs_changed(target, step, checksum) for step in steps)


def record_build(target: Path, step: str, checksum: str) -> None:
    """Remember the inputs `step` has just built with: the checksum taken before the build, so
    a seed edited while it ran counts as not built (written whole, then renamed)."""
    record = {**_record(target), step: checksum}
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f".{RECORD}.partial"
    partial.write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
    partial.replace(target / RECORD)
