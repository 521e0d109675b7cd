"""Read stage, page furniture: an article's text → the spans of credits, banners and link lists.

Input: normalised article text; output: ``(start, end)`` spans that the later stages skip.
Reads ``kg/data/lexicons/furniture.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.errors import DataFileError
from kg.resources import data_path, load_yaml

__all__ = ["furniture_spans"]

_FURNITURE_FILE = "lexicons/furniture.yaml"


def furniture_spans(text: str) -> tuple[tuple[int, int], ...]:
    r"""Find the page furniture of a scraped article.

    Lines matching a pattern of ``kg/data/lexicons/furniture.yaml`` (credits, "Source",
    "Comment (0)", share buttons, site banners, timestamp lines) are furniture, and so
    is a list of other stories after a heading such as "Same category" or "Related
    news", up to the first line that reads as prose. Captions that describe the meeting
    are kept. Spans of consecutive furniture lines are merged.

    Args:
        text: the normalised article text.

    Returns:
        ``(start, end)`` character spans of ``text``, in order, not overlapping; each
        starts and ends on non-blank characters.

    Examples:
        >>> text = "The committee met.\nPhoto: Minh Chau/VNA\nSource\n"
        >>> [text[a:b] for a, b in furniture_spans(text)]
        ['Photo: Minh Chau/VNA\nSource']
    """
    rules = _furniture_rules()
    spans: list[tuple[int, int]] = []
    in_list = False
    pos = 0
    for raw in text.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        start = line_start + len(raw) - len(raw.lstrip())
        span = (start, start + len(line))
        if in_list and not rules.is_prose(line):
            spans.append(span)
            continue
        in_list = False
        if any(p.fullmatch(line) for p in rules.list_headings):
            in_list = True
            spans.append(span)
        elif any(p.fullmatch(line) for p in rules.lines):
            spans.append(span)
    return _merge_spans(text, spans)


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Join spans separated only by whitespace."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclass(frozen=True)
class _FurnitureRules:
    """Compiled rules of ``furniture.yaml``."""

    lines: tuple[re.Pattern[str], ...]
    list_headings: tuple[re.Pattern[str], ...]
    min_chars: int
    min_words: int

    def is_prose(self, line: str) -> bool:
        """Tell an article paragraph from a headline or menu item."""
        if len(line) >= self.min_chars:
            return True
        return (
            line.rstrip("\"'”’)").endswith((".", "!", "?")) and len(line.split()) >= self.min_words
        )


@lru_cache(maxsize=1)
def _furniture_rules() -> _FurnitureRules:
    """Load and compile the furniture rules (once per process).

    Raises:
        DataFileError: a section is missing or a pattern does not compile.
    """
    data = load_yaml(_FURNITURE_FILE)
    where = str(data_path(_FURNITURE_FILE))

    def compiled(section: str) -> tuple[re.Pattern[str], ...]:
        entries = data.get(section) if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise DataFileError(where, None, f'"{section}" must be a list')
        out = []
        for n, entry in enumerate(entries, 1):
            pattern = entry.get("pattern") if isinstance(entry, dict) else None
            if not isinstance(pattern, str):
                raise DataFileError(where, None, f'{section} entry {n}: "pattern" missing')
            try:
                out.append(re.compile(pattern))
            except re.error as err:
                raise DataFileError(
                    where, None, f"{section} entry {n}: bad pattern: {err}"
                ) from err
        return tuple(out)

    end = data.get("list_end") or {}
    return _FurnitureRules(
        lines=compiled("lines") + compiled("single_links"),
        list_headings=compiled("list_headings"),
        min_chars=int(end.get("min_chars", 150)),
        min_words=int(end.get("min_words", 12)),
    )
