"""Named crash points, for the crash-convergence tests (tests/crash/).

The pipeline calls ``crash_point(name)`` at the moments where a crash is most likely to leave
damage behind: inside the raw load's transaction, between dbt models, during a Great
Expectations gate, between publishing steps, while an export is half written. Normally it does
nothing. When the environment variable ``YIBAO_CRASH_AT`` is ``name`` (or ``name#n``, the n-th
time the point is passed, counting from 1), the process kills itself and its children there
with SIGKILL: no handler runs, no file is closed, no transaction is rolled back, exactly as
when the machine loses power or the operating system kills the pipeline for memory.

The test starts the pipeline in a session of its own, so the whole process group (the dbt
subprocess included) dies. Started any other way, only the process itself is killed.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

VARIABLE = "YIBAO_CRASH_AT"

_passes: Counter[str] = Counter()


def crash_point(name: str) -> None:
    """Die here with SIGKILL when YIBAO_CRASH_AT asks for this point (and pass)."""
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    _passes[name] += 1
    point, _, count = wanted.partition("#")
    if point != name or _passes[name] != int(count or 1):
        return
    if os.getpgid(0) == os.getpid():  # a group of our own: take the dbt subprocess along
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
