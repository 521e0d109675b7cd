"""kg bench's memory figure belongs to the process measured, not to its parent."""

from __future__ import annotations

import subprocess
import sys

from kg.bench.measure import peak_rss_kb

_PARENT_MB = 300


def test_a_child_of_a_large_parent_reports_its_own_peak() -> None:
    held = bytearray(_PARENT_MB * 1024 * 1024)  # zero-filled: every page is touched
    assert peak_rss_kb() >= _PARENT_MB * 1024
    code = "from kg.bench.measure import peak_rss_kb; print(peak_rss_kb())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    child = int(out.stdout)
    # a Python interpreter with kg.bench.measure loaded takes some tens of MB, far from
    # the parent's size at the fork (ru_maxrss would report at least that on Linux)
    assert 0 < child < _PARENT_MB * 1024 // 2
    del held


def test_peak_grows_with_what_the_process_holds() -> None:
    code = (
        "from kg.bench.measure import peak_rss_kb\n"
        "before = peak_rss_kb()\n"
        "held = bytearray(200 * 1024 * 1024)\n"
        "print(peak_rss_kb() - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) >= 190 * 1024
