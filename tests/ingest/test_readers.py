from pathlib import Path

import pytest
from ingest_builders import valid_rows, write_csv

from yibao import contracts as c
from yibao.ingest import ContractError, read_delivery, readers


def test_dispatch_by_format(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "i.csv", c.INSTITUTIONS, valid_rows(c.INSTITUTIONS, 2))
    result = read_delivery(path, c.INSTITUTIONS, "csv", "landing/i.csv")
    assert result.rows_delivered == 2


def test_unexpected_reader_error_still_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("library trouble")

    monkeypatch.setitem(readers._READERS, "csv", broken)
    with pytest.raises(
        ContractError, match="unreadable csv file: ValueError: library trouble"
    ) as e:
        read_delivery(tmp_path / "i.csv", c.INSTITUTIONS, "csv", "landing/2020-06/healthcare/i.csv")
    assert e.value.file == "landing/2020-06/healthcare/i.csv"
