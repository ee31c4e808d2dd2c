"""Reader threads (yibao/ingest/read_ahead.py): the same results in the same order as reading
each file in turn, a bad file's error at its turn, and a bounded number of files in memory."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from ingest_builders import valid_rows, write_csv

from yibao import contracts as c
from yibao.ingest import ContractError, read_ahead
from yibao.ingest.discovery import PlannedFile


def _planned(path: Path) -> PlannedFile:
    return PlannedFile(
        path=path,
        source_file=f"2020-06/civil_affairs/{path.name}",
        display=f"landing/2020-06/civil_affairs/{path.name}",
        kind=c.ASSISTANCE_ROSTER,
        department="civil_affairs",
        stem=path.stem,
        version=1,
        file_format="csv",
        county="530521",
        sha256="0" * 64,
    )


def _files(folder: Path, count: int) -> list[PlannedFile]:
    kind = c.ASSISTANCE_ROSTER
    return [
        _planned(
            write_csv(folder / f"assistance_roster_{i:02d}.csv", kind, valid_rows(kind, i + 1))
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_threads_hand_over_the_same_results_in_plan_order(tmp_path: Path, workers: int) -> None:
    files = _files(tmp_path, 7)
    serial = list(read_ahead.read_in_order(files, workers=0))
    threaded = list(read_ahead.read_in_order(files, workers=workers))
    assert [p for p, _ in threaded] == files
    assert [r.rows_delivered for _, r in threaded] == list(range(1, 8))
    for (_, one), (_, other) in zip(serial, threaded, strict=True):
        assert one.table.equals(other.table)


def test_a_bad_file_raises_at_its_turn_and_nothing_after_it_is_handed_over(
    tmp_path: Path,
) -> None:
    files = _files(tmp_path, 5)
    files[2].path.write_bytes(b"\x00\x01binary, not a csv\x00")
    handed = []
    with pytest.raises(ContractError) as error:
        for planned, _ in read_ahead.read_in_order(files, workers=2):
            handed.append(planned)
    assert handed == files[:2]
    assert error.value.file == files[2].display


def test_no_more_than_the_workers_files_are_read_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The month's files are not all read into memory at once: while the first file is being
    staged, only the next `workers` files have been started."""
    started: list[str] = []
    lock = threading.Lock()

    def fake_read(planned: PlannedFile):
        with lock:
            started.append(planned.source_file)
        return planned.source_file

    monkeypatch.setattr(read_ahead, "_read", fake_read)
    files = _files(tmp_path, 10)
    reads = read_ahead.read_in_order(files, workers=2)
    first = next(reads)
    time.sleep(0.3)  # let the pool run whatever it was given
    assert first == (files[0], files[0].source_file)
    assert len(started) == 3, started
    rest = list(reads)
    assert [p for p, _ in rest] == files[1:]
    assert sorted(started) == sorted(p.source_file for p in files)


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_wrong_reader_count_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(read_ahead.READERS_ENV, value)
    with pytest.raises(ValueError, match=read_ahead.READERS_ENV):
        read_ahead.reader_count()
