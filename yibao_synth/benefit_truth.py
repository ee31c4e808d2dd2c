"""Ground truth of the benefit rules: the injected violations per settlement, and the pools whose
yearly ratios fall short (A2.1 basic inpatient ≥ 70%, A2.2 critical illness ≥ 60%).

The pools' ratios are sums over every standing settlement of a pool (the insuring city) and
year, so they are added up here as the settlements are written, reversals netted out.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import benefits

POOL_MINIMUM = {"basic_policy_ratio_below_min": 70, "critical_illness_ratio_below_min": 60}


def settlement_truth(table: pa.Table, source_file: str, first_row: int) -> pa.Table:
    """One truth row per settlement carrying an injected violation."""
    fault = table["benefit_fault"]
    rows = np.flatnonzero(pc.is_valid(fault).to_numpy(zero_copy_only=False))
    hit = table.take(pa.array(rows))
    column = hit["fault_column"].to_pylist()
    value = [str(hit[c][i].as_py()) for i, c in enumerate(column)]
    n = len(rows)
    return pa.table(
        {
            "kind": hit["benefit_fault"],
            "grp": pa.array(["benefit"] * n, pa.string()),
            "expected_table": pa.array(["fct_benefit_check"] * n, pa.string()),
            "person_uid": hit["person_uid"],
            "department": pa.array(["healthcare"] * n, pa.string()),
            "source_file": pa.array([source_file] * n, pa.string()),
            "row_number": pa.array(first_row + rows, pa.int64()),
            "column_name": pa.array(column, pa.string()),
            "delivered_value": pa.array(value, pa.string()),
            "detail": hit["setl_id"],
        }
    )


class PoolTotals:
    """Per pool and year: Σ basic fund and Σ policy-range cost of resident inpatient stays, and
    Σ critical-illness payment and Σ cost above the deductible (fen)."""

    def __init__(self) -> None:
        self.sums: dict[tuple[str, int], np.ndarray] = defaultdict(lambda: np.zeros(4, np.int64))

    def add(self, table: pa.Table) -> None:
        resident = pc.equal(table["insutype"], "390")
        inpatient = pc.is_in(table["med_type"], pa.array(list(benefits.INPATIENT)))
        rows = table.filter(pc.and_(resident, inpatient))
        if rows.num_rows == 0:
            return
        sign = np.where(rows["refd_setl_flag"].to_numpy(zero_copy_only=False) == "1", -1, 1)

        def fen(name: str) -> np.ndarray:
            return np.round(rows[name].to_numpy(zero_copy_only=False).astype(float) * 100).astype(
                np.int64)

        values = np.stack([
            fen("hifp_pay"), fen("inscp_scp_amt"), fen("hifmi_pay"),
            rows["ci_eligible"].to_numpy() * sign,
        ], axis=1)
        pools = [p[:4] for p in rows["psn_no"].to_pylist()]
        years = [int(s[1:5]) for s in rows["setl_id"].to_pylist()]
        for pool, year, row in zip(pools, years, values, strict=True):
            self.sums[(pool, year)] += row

    def truth(self) -> pa.Table:
        """Pools and years whose ratio, rounded to 4 places, is below the minimum."""
        out = []
        for (pool, year), (basic, scope, ci, eligible) in sorted(self.sums.items()):
            for kind, num, den in (("basic_policy_ratio_below_min", basic, scope),
                                   ("critical_illness_ratio_below_min", ci, eligible)):
                if den <= 0:
                    continue
                ratio = (Decimal(int(num)) / Decimal(int(den))).quantize(
                    Decimal("0.0001"), rounding=ROUND_HALF_UP)
                if ratio * 100 < POOL_MINIMUM[kind]:
                    out.append((kind, f"{pool} {year}", str(ratio)))
        n = len(out)
        return pa.table(
            {
                "kind": pa.array([k for k, _, _ in out], pa.string()),
                "grp": pa.array(["benefit_pool"] * n, pa.string()),
                "expected_table": pa.array(["fct_benefit_pool_ratio"] * n, pa.string()),
                "person_uid": pa.nulls(n, pa.int64()),
                "department": pa.array(["healthcare"] * n, pa.string()),
                "source_file": pa.nulls(n, pa.string()),
                "row_number": pa.nulls(n, pa.int64()),
                "column_name": pa.nulls(n, pa.string()),
                "delivered_value": pa.array([r for _, _, r in out], pa.string()),
                "detail": pa.array([d for _, d, _ in out], pa.string()),
            }
        )
