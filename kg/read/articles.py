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
#: What ``--stdin-format`` accepts.
STDIN_FORMATS = ("auto", "txt", "html", "jsonl", "csv")
_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


# --------------------------------------------------------------------------- public API


def read_articles(
    sources: Iterable[str],
    *,
    date: str | None = None,
    max_bytes: int = 5_000_000,
    stdin_format: str = "auto",
    stdin_id: str | None = STDIN_ID,
) -> Iterator[Article | InputError]:
    r"""Read articles from files, directories, collections and stdin.

    Each source is a path or ``-`` (stdin). Directories are walked recursively in
    sorted order, taking the files whose names end in :data:`ARTICLE_SUFFIXES`
    (hidden files and folders are left out); a file named explicitly is read whatever
    its ending, as text unless it is HTML, JSONL or CSV. ``.jsonl`` and ``.csv`` files
    hold one article per record (``text`` and optional ``id``, ``title``, ``date``,
    ``url``, ``outlet``); an HTML page's URL and outlet come from ``og:url`` or
    ``<link rel="canonical">`` and ``og:site_name``. Stdin is ``stdin_format``; ``auto``
    takes JSONL when its first line is a JSON object, CSV when its first line is a header
    with a ``text`` column, HTML when it opens with ``<!DOCTYPE html`` or ``<html``, else
    text. Anything in a folder that is not a regular file (a FIFO, a socket, a device) is
    skipped with a logged warning, so a stray pipe named ``*.txt`` cannot stall a run.

    Ids are stable: a file's ``doc_id`` is its base name, a record's is its ``id`` or
    ``<base name>:<line>``, stdin's is ``stdin_id``. :attr:`Article.source` is the same on
    every machine: the article's URL when it has one, else its path relative to the
    folder named on the command line (a file named directly: its base name), with
    ``:<line>`` for a record. Text is decoded (a non-UTF-8 file is decoded when its
    encoding can be told, with a logged warning), stripped of a BOM, given ``\n`` line
    endings, normalised to NFC and cleaned of control characters (each becomes a space,
    so offsets hold); :attr:`Article.skip` lists the
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
        stdin_format: ``auto``, ``txt``, ``html``, ``jsonl`` or ``csv``.
        stdin_id: the id of a text or page on stdin (records: ``<stdin_id>:<line>``
            unless they have an ``id``); None refuses stdin articles without an id of
            their own, as a store needs (an id that is always ``stdin`` would replace
            the last one).

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
    if stdin_format not in STDIN_FORMATS:
        yield InputError("--stdin-format", f"expected one of {', '.join(STDIN_FORMATS)}")
        return
    reader = _Reader(default_date, max_bytes, stdin_format, stdin_id)
    for source in sources:
        yield from reader.read_source(source)


# --------------------------------------------------------------------------- reading


class _Reader:
    """One run of :func:`read_articles`: options and the ids seen so far."""

    def __init__(
        self, default_date: str | None, max_bytes: int, stdin_format: str, stdin_id: str | None
    ) -> None:
        self.default_date = default_date
        self.max_bytes = max_bytes
        self.stdin_format = stdin_format
        self.stdin_id = stdin_id
        self.seen_ids: dict[str, str] = {}
        self.seen_files: set[str] = set()

    def read_source(self, source: str) -> Iterator[Article | InputError]:
        """Read one command-line source: ``-``, a directory or a file."""
        if source == "-":
            yield from self._read_stdin()
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
            yield from self._read_file(source, os.path.basename(source))

    def _read_directory(self, directory: str) -> Iterator[Article | InputError]:
        found = False
        for item in _walk(directory):
            if isinstance(item, InputError):
                yield item
            else:
                found = True
                name = os.path.relpath(item, directory).replace(os.sep, "/")
                yield from self._read_file(item, name)
        if not found:
            yield InputError(directory, "no articles found in directory")

    def _read_file(self, path: str, name: str) -> Iterator[Article | InputError]:
        """Read one file; ``name`` is how :attr:`Article.source` calls it."""
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
        yield from self._articles(self._parse(data, path, _kind(path)), path, name)

    def _read_stdin(self) -> Iterator[Article | InputError]:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            data = stream.read(self.max_bytes + 1)
        else:  # a text-only stand-in for stdin (some test harnesses)
            data = sys.stdin.read(self.max_bytes + 1).encode("utf-8")
        if len(data) > self.max_bytes:
            yield InputError(STDIN_NAME, f"input is over the limit of {self.max_bytes} bytes")
            return
        records = self._parse(data, STDIN_NAME, "stdin")
        yield from self._articles(records, STDIN_NAME, STDIN_NAME)

    def _parse(self, data: bytes, path: str, kind: str) -> Iterator[Record | InputError]:
        """Decode and split one file's bytes into records."""
        if not data.strip():
            yield InputError(path, "file is empty")
            return
        if kind == "stdin" and self.stdin_format != "auto":
            kind = self.stdin_format
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
        base = os.path.basename(path)
        if path == STDIN_NAME:
            kind = _stdin_kind(text) if kind == "stdin" else kind
            base = self.stdin_id or ""
        if kind == "html":
            yield html_record(text, path, base)
        elif kind == "jsonl":
            yield from jsonl_records(text, path, base)
        elif kind == "csv":
            yield from csv_records(text, path, base, self.max_bytes)
        else:
            yield Record(base, text, path)

    def _articles(
        self, records: Iterable[Record | InputError], path: str, name: str
    ) -> Iterator[Article | InputError]:
        """Turn records into articles, refusing an id already used in this run.

        ``path`` is the file as given (for messages), ``name`` the stable one that
        :attr:`Article.source` takes in its place.
        """
        for record in records:
            if isinstance(record, InputError):
                yield record
                continue
            # no stdin id: a record without its own id has the default ":<line>"
            unnamed = not record.doc_id or record.doc_id.startswith(":")
            if path == STDIN_NAME and not self.stdin_id and unnamed:
                what = "a record" if record.source != path else "text"
                yield InputError(
                    record.source,
                    f'{what} on stdin needs an id: give --doc-id (or an "id" field per record)',
                )
                continue
            first = self.seen_ids.get(record.doc_id)
            if first is not None:
                yield InputError(
                    record.source,
                    f'id "{record.doc_id}" is already used by {first}; rename one of them',
                )
                continue
            self.seen_ids[record.doc_id] = record.source
            yield self._article(record, name + record.source[len(path) :])

    def _article(self, record: Record, source: str) -> Article:
        """Date a record and find its furniture; the date falls back as documented."""
        text = record.text
        from_url = url_date(record.url)
        return Article(
            doc_id=record.doc_id,
            text=text,
            source=record.url or source,
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
            odd = _not_regular(entry)
            if odd:
                log.warning("%s: not a regular file (%s); skipped", path, odd)
            else:
                yield path


def _not_regular(entry: os.DirEntry[str]) -> str | None:
    """Say what a directory entry is when it is not a regular file (following links)."""
    try:
        mode = entry.stat().st_mode
    except OSError:
        return None  # a dangling link: opening it gives the plain-words error
    if stat.S_ISREG(mode):
        return None
    return _FILE_KINDS.get(stat.S_IFMT(mode), "not a file")


def _stdin_kind(text: str) -> str:
    """Tell what stdin holds from its first line: jsonl, csv, html or txt."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if looks_like_jsonl(first):
        return "jsonl"
    if first[:14].lower().startswith(("<!doctype html", "<html")):
        return "html"
    if "\n" in text.strip() and any(
        "text" in (h.strip().strip('"').lower() for h in first.split(d)) for d in ",\t;"
    ):
        return "csv"
    return "txt"


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
