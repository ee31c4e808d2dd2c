"""The header check every reader shares, and the assembly of a reader's Arrow table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from yibao.contracts import FileKind
from yibao.ingest.errors import ContractError
from yibao.ingest.result import ROW_NUMBER, SHEET


@dataclass(frozen=True)
class HeaderMap:
    """Where each contract column and each extra column sits in the delivered header."""

    contract: dict[str, int]
    extras: tuple[tuple[str, int], ...]


def match_header(
    names: Sequence[str | None],
    kind: FileKind,
    display: str,
    *,
    row: int | None,
    unnamed_ok: Sequence[bool] | None = None,
) -> HeaderMap:
    """Match delivered header names to the contract by name (order does not matter).

    ``unnamed_ok[i]`` says an unnamed column ``i`` may be dropped (it holds no value).
    """
    contract: dict[str, int] = {}
    extras: list[tuple[str, int]] = []
    wanted = set(kind.column_names)
    for position, raw in enumerate(names):
        name = (raw or "").strip()
        if name in wanted:
            if name in contract:
                raise ContractError(display, "duplicate column", row=row, column=name)
            contract[name] = position
        elif name:
            extras.append((name, position))
        elif not (unnamed_ok and unnamed_ok[position]):
            extras.append((f"column {position + 1}", position))
    missing = [c for c in kind.column_names if c not in contract]
    if missing:
        unknown = ", ".join(n for n, _ in extras) or "none"
        raise ContractError(
            display,
            f"missing column(s) {', '.join(missing)}; unknown columns delivered: {unknown}",
            row=row,
            column=missing[0],
        )
    return HeaderMap(contract, tuple(_unique(extras)))


def _unique(extras: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    result = []
    for name, position in extras:
        seen[name] = seen.get(name, 0) + 1
        result.append((name if seen[name] == 1 else f"{name}_{seen[name]}", position))
    return result


def extra_notice(extras: Sequence[tuple[str, object]]) -> list[str]:
    if not extras:
        return []
    return [f"extra columns kept in _extra_columns: {', '.join(n for n, _ in extras)}"]


def empty_to_null(array: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Cast to text and turn empty strings into nulls; every other value stays as delivered."""
    text = array.cast(pa.string())
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def assemble(
    columns: Sequence[pa.ChunkedArray | pa.Array],
    header: HeaderMap,
    kind: FileKind,
    row_numbers: pa.Array,
    sheet: str | None,
) -> tuple[pa.Table, tuple[tuple[str, str], ...]]:
    """The reader's table: contract columns in contract order, extras as _x0.., metadata."""
    arrays = [empty_to_null(columns[header.contract[c]]) for c in kind.column_names]
    names = list(kind.column_names)
    extra_columns = []
    for i, (name, position) in enumerate(header.extras):
        arrays.append(empty_to_null(columns[position]))
        names.append(f"_x{i}")
        extra_columns.append((name, f"_x{i}"))
    arrays.append(row_numbers.cast(pa.int64()))
    names.append(ROW_NUMBER)
    arrays.append(pa.repeat(pa.scalar(sheet, pa.string()), len(row_numbers)))
    names.append(SHEET)
    return pa.table(arrays, names=names), tuple(extra_columns)
