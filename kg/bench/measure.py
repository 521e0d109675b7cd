"""Benchmark measurement helpers shared by every section of ``kg bench``.

Stage: bench. Input: timings and counters taken by :mod:`kg.bench.extraction`,
:mod:`kg.bench.storebench` and :mod:`kg.bench.queries`; output: ratios, quantiles, CPU
seconds and run times. Reads no data file.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable

#: Called with a line of progress text now and then.
Step = Callable[[str], None]


def ratio(a: float | None, b: float | None) -> float | None:
    """Return ``a / b``, or None when either is unknown or ``b`` is zero.

    Examples:
        >>> ratio(3.0, 2.0), ratio(None, 2.0), ratio(1.0, 0.0)
        (1.5, None, None)
    """
    return None if a is None or not b else a / b


def percentile(values: list[float], q: float) -> float:
    """Return the ``q`` quantile (0..1) by the nearest-rank method.

    Examples:
        >>> percentile([5, 1, 3, 2, 4], 0.5), percentile([5, 1, 3, 2, 4], 0.95)
        (3, 5)
    """
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_kb() -> int:
    """This process's peak resident memory in KB since it started its program.

    Linux keeps ``ru_maxrss`` across ``exec``: a child started by a large parent
    reports the parent's size at the fork until it outgrows it, which would hide its
    own growth. ``VmHWM`` of ``/proc/self/status`` belongs to the program's own memory
    map; ``ru_maxrss`` is the answer where there is no ``/proc``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def time_runs(run: Callable[[], int], runs: int, budget: float) -> tuple[list[float], int]:
    """Time ``run`` up to ``runs`` times, starting no run that would overrun ``budget``.

    Args:
        run: the work; returns a row count.
        runs: most runs.
        budget: seconds; a run starts only if the time spent plus the last run fits.

    Returns:
        The run times in seconds, and the row count of the last run.
    """
    times: list[float] = []
    rows = 0
    spent = 0.0
    while len(times) < runs and (not times or spent + times[-1] <= budget):
        start = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return times, rows
