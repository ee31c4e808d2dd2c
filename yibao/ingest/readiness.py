"""Is a delivery month complete? What the Dagster sensor and schedule ask before a run.

A month is ready when every department has delivered every monthly file kind of its contract,
for every county that delivered that kind the month before (per-county kinds), and no file of
it changed in the last `settle_seconds` (a copy still being written). It looks at names, sizes
and times only: hashing a province's 11 GB each sensor tick would cost more than the check.
The month's contract checks (yibao.ingest.discovery.plan_month) run when it loads.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from yibao import contracts as C

from .discovery import MONTH_FOLDER, discover_months


@dataclass(frozen=True)
class Readiness:
    month: str
    #: "税务 (tax): premium_payments" or "扶贫 (poverty): poverty_roster for county 341522"
    missing: list[str] = field(default_factory=list)
    #: files modified less than settle_seconds ago
    settling: list[str] = field(default_factory=list)
    #: a fingerprint of the files (names, sizes, times): a new delivery gives a new one
    fingerprint: str = ""

    @property
    def ready(self) -> bool:
        return not self.missing and not self.settling

    @property
    def missing_departments(self) -> list[str]:
        return sorted({m.split(" ")[0] for m in self.missing})

    def __str__(self) -> str:
        if self.ready:
            return f"{self.month} is complete"
        waits = [f"missing {'; '.join(self.missing)}"] if self.missing else []
        if self.settling:
            waits.append(f"still being written: {', '.join(self.settling)}")
        return f"{self.month} waits: {' | '.join(waits)}"


def _stems(folder: Path) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        name = path.name.rpartition(".")[0] or path.name
        match = C.VERSION_SUFFIX.match(name)
        found.append((match["stem"] if match else name, path))
    return found


def files_fingerprint(landing: Path, paths: list[Path]) -> str:
    """A fingerprint of files by name, size and time: a new delivery gives a new one."""
    prints = []
    for path in sorted(paths):
        stat = path.stat()
        prints.append(f"{path.relative_to(landing)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(prints).encode()).hexdigest()[:16] if prints else ""


def _counties(stems: list[tuple[str, Path]], kind: C.FileKind) -> set[str]:
    counties = set()
    for stem, _ in stems:
        match = kind.stem_regex.fullmatch(stem)
        if match and match.groupdict().get("county"):
            counties.add(match["county"])
    return counties


def _label(kind: C.FileKind) -> str:
    return f"{C.DEPARTMENT_ZH[kind.department]} ({kind.department}): {kind.name}"


def month_readiness(
    landing: Path, month: str, settle_seconds: float = 120, now: float | None = None
) -> Readiness:
    landing = Path(landing)
    if not MONTH_FOLDER.fullmatch(month):
        raise ValueError(f"not a delivery month: {month}")
    now = time.time() if now is None else now
    months = discover_months(landing)
    previous = max((m for m in months if m < month), default=None)
    # each department folder listed once, this month's and the month before's
    stems = {d: _stems(landing / month / d) for d in C.DEPARTMENTS}
    before = {d: _stems(landing / previous / d) for d in C.DEPARTMENTS} if previous else {}
    files = [path for found in stems.values() for _, path in found]
    settling = [
        str(p.relative_to(landing)) for p in files if now - p.stat().st_mtime < settle_seconds
    ]
    missing = []
    for kind in C.MONTHLY_KINDS:
        delivered = [s for s, _ in stems[kind.department] if kind.stem_regex.fullmatch(s)]
        if not delivered:
            missing.append(_label(kind))
        elif kind.per_county and previous is not None:
            absent = _counties(before[kind.department], kind) - _counties(
                stems[kind.department], kind
            )
            if absent:
                missing.append(f"{_label(kind)} for county {', '.join(sorted(absent))}")
    return Readiness(month, missing, settling, files_fingerprint(landing, files))
