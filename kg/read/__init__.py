"""Stage 1, read: files, folders, stdin, HTML, JSONL and CSV become :class:`kg.model.Article`.

Input: paths (or stdin); output: articles with their text, date, URL and the spans of
page furniture to skip. Reads ``kg/data/lexicons/furniture.yaml``. Imports nothing of
the later stages.
"""

from __future__ import annotations

from kg.read.articles import read_articles

__all__ = ["read_articles"]
