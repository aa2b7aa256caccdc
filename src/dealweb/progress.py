"""Progress reports from long library calls, and time and peak memory per stage.

A long call (``synthetic_network``, ``max_circulation``, :func:`dealweb.scale.pipeline.run_measures`)
takes a keyword ``progress``: a :data:`ProgressCallback` called as ``progress(stage, fraction)``
when a stage starts and, where the code can tell, as it advances. ``stage`` is a short name such as
``"circularity: min-cost flow"``; ``fraction`` is the share of that stage done, in ``[0, 1]``, or
``None`` when the code cannot estimate it (one native solver call, say). The callback must be cheap;
it is called a few times per stage, never per edge. The CLI turns it into a Rich display
(``dealweb synth``, ``dealweb load-network --measures``); library users may log it.

:func:`measure_stage` times a block and samples its peak resident memory, so a pipeline can report
``stage, seconds, peak RSS`` as it goes.

>>> seen = []
>>> report(lambda stage, frac: seen.append((stage, frac)), "demo", 0.5)
>>> report(None, "nothing happens", None)
>>> seen
[('demo', 0.5)]
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["ProgressCallback", "RssSampler", "StageTiming", "measure_stage", "report"]

ProgressCallback = Callable[[str, "float | None"], None]
"""``progress(stage, fraction)``: ``fraction`` in ``[0, 1]``, or ``None`` when unknown."""

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def report(progress: ProgressCallback | None, stage: str, fraction: float | None = None) -> None:
    """Call ``progress(stage, fraction)`` if a callback was given."""
    if progress is not None:
        progress(stage, fraction)


def _rss() -> int:
    """Resident set size of this process in bytes (0 where ``/proc`` is unavailable)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except OSError:
        return 0


class RssSampler:
    """Peak resident memory of this process over a ``with`` block, sampled every ``interval`` seconds.

    Sampling ``/proc/self/statm`` from a thread sees native (NumPy, OR-Tools) allocations, which
    ``tracemalloc`` misses, and costs nothing measurable.
    """

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.start = self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, _rss())

    def __enter__(self) -> RssSampler:
        self.start = self.peak = _rss()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak = max(self.peak, _rss())


@dataclass
class StageTiming:
    """Wall time, CPU time (this process, all threads) and peak RSS of one stage."""

    stage: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    start_rss_mb: float = 0.0

    def line(self) -> str:
        """``stage  12.3 s (cpu 11.9 s), peak RSS 812 MB``: what the CLI prints as each stage ends."""
        return (f"{self.stage}: {self.seconds:.1f} s (cpu {self.cpu_seconds:.1f} s), "
                f"peak RSS {self.peak_rss_mb:,.0f} MB")


@contextmanager
def measure_stage(stage: str) -> Iterator[StageTiming]:
    """Time the ``with`` block and sample its peak RSS; the yielded record is filled in on exit.

    >>> with measure_stage("sum") as timing:
    ...     _ = sum(range(1000))
    >>> timing.stage, timing.seconds >= 0, timing.peak_rss_mb >= 0
    ('sum', True, True)
    """
    timing = StageTiming(stage)
    with RssSampler() as rss:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            yield timing
        finally:
            timing.seconds = time.perf_counter() - t0
            timing.cpu_seconds = time.process_time() - c0
    timing.peak_rss_mb, timing.start_rss_mb = rss.peak / 2**20, rss.start / 2**20
