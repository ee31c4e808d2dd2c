"""Run a command and sample the resident memory of its whole process tree (Linux /proc).

`ru_maxrss` of a waited child is the peak of its largest process only; the pipeline's memory is
the sum over the Python process, dbt's subprocess and the JVM on Spark. A thread samples the
tree every `interval` seconds and keeps (time, bytes) pairs, so a benchmark can also take the
peak within one stage's time window.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):  # the process ended
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        todo.extend(tree.get(pid, []))
    return total


@dataclass
class Measured:
    seconds: float
    returncode: int
    samples: list[tuple[float, int]] = field(default_factory=list)
    #: stopped by the caller's time budget, not finished
    timed_out: bool = False

    @property
    def peak_bytes(self) -> int:
        return max((b for _, b in self.samples), default=0)

    def peak_between(self, start: float, end: float) -> int:
        """Peak tree RSS among the samples taken in [start, end] (Unix seconds)."""
        inside = [b for t, b in self.samples if start <= t <= end]
        return max(inside, default=0)


def run_measured(
    argv: list[str], log: Path, interval: float = 0.25, budget: float | None = None, **popen
) -> Measured:
    """Run `argv` with output to `log`, sampling its tree's RSS. With a `budget` (seconds) the
    whole process group is killed when it runs longer, and the result says `timed_out`."""
    samples: list[tuple[float, int]] = []
    started = time.perf_counter()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **popen
        )
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append((time.time(), tree_rss(process.pid)))
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timed_out = False
        try:
            returncode = process.wait(timeout=budget)
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # dbt's subprocess and the JVM too
            returncode = process.wait()
        done.set()
        sampler.join()
    return Measured(time.perf_counter() - started, returncode, samples, timed_out)
