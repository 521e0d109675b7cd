"""Progress on stderr for long runs: articles done, articles/s and words/s.

Used by the CLI only; the library yields per article and never prints. Shown when
stderr is a terminal, or when asked for explicitly.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class Progress:
    """A one-line progress counter rewritten in place (or one line per step if not a TTY).

    Args:
        enabled: True/False to force; None shows it only when ``stream`` is a terminal.
        stream: where to write (stderr).
        every: seconds between updates.
    """

    def __init__(
        self, enabled: bool | None = None, stream: TextIO | None = None, every: float = 0.5
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.every = every
        self.count = 0
        self.words = 0
        self._start = time.perf_counter()
        self._last = 0.0

    def __enter__(self) -> Progress:
        self._start = time.perf_counter()
        return self

    def advance(self, words: int = 0) -> None:
        """Count one more article of ``words`` words and redraw if due."""
        self.count += 1
        self.words += words
        now = time.perf_counter()
        if self.enabled and now - self._last >= self.every:
            self._last = now
            self._draw(now, final=False)

    def _draw(self, now: float, final: bool) -> None:
        elapsed = max(now - self._start, 1e-9)
        line = (
            f"{self.count} articles, {self.count / elapsed:.1f} articles/s, "
            f"{self.words / elapsed:,.0f} words/s, {elapsed:.1f} s"
        )
        end = "\n" if final or not self.stream.isatty() else ""
        self.stream.write(("\r" if self.stream.isatty() else "") + line + end)
        self.stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.enabled and self.count:
            self._draw(time.perf_counter(), final=True)
