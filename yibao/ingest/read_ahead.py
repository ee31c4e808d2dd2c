"""Reading the next delivered files while the current one is staged.

A month's files are read (parsed into Arrow by pyarrow or fastexcel, which release the GIL while
they parse) and staged (DuckDB queries, which release it too) one after the other. With a small
pool of reader threads the next files are parsed while DuckDB stages and checks the current one,
so both cores work. Files are still handed over, staged and reported in plan order, and at most
`workers` files wait in memory beyond the one being staged.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from yibao.ingest.discovery import PlannedFile
from yibao.ingest.readers import read_delivery
from yibao.ingest.result import ReadResult

#: reader threads; 0 reads each file on the calling thread, as before
READERS_ENV = "YIBAO_INGEST_READERS"
DEFAULT_READERS = 2


def reader_count() -> int:
    value = os.environ.get(READERS_ENV, str(DEFAULT_READERS))
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"{READERS_ENV} must be a whole number, not {value!r}") from None
    if count < 0:
        raise ValueError(f"{READERS_ENV} must not be negative, not {count}")
    return count


def _read(planned: PlannedFile) -> ReadResult:
    return read_delivery(planned.path, planned.kind, planned.file_format, planned.display)


def read_in_order(
    files: Iterable[PlannedFile], workers: int | None = None
) -> Iterator[tuple[PlannedFile, ReadResult]]:
    """Each file with what its reader returned, in the order given. A reader's error (a
    ContractError naming the file) is raised when its file's turn comes, as a serial read
    would; the files after it are not handed over."""
    workers = reader_count() if workers is None else workers
    if workers == 0:
        for planned in files:
            yield planned, _read(planned)
        return
    queue: deque[tuple[PlannedFile, Future[ReadResult]]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="yibao-read") as pool:
        try:
            for planned in files:
                queue.append((planned, pool.submit(_read, planned)))
                if len(queue) > workers:
                    yield _next(queue)
            while queue:
                yield _next(queue)
        finally:
            for _, future in queue:
                future.cancel()


def _next(queue: deque[tuple[PlannedFile, Future[ReadResult]]]) -> tuple[PlannedFile, ReadResult]:
    planned, future = queue.popleft()
    return planned, future.result()
