"""What a report section is: a title, the policy it answers, figures, tables and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

#: how a suppressed cell is shown (the same mark as the published bulletin)
HIDDEN = "*"


@dataclass(frozen=True)
class Context:
    """What every section reads: the warehouse (read-only), the month, the suppression
    threshold, region names by code and the published exports."""

    con: duckdb.DuckDBPyConnection
    month: str
    threshold: int
    region_names: dict[str, str]
    #: the published files (exports/): each month's bulletin says which cells it hid
    exports: Path | None = None

    def region(self, code: str | None) -> str:
        return self.region_names.get(code or "", code or "")


@dataclass(frozen=True)
class Table:
    """A table as published: Chinese headers, suppressed cells as HIDDEN."""

    title: str
    frame: pd.DataFrame


@dataclass
class Section:
    key: str
    title: str
    #: the policy document(s) and article(s) the section answers
    policy: str
    summary: str
    figures: list = field(default_factory=list)  # plotly figures
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
