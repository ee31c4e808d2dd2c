"""Ground truth of the fraud flags (fct_fraud_flag): per written settlement file, the rows
fraud.py labelled as a case (``grp`` fraud, the rule as ``kind``) or a decoy (``grp``
fraud_decoy, the decoy's kind), by file and row; and per month the institution whose poor
admissions were boosted (a case of admission_rate_outlier) and, in a month with an inpatient
surge, the surge county's hospital (a decoy: everyone's admissions rose, not the poor's)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .fraud import county_hospital

EXPECTED_TABLE = "fct_fraud_flag"


def settlement_truth(table: pa.Table, source_file: str, first_row: int, month: str,
                     swing: tuple[str, str] | None) -> pa.Table:
    labels = table["fraud_label"].to_numpy(zero_copy_only=False)
    text = np.where(labels == None, "", labels).astype(str)  # noqa: E711
    rows = np.flatnonzero(np.char.startswith(text, "case:") | np.char.startswith(text, "decoy:"))
    hit = table.take(pa.array(rows))
    grp, kind = zip(*(t.split(":") for t in text[rows]), strict=True) if len(rows) else ((), ())
    n = len(rows)
    settlements = pa.table({
        "kind": pa.array(list(kind), pa.string()),
        "grp": pa.array(["fraud" if g == "case" else "fraud_decoy" for g in grp], pa.string()),
        "expected_table": pa.array([EXPECTED_TABLE] * n, pa.string()),
        "person_uid": hit["person_uid"],
        "department": pa.array(["healthcare"] * n, pa.string()),
        "source_file": pa.array([source_file] * n, pa.string()),
        "row_number": pa.array(first_row + rows, pa.int64()),
        "column_name": pa.array(["settlement"] * n, pa.string()),
        "delivered_value": hit["setl_id"],
        "detail": pa.array([month] * n, pa.string()),
    })
    boosted = pc.unique(table.filter(pc.equal(table["fraud_label"], "boost"))["fixmedins_code"])
    institutions = [("admission_rate_outlier", "fraud", code) for code in boosted.to_pylist()]
    if swing and swing[0] == "inpatient_surge":
        institutions.append(("inpatient_surge_hospital", "fraud_decoy", county_hospital(swing[1])))
    m = len(institutions)
    return pa.concat_tables([settlements, pa.table({
        "kind": pa.array([i[0] for i in institutions], pa.string()),
        "grp": pa.array([i[1] for i in institutions], pa.string()),
        "expected_table": pa.array([EXPECTED_TABLE] * m, pa.string()),
        "person_uid": pa.nulls(m, settlements["person_uid"].type),
        "department": pa.array(["healthcare"] * m, pa.string()),
        "source_file": pa.nulls(m, pa.string()),
        "row_number": pa.nulls(m, pa.int64()),
        "column_name": pa.array(["institution"] * m, pa.string()),
        "delivered_value": pa.array([i[2] for i in institutions], pa.string()),
        "detail": pa.array([month] * m, pa.string()),
    })])
