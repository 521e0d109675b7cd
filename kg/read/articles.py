"""Ingest stage: files, directories, collections and stdin → :class:`kg.model.Article`.

Input: ``.txt``, ``.html``/``.htm``, ``.jsonl`` and ``.csv`` paths, directories and ``-``;
output: Articles (NFC text, stable id, date, page-furniture spans) or an InputError per
bad input, in order. Reads ``kg/data/lexicons/furniture.yaml``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.errors import DataFileError, InputError
from kg.model import Article
from kg.read.dates import find_article_date, parse_date
from kg.resources import data_path, load_yaml

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

_FURNITURE_FILE = "lexicons/furniture.yaml"
_RECORD_FIELDS = ("id", "title", "date", "url")

# More than this share of C0 control bytes (other than tab, newlines, form feed)
# means the file is not text; real text has next to none, random bytes about 10%.
_MAX_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHAR_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# charset-normalizer's "chaos" (mess ratio) above which its guess is not trusted.
_MAX_CHAOS = 0.2
# Single-byte Latin code pages charset-normalizer may name for Western text. For our
# English-language input cp1252 is the one meant: in our trials it named cp1250 for a
# Latin-1 file, which turns "naïve" into "naďve".
_LATIN_FAMILY = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9",
     "iso8859_15", "mac_roman", "mac_latin2", "cp850", "cp437", "ascii"}
)  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The five Vietnamese tone marks, which cp1258 writes as combining characters after
# the vowel; their presence, each after a vowel, is what tells cp1258 from cp1252.
_VIETNAMESE_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VIETNAMESE_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYàáèéìíòóùúýÀÁÈÉÌÍÒÓÙÚÝ")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# Fewer words than this from a page are leftovers (a menu, a cookie notice), not an article.
_MIN_HTML_WORDS = 10
_FIGURE_TAG_RE = re.compile(r"<(/?)(figure|figcaption)\b", re.IGNORECASE)
# trafilatura writes table cells as "| cell |"; photo captions often sit in one-cell rows.
_TABLE_PIPES_RE = re.compile(r"^\|\s*(.*?)\s*\|\s*$", re.MULTILINE)
_ISO_DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}.*)?")


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
    ``url``). Stdin is JSONL when every non-blank line is a JSON object, else text.

    Ids are stable: a file's ``doc_id`` is its base name, a record's is its ``id`` or
    ``<base name>:<line>``, stdin's is ``stdin``. Text is decoded (a non-UTF-8 file is
    decoded when its encoding can be told, with a logged warning), stripped of a BOM,
    given ``\n`` line endings and normalised to NFC; :attr:`Article.skip` lists the
    page furniture (see :func:`furniture_spans`). The date is the page's or record's
    own, else the one in the text's header (:func:`kg.read.dates.find_article_date`), else
    ``date``.

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


def decode_bytes(data: bytes, path: str) -> str:
    """Decode the bytes of a text file.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, and UTF-16 without one (told
    by its zero bytes) are read as they are. Other bytes are decoded when the encoding
    can be told: Vietnamese cp1258 (recognised by its combining tone marks after
    vowels), else the guess of charset-normalizer, with cp1252 preferred among Western
    code pages; a warning names the encoding used.

    Args:
        data: the file's bytes.
        path: the file, for messages.

    Returns:
        The text, not yet normalised (see :func:`normalize_text`).

    Raises:
        InputError: binary data, or not UTF-8 and the encoding could not be determined.

    Examples:
        >>> decode_bytes("Hội nghị".encode("utf-8"), "a.txt")
        'Hội nghị'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _text_or_binary(data.decode(encoding), path)
            except UnicodeDecodeError as err:
                raise InputError(
                    path, f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from err
    if b"\x00" in data:
        text = _guess_utf16(data)
        if text is None:
            raise InputError(path, "binary file, not text")
        log.warning("%s: not UTF-8; decoded as UTF-16 without a byte-order mark", path)
        return _text_or_binary(text, path)
    if len(data.translate(None, _NON_CONTROL_BYTES)) > _MAX_CONTROL_SHARE * len(data):
        raise InputError(path, "binary file, not text")
    try:
        return _text_or_binary(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    guessed = _guess_legacy(data)
    if guessed is None:
        raise InputError(path, "not UTF-8 and the encoding could not be determined")
    text, encoding = guessed
    log.warning("%s: not UTF-8; decoded as %s", path, encoding)
    return _text_or_binary(text, path)


def normalize_text(text: str) -> str:
    r"""Remove a BOM, make line endings ``\n`` and normalise to NFC.

    Examples:
        >>> normalize_text("\ufeffTrần\r\nQuốc\r") == "Trần\nQuốc\n"
        True
        >>> len(normalize_text("Nguye\u0302\u0303n"))
        6
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


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
                text = normalize_text(_decode_html(data, path))
            else:
                text = normalize_text(decode_bytes(data, path))
        except InputError as err:
            yield err
            return
        if not text.strip():
            yield InputError(path, "file is empty")
            return
        if kind == "stdin":
            kind = "jsonl" if _looks_like_jsonl(text) else "txt"
        base = STDIN_ID if path == STDIN_NAME else os.path.basename(path)
        if kind == "html":
            yield self._html_article(text, path, base)
        elif kind == "jsonl":
            yield from self._jsonl_articles(text, path, base)
        elif kind == "csv":
            yield from self._csv_articles(text, path, base)
        else:
            yield self._article(base, text, path)

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

    # ----------------------------------------------------------------------- formats

    def _article(
        self,
        doc_id: str,
        text: str,
        source: str,
        *,
        title: str | None = None,
        url: str | None = None,
        own_date: str | None = None,
    ) -> Article:
        """Build an Article from normalised text; the date falls back as documented."""
        article_date = own_date or find_article_date(text) or self.default_date
        return Article(
            doc_id=doc_id,
            text=text,
            source=source,
            date=article_date,
            title=title,
            url=url,
            skip=furniture_spans(text),
        )

    def _html_article(self, html: str, path: str, base: str) -> Article | InputError:
        import trafilatura

        # trafilatura drops <figure> with its caption; captions say who attended, so
        # they are turned into ordinary blocks first.
        html = _FIGURE_TAG_RE.sub(_unfigure, html)
        try:
            doc = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        # trafilatura parses arbitrary pages with lxml; whatever it raises on one page is
        # that page's problem, reported with its name, and the other inputs go on.
        except Exception as err:
            return InputError(path, f"HTML page could not be parsed: {err}")
        meta: dict[str, Any]
        if doc is None:
            meta = {}
        elif isinstance(doc, dict):
            meta = doc
        else:
            meta = doc.as_dict()
        body = normalize_text(_TABLE_PIPES_RE.sub(r"\1", meta.get("text") or "")).strip()
        if len(body.split()) < _MIN_HTML_WORDS:
            return InputError(path, "no main text found in the HTML page")
        title = _clean_field(meta.get("title"))
        text = body
        if title and not body.startswith(title):
            text = f"{title}\n\n{body}"
        return self._article(
            base,
            text + "\n",
            path,
            title=title,
            url=_clean_field(meta.get("url")),
            own_date=_metadata_date(meta.get("date"), path),
        )

    def _jsonl_articles(self, text: str, path: str, base: str) -> Iterator[Article | InputError]:
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputError(where, f"not valid JSON: {err.msg} (column {err.colno})")
                continue
            if not isinstance(obj, dict):
                yield InputError(where, "not a JSON object")
                continue
            yield self._record_article(obj, where, f"{base}:{n}")

    def _csv_articles(self, text: str, path: str, base: str) -> Iterator[Article | InputError]:
        # Article texts are longer than the csv module's default field limit (128 KiB).
        csv.field_size_limit(max(csv.field_size_limit(), self.max_bytes))
        # The delimiter is the one that makes "text" a column of the header line.
        first_line = text.lstrip("\n").split("\n", 1)[0]
        delimiter = next(
            (d for d in ",\t;" if "text" in (h.strip().lower() for h in first_line.split(d))),
            ",",
        )
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header: list[str] | None = None
        previous_end = 0
        while True:
            start = previous_end + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                previous_end = reader.line_num
                yield InputError(f"{path}:{start}", f"not valid CSV: {err}")
                continue
            previous_end = reader.line_num
            if not row or not any(field.strip() for field in row):
                continue
            if header is None:
                header = [name.strip().lower() for name in row]
                if "text" not in header:
                    found = ", ".join(header)
                    yield InputError(path, f'no "text" column in the header line (found: {found})')
                    return
                continue
            if len(row) != len(header):
                yield InputError(
                    f"{path}:{start}", f"expected {len(header)} fields, found {len(row)}"
                )
                continue
            record = {name: value for name, value in zip(header, row, strict=True) if value}
            yield self._record_article(record, f"{path}:{start}", f"{base}:{start}")
        if header is None:
            yield InputError(path, "file is empty")

    def _record_article(
        self, record: Mapping[str, Any], where: str, default_id: str
    ) -> Article | InputError:
        """Build an Article from one JSONL or CSV record."""
        text = record.get("text")
        if text is None:
            return InputError(where, '"text" is missing')
        if not isinstance(text, str):
            return InputError(where, '"text" is not a string')
        if not text.strip():
            return InputError(where, '"text" is empty')
        fields: dict[str, str | None] = {}
        for key in _RECORD_FIELDS:
            value = record.get(key)
            if key == "id" and isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if value is not None and not isinstance(value, str):
                return InputError(where, f'"{key}" is not a string')
            fields[key] = _clean_field(value)
        return self._article(
            fields["id"] or default_id,
            normalize_text(text),
            where,
            title=fields["title"],
            url=fields["url"],
            own_date=_metadata_date(fields["date"], where),
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


def _text_or_binary(text: str, path: str) -> str:
    """Refuse decoded text that is mostly control characters."""
    if len(_CONTROL_CHAR_RE.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(path, "binary file, not text")
    return text


def _guess_utf16(data: bytes) -> str | None:
    """Decode UTF-16 written without a BOM, told by its zero bytes; else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    half = len(data) // 2
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    if odd_zeros >= 0.3 * half and even_zeros == 0:
        encoding = "utf-16-le"
    elif even_zeros >= 0.3 * half and odd_zeros == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """Decode non-UTF-8 text: Vietnamese cp1258 first, else charset-normalizer's guess."""
    cp1258 = _as_vietnamese_cp1258(data)
    if cp1258 is not None:
        return cp1258, "cp1258"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    if best.encoding in _LATIN_FAMILY:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return str(best), best.encoding


def _as_vietnamese_cp1258(data: bytes) -> str | None:
    """Decode as cp1258 if the bytes read as Vietnamese there; else None.

    Vietnamese in cp1258 writes most tones as combining marks after a vowel; in any
    other code page those bytes are letters such as "Ì" or "Þ". So: at least one tone
    mark, and every combining mark after a vowel.
    """
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    tones = 0
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            if ch not in _VIETNAMESE_TONES or i == 0 or text[i - 1] not in _VIETNAMESE_VOWELS:
                return None
            tones += 1
    return text if tones else None


def _decode_html(data: bytes, path: str) -> str:
    """Decode an HTML page, trusting its ``<meta charset>`` when the bytes agree."""
    m = _META_CHARSET_RE.search(data[:4096])
    if (
        m
        and b"\x00" not in data
        and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        name = m.group(1).decode("ascii")
        try:
            encoding = codecs.lookup(name).name
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            log.info("%s: declared charset %s does not fit; detecting", path, name)
        else:
            return _text_or_binary(text, path)
    return decode_bytes(data, path)


def _unfigure(m: re.Match[str]) -> str:
    """Rename ``<figure>`` to ``<div>`` and ``<figcaption>`` to ``<p>``."""
    return f"<{m.group(1)}{'p' if m.group(2).lower() == 'figcaption' else 'div'}"


def _looks_like_jsonl(text: str) -> bool:
    """Tell whether every non-blank line is a JSON object."""
    lines = [line for line in text.split("\n") if line.strip()]
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except json.JSONDecodeError:
            return False
    return bool(lines)


def _clean_field(value: str | None) -> str | None:
    """NFC-normalise and strip a metadata string; blank becomes None."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def _metadata_date(value: str | None, where: str) -> str | None:
    """Parse a record's or page's own date to ``YYYY-MM-DD``; warn when it cannot be."""
    if not value:
        return None
    m = _ISO_DATETIME_RE.fullmatch(value)
    parsed = parse_date(m.group(1) if m else value)
    if parsed is None or len(parsed) != 10:
        log.warning("%s: date %r is not a day; using the text's date instead", where, value)
        return None
    return parsed


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Join spans separated only by whitespace."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


# --------------------------------------------------------------------------- furniture


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
