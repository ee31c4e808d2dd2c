"""What a load did, per file and in total; printable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FileReport:
    """One delivered file in a load: loaded, or ignored as a duplicate or superseded version."""

    kind: str
    file: str  # relative to the landing folder
    status: str  # loaded / duplicate / superseded
    version: int
    encoding: str | None = None
    rows_delivered: int | None = None  # None for a file that was not read
    rows_loaded: int | None = None
    rows_rejected: int | None = None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthLoadReport:
    """The load of one delivery month (or of landing/reference)."""

    month: str
    loaded_at: datetime
    files: tuple[FileReport, ...] = field(default_factory=tuple)

    @property
    def rows_delivered(self) -> int:
        return sum(f.rows_delivered or 0 for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded or 0 for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected or 0 for f in self.files)

    def of_status(self, status: str) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.status == status)

    def __str__(self) -> str:
        def count(n: int | None) -> str:
            return "-" if n is None else f"{n:,}"

        rows = [("kind", "file", "status", "delivered", "loaded", "rejected")]
        for f in self.files:
            rows.append(
                (
                    f.kind,
                    f.file,
                    f.status,
                    count(f.rows_delivered),
                    count(f.rows_loaded),
                    count(f.rows_rejected),
                )
            )
        rows.append(
            (
                "total",
                f"{len(self.files)} files",
                "",
                count(self.rows_delivered),
                count(self.rows_loaded),
                count(self.rows_rejected),
            )
        )
        widths = [max(len(r[i]) for r in rows) for i in range(6)]
        lines = [f"Load of {self.month} at {self.loaded_at:%Y-%m-%d %H:%M:%S} UTC"]
        for i, r in enumerate(rows):
            left = "  ".join(r[c].ljust(widths[c]) for c in range(3))
            right = "  ".join(r[c].rjust(widths[c]) for c in range(3, 6))
            lines.append(f"{left}  {right}")
            if i == 0 or i == len(rows) - 2:
                lines.append("-" * (sum(widths) + 10))
        notes = [f"  {f.file}: {n}" for f in self.files for n in f.notices]
        if notes:
            lines += ["notices:", *notes]
        return "\n".join(lines)
