"""Row checks: each delivered value against its column's value kind, as one DuckDB query per file.

`reject_query` selects the failing rows of a staged source (contract columns as VARCHAR plus
``_row_number`` and ``_extra_columns``) with the reason naming every failing column and value.
Null is allowed unless the column is not nullable; text is never rejected.
"""

from __future__ import annotations

from yibao.contracts import DATE_SPELLINGS, Column, FileKind
from yibao.ingest.sql import ident, literal

# strptime formats of the date spellings in contracts.DATE_SPELLINGS (2019年3月 is the 1st).
_DATE_FORMATS = {
    r"\d{4}-\d{1,2}-\d{1,2}": "%Y-%m-%d",
    r"\d{4}/\d{1,2}/\d{1,2}": "%Y/%m/%d",
    r"\d{8}": "%Y%m%d",
    r"\d{4}年\d{1,2}月": "%Y年%m月",
}
_DATETIME = (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "%Y-%m-%d %H:%M:%S")
_INTEGER = r"-?\d+"
_DECIMAL = r"-?\d+(\.\d{1,2})?"


def _date_formats() -> dict[str, str]:
    unknown = [s for s in DATE_SPELLINGS if s not in _DATE_FORMATS]
    if unknown:
        raise NotImplementedError(f"no strptime format for date spelling(s) {unknown}")
    return {s: _DATE_FORMATS[s] for s in DATE_SPELLINGS}


def _matches(ref: str, pattern: str) -> str:
    return f"regexp_full_match({ref}, {literal(pattern)})"


def _parses(ref: str, spellings: list[tuple[str, str]]) -> str:
    """True if the value is one of the spellings and a real calendar date (or time).

    A CASE, not AND/OR: DuckDB may reorder AND/OR operands, and a failing try_strptime is ~10x
    slower than a regular expression, so each format is tried only on values of its spelling.
    """
    branches = " ".join(
        f"WHEN {_matches(ref, pattern)} THEN try_strptime({ref}, {literal(fmt)}) IS NOT NULL"
        for pattern, fmt in spellings
    )
    return f"(CASE {branches} ELSE false END)"


def _valid(column: Column, ref: str) -> tuple[str, str] | None:
    """SQL that is true for a valid non-null value, and what an invalid one is not."""
    kind = column.kind
    if kind == "integer":
        return _matches(ref, _INTEGER), "is not an integer"
    if kind == "decimal":
        return _matches(ref, _DECIMAL), "is not a decimal with at most two places"
    if kind == "date":
        return _parses(ref, list(_date_formats().items())), "is not a date"
    if kind == "datetime":
        either = [_DATETIME, *_date_formats().items()]
        return _parses(ref, either), "is not a date-time"
    if kind == "enum":
        values = ", ".join(literal(v) for v in column.values)
        return f"{ref} IN ({values})", f"is not one of {'/'.join(column.values)}"
    if kind == "code":
        return _matches(ref, column.pattern), f"does not match {column.pattern}"
    return None  # text


def failure(column: Column) -> tuple[str, str] | None:
    """(SQL true when the value fails, SQL text of the reason), or None if nothing can fail."""
    ref = ident(column.name)
    valid = _valid(column, ref)
    label = literal(f"{column.name}: ")
    conditions, reasons = [], []
    if not column.nullable:
        conditions.append(f"{ref} IS NULL")
        reasons.append(f"WHEN {ref} IS NULL THEN {label} || 'missing (required)'")
    if valid is not None:
        test, what = valid
        conditions.append(f"({ref} IS NOT NULL AND NOT {test})")
        reasons.append(
            f"WHEN {ref} IS NOT NULL THEN {label} || '''' || {ref} || ''' ' || {literal(what)}"
        )
    if not conditions:
        return None
    return "(" + " OR ".join(conditions) + ")", "CASE " + " ".join(reasons) + " END"


def record_json(kind: FileKind) -> str:
    """The delivered row as JSON text: contract columns, then any extra columns."""
    pairs = ", ".join(f"{literal(c)}, {ident(c)}" for c in kind.column_names)
    record = f"json_object({pairs})"
    return (
        f"CAST(CASE WHEN _extra_columns IS NULL THEN {record} "
        f"ELSE json_merge_patch({record}, _extra_columns) END AS VARCHAR)"
    )


def sum_failure(total: str, parts: tuple[str, ...]) -> tuple[str, str]:
    """(SQL true when `total` is not the sum of `parts` within 0.01 yuan, the reason). Only
    rows whose amounts are all numbers are judged; a malformed amount fails its own check."""
    cast = {n: f"TRY_CAST({ident(n)} AS DECIMAL(18, 2))" for n in (total, *parts)}
    added = " + ".join(cast[p] for p in parts)
    condition = f"COALESCE(abs({cast[total]} - ({added})) > 0.01, false)"
    is_not = literal(" is not " + " + ".join(parts))
    reason = (f"{literal(total + ': ')} || {ident(total)} || {is_not}"
              f" || ' (' || CAST({added} AS VARCHAR) || ')'")
    return condition, reason


def orphan_reversal_query(kind: FileKind, source: str, rejects: str, earlier: str) -> str:
    """The rows of `source` (not already in `rejects`) that reverse an id delivered neither in
    `source` nor among the original ids that the query `earlier` selects, in the columns of
    reject_query. Only for a kind with a `reversal`."""
    assert kind.reversal is not None
    key, flag = (ident(c) for c in kind.reversal)
    what = literal(f"{kind.reversal[0]}: '")
    never = literal("' reverses a settlement never delivered (not in this file nor an earlier "
                    "loaded month)")
    return (
        f"SELECT _row_number AS row_number, {literal(kind.reversal[0])} AS column_name, "
        f"{key} AS value, {what} || {key} || {never} AS reason, {record_json(kind)} AS record "
        f"FROM {source} WHERE {flag} = '1' "
        f"AND _row_number NOT IN (SELECT row_number FROM {rejects}) "
        f"AND {key} NOT IN (SELECT {key} FROM {source} WHERE {flag} = '0' AND {key} IS NOT NULL) "
        f"AND {key} NOT IN ({earlier})"
    )


def reject_query(kind: FileKind, source: str) -> str:
    """SELECT row_number, column_name, value, reason, record of the rows of `source` that fail."""
    checks = [(c.name, f) for c in kind.columns if (f := failure(c)) is not None]
    checks += [(total, sum_failure(total, parts)) for total, parts in kind.sums]
    if not checks:
        return (
            "SELECT CAST(NULL AS BIGINT) AS row_number, CAST(NULL AS VARCHAR) AS column_name, "
            "CAST(NULL AS VARCHAR) AS value, CAST(NULL AS VARCHAR) AS reason, "
            "CAST(NULL AS VARCHAR) AS record WHERE false"
        )
    first_column = " ".join(f"WHEN {cond} THEN {literal(name)}" for name, (cond, _) in checks)
    first_value = " ".join(f"WHEN {cond} THEN {ident(name)}" for name, (cond, _) in checks)
    reasons = ", ".join(f"CASE WHEN {cond} THEN {why} END" for _, (cond, why) in checks)
    any_fails = " OR ".join(cond for _, (cond, _) in checks)
    return (
        f"SELECT _row_number AS row_number, CASE {first_column} END AS column_name, "
        f"CASE {first_value} END AS value, concat_ws('; ', {reasons}) AS reason, "
        f"{record_json(kind)} AS record FROM {source} WHERE {any_fails}"
    )
