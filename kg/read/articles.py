"""Read stage: files, directories, collections and stdin → :class:`kg.model.Article`.

Input: ``.txt``, ``.html``/``.htm``, ``.jsonl`` and ``.csv`` paths, directories and ``-``;
output: Articles (NFC text, stable id, date, page-furniture spans) or an InputError per
bad input, in order. Decoding, records and furniture live in the sibling rooms.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterable, Iterator

from kg.errors import InputError
from kg.model import Article
from kg.read.article_date import find_article_date, url_date
from kg.read.dates import parse_date
from kg.read.decode import decode_bytes, decode_html, normalize_text
from kg.read.furniture import furniture_spans
from kg.read.outlets import url_domain
from kg.read.records import Record, csv_records, html_record, jsonl_records, looks_like_jsonl

__all__ = [
    "ARTICLE_SUFFIXES",
    "decode_bytes",
    "furniture_spans",
    "normalize_text",
    "read_articles",
]

log = logging.getLogger(__name__)

#: File name endings taken from directories (compared in lower case).
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
#: What stdin is called in ids and messages.
STDIN_NAME = "<stdin>"
STDIN_ID = "stdin"


# --------------------------------------------------------------------------- public API


def read_articles(
    sources: Iterable[str], *, date: str | None = None, max_bytes: int = 5_000_000
) -> Iterator[Article | InputError]:
    r"""Read articles from files, directories, collections and stdin.

    Each source is a path or ``-`` (stdin). Directories are walked recursively in
    sorted order, taking the files whose names end in :data:`ARTICLE_SUFFIXES`
    (hidden files and folders are left out); a file named explicitly is read whatever
    its ending, as text unless it is HTML, JSONL or CSV. ``.jsonl`` and ``.csv`` files
    hold one article per record (``text`` and optional ``id``, ``title``, ``date``,
    ``url``, ``outlet``); an HTML page's URL and outlet come from ``og:url`` or
    ``<link rel="canonical">`` and ``og:site_name``. Stdin is JSONL when every non-blank
    line is a JSON object, else text.

    Ids are stable: a file's ``doc_id`` is its base name, a record's is its ``id`` or
    ``<base name>:<line>``, stdin's is ``stdin``. Text is decoded (a non-UTF-8 file is
    decoded when its encoding can be told, with a logged warning), stripped of a BOM,
    given ``\n`` line endings and normalised to NFC; :attr:`Article.skip` lists the
    page furniture (see :func:`furniture_spans`). The date is the page's or record's
    own (a ``date`` field; ``article:published_time``, JSON-LD ``datePublished`` or
    ``<time datetime>`` of a page), else the one in the text's header or dateline
    (:func:`kg.read.article_date.find_article_date`, a dateline without a year taking its
    URL's year), else the month or year of its URL (``/201510/``), else ``date``. Dates keep
    their precision: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. The outlet is the record's or
    page's own, else its URL's domain.

    Args:
        sources: paths, directories or ``-``.
        date: the date (``YYYY-MM-DD``) of articles that state none.
        max_bytes: larger files are refused.

    Yields:
        One Article per article found, or one InputError per bad input (missing,
        unreadable, empty, binary, too large, undecodable, malformed record, id used
        twice), in input order. Nothing is raised for bad input.
    """
    default_date: str | None = None
    if date is not None:
        default_date = parse_date(date)
        if default_date is None or len(default_date) != 10:
            yield InputError("--date", f"not a date (YYYY-MM-DD): {date!r}")
            default_date = None
    reader = _Reader(default_date=default_date, max_bytes=max_bytes)
    for source in sources:
        yield from reader.read_source(source)


# --------------------------------------------------------------------------- reading


class _Reader:
    """One run of :func:`read_articles`: options and the ids seen so far."""

    def __init__(self, default_date: str | None, max_bytes: int) -> None:
        self.default_date = default_date
        self.max_bytes = max_bytes
        self.seen_ids: dict[str, str] = {}
        self.seen_files: set[str] = set()

    def read_source(self, source: str) -> Iterator[Article | InputError]:
        """Read one command-line source: ``-``, a directory or a file."""
        if source == "-":
            yield from self._checked(self._read_stdin())
            return
        try:
            st = os.stat(source)
        except FileNotFoundError:
            yield InputError(source, "no such file or directory")
            return
        except OSError as err:
            yield InputError(source, _os_problem(err))
            return
        if stat.S_ISDIR(st.st_mode):
            yield from self._read_directory(source)
        else:
            yield from self._read_file(source)

    def _read_directory(self, directory: str) -> Iterator[Article | InputError]:
        found = False
        for item in _walk(directory):
            if isinstance(item, InputError):
                yield item
            else:
                found = True
                yield from self._read_file(item)
        if not found:
            yield InputError(directory, "no articles found in directory")

    def _read_file(self, path: str) -> Iterator[Article | InputError]:
        real = os.path.realpath(path)
        if real in self.seen_files:
            log.warning("%s: already read in this run; not read again", path)
            return
        self.seen_files.add(real)
        try:
            data = _read_bytes(path, self.max_bytes)
        except InputError as err:
            yield err
            return
        yield from self._checked(self._parse(data, path, _kind(path)))

    def _read_stdin(self) -> Iterator[Article | InputError]:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            data = stream.read(self.max_bytes + 1)
        else:  # a text-only stand-in for stdin (some test harnesses)
            data = sys.stdin.read(self.max_bytes + 1).encode("utf-8")
        if len(data) > self.max_bytes:
            yield InputError(STDIN_NAME, f"input is over the limit of {self.max_bytes} bytes")
            return
        yield from self._parse(data, STDIN_NAME, "stdin")

    def _parse(self, data: bytes, path: str, kind: str) -> Iterator[Article | InputError]:
        """Decode and split one file's bytes into articles."""
        if not data.strip():
            yield InputError(path, "file is empty")
            return
        try:
            if kind == "html":
                text = normalize_text(decode_html(data, path))
            else:
                text = normalize_text(decode_bytes(data, path))
        except InputError as err:
            yield err
            return
        if not text.strip():
            yield InputError(path, "file is empty")
            return
        if kind == "stdin":
            kind = "jsonl" if looks_like_jsonl(text) else "txt"
        base = STDIN_ID if path == STDIN_NAME else os.path.basename(path)
        records: Iterable[Record | InputError]
        if kind == "html":
            records = [html_record(text, path, base)]
        elif kind == "jsonl":
            records = jsonl_records(text, path, base)
        elif kind == "csv":
            records = csv_records(text, path, base, self.max_bytes)
        else:
            records = [Record(base, text, path)]
        for record in records:
            yield record if isinstance(record, InputError) else self._article(record)

    def _checked(self, items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
        """Refuse an article whose id another article of this run already has."""
        for item in items:
            if isinstance(item, Article):
                first = self.seen_ids.get(item.doc_id)
                if first is not None:
                    item = InputError(
                        item.source,
                        f'id "{item.doc_id}" is already used by {first}; rename one of them',
                    )
                else:
                    self.seen_ids[item.doc_id] = item.source
            yield item

    def _article(self, record: Record) -> Article:
        """Date a record and find its furniture; the date falls back as documented."""
        text = record.text
        from_url = url_date(record.url)
        return Article(
            doc_id=record.doc_id,
            text=text,
            source=record.source,
            date=record.date or find_article_date(text, from_url) or from_url or self.default_date,
            title=record.title,
            url=record.url,
            outlet=record.outlet or url_domain(record.url),
            skip=furniture_spans(text),
        )


# --------------------------------------------------------------------------- helpers


def _kind(path: str) -> str:
    """Return how a file is read, from its name: html, jsonl, csv or txt."""
    suffix = os.path.splitext(path)[1].lower()
    return {".html": "html", ".htm": "html", ".jsonl": "jsonl", ".csv": "csv"}.get(suffix, "txt")


def _walk(directory: str, visited: set[str] | None = None) -> Iterator[str | InputError]:
    """Yield the article files under ``directory`` in sorted order, and unreadable folders."""
    # Folders are followed through symbolic links, so remember where we have been.
    visited = set() if visited is None else visited
    real = os.path.realpath(directory)
    if real in visited:
        return
    visited.add(real)
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as err:
        yield InputError(directory, _os_problem(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(directory, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError as err:
            yield InputError(path, _os_problem(err))
            continue
        if is_dir:
            yield from _walk(path, visited)
        elif entry.name.lower().endswith(ARTICLE_SUFFIXES):
            yield path


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """Read a file's bytes, refusing files over ``max_bytes``.

    Raises:
        InputError: unreadable or too large.
    """
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise InputError(path, f"file is {size} bytes, over the limit of {max_bytes}")
            data = f.read(max_bytes + 1)
    except OSError as err:
        raise InputError(path, _os_problem(err)) from err
    if len(data) > max_bytes:  # not a regular file, or it grew while we read it
        raise InputError(path, f"file is over the limit of {max_bytes} bytes")
    return data


def _os_problem(err: OSError) -> str:
    """Say in plain words why the system refused a path."""
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {err.strerror or err}"
