"""Discovery: which files of a landing month (or of landing/reference) are the delivery.

A file is matched to its `FileKind` by department folder, stem and extension. Of the versions of a
stem (``<stem>_v2.<ext>``, ...) the highest is the delivery and the lower ones are superseded; a
second copy of an already delivered file (same SHA-256, other name) is a duplicate, unless it is
a CSV without data rows (counties with nothing to report deliver identical header-only files).
Two different files claiming one stem and version, an unknown file, or a missing kind refuse the
month.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from yibao.contracts import DEPARTMENTS, MONTHLY_KINDS, REFERENCE_KINDS, VERSION_SUFFIX, FileKind
from yibao.ingest.errors import ContractError

REFERENCE_FOLDER = "reference"
MONTH_FOLDER = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_SMALL_FILE = 64 * 1024

# Status of a file in a plan; the load log records 'loaded' for a delivered file.
DELIVERED = "delivered"
DUPLICATE = "duplicate"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class PlannedFile:
    """One file found in the landing folder and what becomes of it."""

    path: Path  # the file on disk
    source_file: str  # relative to the landing folder, POSIX separators
    display: str  # as people see it in messages: landing/<source_file>
    kind: FileKind
    department: str
    stem: str  # the name without version suffix and extension, e.g. enrolment_202006
    version: int
    file_format: str  # the extension, lower case: xlsx, csv, parquet
    county: str | None
    sha256: str
    status: str = DELIVERED
    notice: str | None = None


@dataclass(frozen=True)
class MonthPlan:
    """The files of one delivery month (or of landing/reference) with their status."""

    month: str  # YYYY-MM, or 'reference'
    files: tuple[PlannedFile, ...]

    @property
    def delivered(self) -> tuple[PlannedFile, ...]:
        return tuple(f for f in self.files if f.status == DELIVERED)

    def of_kind(self, kind: FileKind) -> tuple[PlannedFile, ...]:
        return tuple(f for f in self.delivered if f.kind == kind)


def discover_months(landing: Path) -> list[str]:
    """The delivery months present in ``landing``, as sorted 'YYYY-MM' folder names."""
    landing = Path(landing)
    if not landing.is_dir():
        return []
    return sorted(
        p.name for p in landing.iterdir() if p.is_dir() and MONTH_FOLDER.fullmatch(p.name)
    )


def plan_month(landing: Path, month: str) -> MonthPlan:
    """Classify the files of ``landing/<month>``; ContractError if the month cannot load."""
    landing = Path(landing).absolute()
    folder = landing / month
    if not MONTH_FOLDER.fullmatch(month):
        raise ContractError(_display(landing, folder), "not a delivery month folder (YYYY-MM)")
    if not folder.is_dir():
        raise ContractError(_display(landing, folder), "no such delivery month folder")
    found: list[PlannedFile] = []
    for entry in _visible(folder):
        if not entry.is_dir():
            raise ContractError(
                _display(landing, entry), "unknown file kind: not inside a department folder"
            )
        if entry.name not in DEPARTMENTS:
            raise ContractError(
                _display(landing, entry),
                f"unknown department folder (expected one of {', '.join(DEPARTMENTS)})",
            )
        kinds = tuple(k for k in MONTHLY_KINDS if k.department == entry.name)
        for path in _visible(entry):
            found.append(_classify(landing, path, entry.name, kinds, month=month))
    plan = MonthPlan(month, _resolve(found))
    _require_kinds(landing, folder, plan, MONTHLY_KINDS)
    return plan


def plan_reference(landing: Path) -> MonthPlan:
    """Classify the files of ``landing/reference``; raise ContractError if it is not loadable."""
    landing = Path(landing).absolute()
    folder = landing / REFERENCE_FOLDER
    if not folder.is_dir():
        raise ContractError(_display(landing, folder), "no reference folder")
    found = [
        _classify(landing, path, REFERENCE_FOLDER, REFERENCE_KINDS, month=None)
        for path in _visible(folder)
    ]
    plan = MonthPlan(REFERENCE_FOLDER, _resolve(found))
    _require_kinds(landing, folder, plan, REFERENCE_KINDS)
    return plan


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _display(landing: Path, path: Path) -> str:
    return (Path(landing.name) / path.relative_to(landing)).as_posix()


def _classify(
    landing: Path, path: Path, department: str, kinds: Iterable[FileKind], month: str | None
) -> PlannedFile:
    display = _display(landing, path)
    if path.is_dir():
        raise ContractError(display, "unknown file kind: a folder inside a department folder")
    name, dot, ext = path.name.rpartition(".")
    if not dot:
        name, ext = path.name, ""
    version_match = VERSION_SUFFIX.match(name)
    assert version_match is not None  # the pattern matches any non-empty name
    stem = version_match["stem"]
    version = int(version_match["version"] or 1)
    file_format = ext.lower()
    for kind in kinds:
        match = kind.stem_regex.fullmatch(stem)
        if match is None:
            continue
        if file_format not in kind.formats:
            raise ContractError(
                display,
                f"wrong file kind: {kind.name} is delivered as {' or '.join(kind.formats)}, "
                f"not .{ext}",
            )
        groups = match.groupdict()
        if month is not None and groups.get("yyyymm") != month.replace("-", ""):
            raise ContractError(
                display,
                f"file month {groups.get('yyyymm')} does not match the delivery folder {month}",
            )
        return PlannedFile(
            path=path,
            source_file=path.relative_to(landing).as_posix(),
            display=display,
            kind=kind,
            department=department,
            stem=stem,
            version=version,
            file_format=file_format,
            county=groups.get("county"),
            sha256=_sha256(path),
        )
    misplaced = [k for k in MONTHLY_KINDS + REFERENCE_KINDS if k.stem_regex.fullmatch(stem)]
    if misplaced and misplaced[0].department != department:
        raise ContractError(
            display,
            f"unknown file kind: {misplaced[0].name} belongs in the "
            f"{misplaced[0].department} folder, not {department}",
        )
    raise ContractError(display, "unknown file kind")


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _resolve(found: list[PlannedFile]) -> tuple[PlannedFile, ...]:
    """Mark superseded versions and duplicates; refuse stem+version conflicts."""
    by_stem: dict[tuple[str, str], list[PlannedFile]] = defaultdict(list)
    for f in found:
        by_stem[(f.kind.name, f.stem)].append(f)
    resolved: list[PlannedFile] = []
    for versions in by_stem.values():
        _refuse_conflicts(versions)
        resolved += _versions(versions)
    first_of_hash: dict[str, PlannedFile] = {}
    result: list[PlannedFile] = []
    for f in sorted(resolved, key=lambda f: f.source_file):
        if f.status == DELIVERED and not _header_only(f):
            original = first_of_hash.setdefault(f.sha256, f)
            if original is not f:
                f = _duplicate(f, original)
        result.append(f)
    return tuple(result)


def _versions(versions: list[PlannedFile]) -> list[PlannedFile]:
    """The highest version's content is the delivery, carried by its earliest identical copy.

    A `_v2` byte for byte equal to the original corrects nothing: it is a duplicate of it.
    """
    top = max(f.version for f in versions)
    newest = min((f for f in versions if f.version == top), key=lambda f: f.source_file)
    carrier = min(
        (f for f in versions if f.sha256 == newest.sha256),
        key=lambda f: (f.version, f.source_file),
    )
    result = []
    for f in versions:
        if f.sha256 == carrier.sha256 and f is not carrier:
            f = _duplicate(f, carrier)
        elif f is not carrier:
            f = replace(f, status=SUPERSEDED, notice=f"superseded by {newest.path.name}")
        result.append(f)
    return result


def _duplicate(f: PlannedFile, original: PlannedFile) -> PlannedFile:
    notice = f"duplicate of {original.source_file} (same SHA-256); ignored"
    return replace(f, status=DUPLICATE, notice=notice)


def _header_only(f: PlannedFile) -> bool:
    """A CSV without data rows: two counties' empty files are alike, but neither is a copy."""
    if f.file_format != "csv" or f.path.stat().st_size > _SMALL_FILE:
        return False
    return sum(1 for line in f.path.read_bytes().splitlines() if line.strip()) <= 1


def _refuse_conflicts(versions: list[PlannedFile]) -> None:
    by_version: dict[int, list[PlannedFile]] = defaultdict(list)
    for f in versions:
        by_version[f.version].append(f)
    for same in by_version.values():
        if len({f.sha256 for f in same}) > 1:
            names = sorted(f.display for f in same)
            raise ContractError(
                names[0],
                f"conflict: {len(names)} different files claim stem {same[0].stem} "
                f"version {same[0].version}: {', '.join(names)}",
            )


def _require_kinds(landing: Path, folder: Path, plan: MonthPlan, kinds: Iterable[FileKind]) -> None:
    missing = [k for k in kinds if not plan.of_kind(k)]
    if missing:
        listed = "; ".join(
            f"{k.department}/{k.name} ({_name_pattern(k)}.{'|'.join(k.formats)})" for k in missing
        )
        raise ContractError(_display(landing, folder), f"missing delivery: {listed}")


def _name_pattern(kind: FileKind) -> str:
    """The stem pattern as people read it: poverty_roster_<county>_<yyyymm>."""
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"<{m[1]}>", kind.stem)
