"""Ingestion: landing files → schema raw of restricted.duckdb, one transaction per month."""

from yibao.ingest.discovery import (
    MonthPlan,
    PlannedFile,
    discover_months,
    plan_month,
    plan_reference,
)
from yibao.ingest.errors import ContractError
from yibao.ingest.load import load_month, load_plan, load_reference
from yibao.ingest.readers import (
    ReadResult,
    RowReject,
    read_csv,
    read_delivery,
    read_parquet,
    read_xlsx,
)
from yibao.ingest.report import FileReport, MonthLoadReport

__all__ = [
    "ContractError",
    "FileReport",
    "MonthLoadReport",
    "MonthPlan",
    "PlannedFile",
    "ReadResult",
    "RowReject",
    "discover_months",
    "load_month",
    "load_plan",
    "load_reference",
    "plan_month",
    "plan_reference",
    "read_csv",
    "read_delivery",
    "read_parquet",
    "read_xlsx",
]
