"""The peer for the reconciliation step: what a county analyst would write in pandas.

The same answer as bench/reconciliation_floor.py (who of the poor is not insured, and coverage
by county, with the same normalisation and exclusions), written the way a spreadsheet user
turned analyst writes it: read the files, clean the ID column with string methods, merge the
rosters with the register, group by county. Vectorised pandas, no loops over rows.

Run as a script it prints the seconds and writes the answer as JSON, so the benchmark can run it
in its own process and record it when it runs out of memory:

    python bench/reconciliation_peer.py INPUTS MONTH OUT.json
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

MATCH_THRESHOLD = 0.95
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK_CHARS = np.array(list("10X98765432"))
FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def normalise(ids: pd.Series) -> pd.Series:
    out = (
        ids.str.strip().str.replace(" ", "", regex=False).str.replace("\u200b", "", regex=False)
        .str.translate(FULL_WIDTH).str.upper()
    )  # fmt: skip
    return out.mask(out == "")


def check_char(bodies: pd.Series) -> pd.Series:
    """The GB 11643 check character of 17-digit bodies (others: NaN)."""
    ok = bodies.str.fullmatch(r"[0-9]{17}").fillna(False).astype(bool)
    result = pd.Series(np.nan, index=bodies.index, dtype=object)
    if ok.any():
        digits = np.frombuffer("".join(bodies[ok]).encode(), dtype=np.uint8) - ord("0")
        sums = digits.reshape(-1, 17).astype(np.int64) @ WEIGHTS
        result[ok] = CHECK_CHARS[sums % 11]
    return result


def to_18(n: pd.Series) -> pd.Series:
    out = n.where(n.str.len() == 18)
    fifteen = n.str.fullmatch(r"[0-9]{15}").fillna(False).astype(bool)
    body = n[fifteen].str[:6] + "19" + n[fifteen].str[6:15]
    out[fifteen] = body + check_char(body)
    return out


def valid_ids(id18: pd.Series, month: str, regions: set[str]) -> pd.Series:
    well = id18.str.fullmatch(r"[0-9]{17}[0-9X]").fillna(False).astype(bool)
    check = check_char(id18.str[:17])
    birth = pd.to_datetime(id18.str[6:14], format="%Y%m%d", errors="coerce")
    month_end = pd.Timestamp(f"{month}-01") + pd.offsets.MonthEnd(0)
    good = (
        well & (id18.str[17] == check)
        & birth.between(pd.Timestamp("1900-01-01"), month_end)
        & id18.str[:6].isin(regions)
    )  # fmt: skip
    return id18.where(good)


def answer(inputs: Path, month: str):
    roster = pd.read_parquet(inputs / "poverty_roster.parquet")
    assistance = pd.read_parquet(inputs / "assistance_roster.parquet")
    enrolment = pd.read_parquet(inputs / "enrolment.parquet")
    matches = pd.read_parquet(inputs / "matches.parquet")
    regions = set(pd.read_parquet(inputs / "region_codes.parquet")["admdvs"])
    stops = pd.read_parquet(inputs / "stop_reasons.parquet")
    categories = pd.read_parquet(inputs / "assistance_categories.parquet")

    records = pd.concat([
        pd.DataFrame({"kind": "poverty", "f": roster["_source_file"], "r": roster["_row_number"],
                      "county": roster["_file_county"], "raw_id": roster["证件号码"],
                      "person_status": roster["人员状态"]}),
        pd.DataFrame({"kind": "assistance", "f": assistance["_source_file"],
                      "r": assistance["_row_number"], "county": assistance["_file_county"],
                      "raw_id": assistance["成员身份证号"], "category": assistance["救助类别"],
                      "status": assistance["状态"]}),
        pd.DataFrame({"kind": "enrolment", "f": enrolment["_source_file"],
                      "r": enrolment["_row_number"], "raw_id": enrolment["certno"],
                      "insutype": enrolment["insutype"], "stas": enrolment["psn_insu_stas"],
                      "stop_rsn": enrolment["stop_rsn"]}),
    ], ignore_index=True)  # fmt: skip
    n = normalise(records["raw_id"])
    id18 = to_18(n)
    valid = valid_ids(id18, month, regions)
    records = records.merge(
        matches[["source_file", "source_row_number", "matched_id_number", "match_probability"]],
        how="left", left_on=["f", "r"], right_on=["source_file", "source_row_number"],
    )  # fmt: skip
    linked = records["matched_id_number"].where(records["match_probability"] >= MATCH_THRESHOLD)
    blank = "blank:" + records["f"] + "#" + records["r"].astype(str)
    records["person"] = valid.fillna(linked).fillna(id18).fillna(n).fillna(blank)

    poverty = records[records["kind"] == "poverty"].assign(
        evidence_rank=0, makes_poor=True,
        ineligible=lambda d: d["person_status"].where(d["person_status"] != "正常"),
    )  # fmt: skip
    assistance_rows = records[records["kind"] == "assistance"].merge(
        categories[["assistance_category", "is_poor_population"]],
        how="left", left_on="category", right_on="assistance_category",
    )  # fmt: skip
    assistance_rows = assistance_rows.assign(
        evidence_rank=1, ineligible=None,
        makes_poor=assistance_rows["is_poor_population"].fillna(False).astype(bool)
        & (assistance_rows["status"] == "在保"),
    )  # fmt: skip
    rows = pd.concat([poverty, assistance_rows], ignore_index=True)
    rows["ineligible"] = rows["ineligible"].astype("string")
    rows = rows.sort_values(["person", "evidence_rank", "f", "r"])
    poor = rows.groupby("person").agg(
        county=("county", "first"), makes_poor=("makes_poor", "any"),
        roster_ineligible=("ineligible", "min"),
    )  # fmt: skip
    poor = poor[poor["makes_poor"]]

    register = records[records["kind"] == "enrolment"].copy()
    register["active"] = register["insutype"].isin(["390", "310"]) & (register["stas"] == "1")
    ineligible_reasons = set(stops.loc[stops["makes_ineligible"], "stop_reason"])
    register["stop"] = (
        register["stop_rsn"].where(register["stop_rsn"].isin(ineligible_reasons)).astype("string")
    )
    insured = register.groupby("person").agg(enrolled=("active", "any"), stop=("stop", "min"))

    coverage = poor.join(insured, how="left")
    coverage["eligible"] = coverage["roster_ineligible"].isna() & coverage["stop"].isna()
    coverage["enrolled"] = coverage["enrolled"].fillna(False).astype(bool)
    coverage["not_enrolled"] = coverage["eligible"] & ~coverage["enrolled"]
    by_county = coverage.groupby("county").agg(
        roster=("eligible", "size"), eligible=("eligible", "sum"),
        enrolled=("enrolled", lambda s: int((s & coverage.loc[s.index, "eligible"]).sum())),
        not_enrolled=("not_enrolled", "sum"),
    ).sort_index()  # fmt: skip
    counties = [
        (county, int(row.roster), int(row.roster - row.eligible), int(row.eligible),
         int(row.enrolled), int(row.not_enrolled))
        for county, row in by_county.iterrows()
    ]  # fmt: skip
    not_enrolled = {(c, p) for p, c in coverage.loc[coverage["not_enrolled"], "county"].items()}
    return counties, not_enrolled


def main() -> None:
    inputs, month, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    started = time.perf_counter()
    counties, not_enrolled = answer(inputs, month)
    seconds = time.perf_counter() - started
    out.write_text(json.dumps({
        "seconds": seconds, "counties": counties, "not_enrolled": sorted(not_enrolled),
    }, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    print(f"peer: {seconds:.2f} s")


if __name__ == "__main__":
    main()
