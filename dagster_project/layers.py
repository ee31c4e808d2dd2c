"""Asset groups by layer and their owners, so Dagster's lineage graph reads like the
architecture (docs/architecture.md): raw → staging → core → reconciliation, rules and
monitoring → reports.

dbt models are grouped by their folder: ``staging/*`` is staging; an intermediate or mart
folder belongs to the layer of its rule family (FOLDER_LAYERS); ``rpt_*`` models are reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

RAW, STAGING, CORE = "raw", "staging", "core"
RECONCILIATION, RULES, MONITORING, REPORTS = "reconciliation", "rules", "monitoring", "reports"
REFERENCE = "reference"
LAYERS = (RAW, STAGING, CORE, RECONCILIATION, RULES, MONITORING, REPORTS, REFERENCE)

#: the folder under dbt/models/intermediate or dbt/models/marts → its layer
FOLDER_LAYERS = {
    "core": CORE,
    "persons": CORE,
    "linkage": CORE,
    "regions": CORE,
    "healthcare": CORE,
    "audit": CORE,
    "reconciliation": RECONCILIATION,
    "rules": RULES,
    "benefits": RULES,
    "chronic_cards": RULES,
    "monitoring": MONITORING,
    "fraud": MONITORING,
    "poverty_risk": MONITORING,
}

#: who answers for a layer's assets (Dagster owners: team:NAME); raw assets are owned by the
#: department that delivers them (dagster_project.assets.raw)
OWNERS = {
    STAGING: ["team:data_engineering"],
    CORE: ["team:data_engineering"],
    RECONCILIATION: ["team:enrolment_reconciliation"],
    RULES: ["team:benefit_audit"],
    MONITORING: ["team:fund_supervision"],
    REPORTS: ["team:analysts"],
    REFERENCE: ["team:data_engineering"],
}


def dbt_layer(props: Mapping[str, Any]) -> str:
    """The layer of a dbt node (model, seed or snapshot) from its fqn and name."""
    if props["resource_type"] == "seed":
        return REFERENCE
    if str(props.get("name", "")).startswith("rpt_"):
        return REPORTS
    folders: Sequence[str] = props.get("fqn", [])[1:-1]
    if not folders:
        return CORE
    if folders[0] == "staging":
        return STAGING
    if len(folders) > 1 and folders[1] in FOLDER_LAYERS:
        return FOLDER_LAYERS[folders[1]]
    raise ValueError(f"dbt node {props.get('unique_id')} is in no known layer folder: {folders}")
