"""The one error a bad delivery raises: a breach of the source contract, written for people."""

from __future__ import annotations

from pathlib import PurePath


class ContractError(Exception):
    """A delivered file (or a whole month) breaks the source contract.

    ``file`` is the path as people see it (``landing/2020-06/tax/...``); ``row`` is the row as a
    spreadsheet shows it; ``column`` is the delivered header name.
    """

    def __init__(
        self,
        file: str | PurePath,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(self.file, message, row, column)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row:,}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"ContractError: {', '.join(where)}: {self.message}"

    def __reduce__(self):  # keep pickling (e.g. across Dagster processes) working
        return (_rebuild, (self.file, self.message, self.row, self.column))


def _rebuild(file: str, message: str, row: int | None, column: str | None) -> ContractError:
    return ContractError(file, message, row=row, column=column)
