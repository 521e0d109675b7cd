"""Progress on stderr for long runs: a tqdm bar of articles done, articles/s and words/s.

Stage: the CLI's companion (the library yields per article and never prints). Input: one
:meth:`Progress.advance` per article; output: the bar on stderr, nothing on stdout. Shown
when stderr is a terminal, or when asked for explicitly. Reads no data files.
"""

from __future__ import annotations

import sys
from typing import Self, TextIO

from tqdm import tqdm


class Progress:
    """A tqdm bar counting articles, with their words per second after the article rate.

    Args:
        enabled: True/False to force; None shows it only when ``stream`` is a terminal.
        stream: where to write (stderr).
        every: seconds between redraws.
    """

    def __init__(
        self, enabled: bool | None = None, stream: TextIO | None = None, every: float = 0.5
    ) -> None:
        self.words = 0
        self._bar = tqdm(
            file=stream or sys.stderr,
            disable=None if enabled is None else not enabled,  # tqdm's None: terminals only
            unit=" articles",
            mininterval=every,
            smoothing=0,  # the average over the run, not the latest burst
        )

    def advance(self, words: int = 0) -> None:
        """Count one more article of ``words`` words and redraw if due."""
        self.words += words
        if self.words and not self._bar.disable:
            elapsed = max(self._bar.format_dict["elapsed"], 1e-9)
            self._bar.set_postfix_str(f"{self.words / elapsed:,.0f} words/s", refresh=False)
        self._bar.update()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._bar.close()
