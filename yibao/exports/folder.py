"""A month's export folder is replaced whole: its files are written into a hidden sibling,
``.<month>.partial``, which then takes the folder's place. A department that opens
``exports/<month>/`` finds the previous complete set or the new complete set, never a mix.

Linux cannot rename a folder over a non-empty one, so the swap is two renames: the old folder
to ``.<month>.old``, the new one into place. A crash between them leaves no ``<month>/`` but an
``.old`` one, which the next run puts back before it starts; any ``.partial`` is discarded.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yibao.crashpoints import crash_point


def _siblings(folder: Path) -> tuple[Path, Path]:
    return folder.with_name(f".{folder.name}.partial"), folder.with_name(f".{folder.name}.old")


def recover(folder: Path) -> None:
    """Undo what a crash left of an earlier replacement of ``folder``."""
    partial, old = _siblings(folder)
    shutil.rmtree(partial, ignore_errors=True)
    if old.exists() and not folder.exists():
        old.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def replacing(folder: Path) -> Iterator[Path]:
    """Yield an empty folder to write into; on success it replaces ``folder``."""
    recover(folder)
    partial, old = _siblings(folder)
    partial.mkdir(parents=True)
    yield partial
    crash_point("export.folder_written")
    if folder.exists():
        folder.rename(old)
        crash_point("export.old_moved_aside")
    partial.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
