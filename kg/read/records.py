"""Read stage, collections and pages: JSONL/CSV records and HTML metadata → :class:`Record`.

Input: the decoded text of a ``.jsonl``, ``.csv`` or HTML file; output: one Record (text,
id, title, URL, outlet, own date) or InputError per article, in order. Reads no data files;
HTML pages go through trafilatura (URL from ``og:url`` or ``<link rel="canonical">``, outlet
from ``og:site_name``); their date comes from ``article:published_time``, JSON-LD
``datePublished`` or ``<time datetime>`` (:func:`html_published_date`).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError
from kg.read.dates import parse_date
from kg.read.decode import clean_controls, normalize_text

__all__ = [
    "Record",
    "csv_records",
    "html_published_date",
    "html_record",
    "jsonl_records",
    "looks_like_jsonl",
]

log = logging.getLogger(__name__)

_RECORD_FIELDS = ("id", "title", "date", "url", "outlet")
# Fewer words than this from a page are leftovers (a menu, a cookie notice), not an article.
_MIN_HTML_WORDS = 10
_FIGURE_TAG_RE = re.compile(r"<(/?)(figure|figcaption)\b", re.IGNORECASE)
# trafilatura writes table cells as "| cell |"; photo captions often sit in one-cell rows.
_TABLE_PIPES_RE = re.compile(r"^\|\s*(.*?)\s*\|\s*$", re.MULTILINE)
_ISO_DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}.*)?")
_YEAR_ONLY_RE = re.compile(r"(?:19|20)\d{2}")
_META_TAG_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_TIME_TAG_RE = re.compile(r"<time\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_JSON_LD_RE = re.compile(
    r"<script\b[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
# <meta> names of a page's publication date, most trusted first
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
)


@dataclass(frozen=True, slots=True)
class Record:
    """One article's normalised text and own metadata, before the reader dates it.

    Attributes:
        doc_id: the article's id.
        text: the normalised text.
        source: where it was read (``path`` or ``path:line``), for messages.
        title: the record's or page's title.
        url: the record's or page's URL.
        outlet: the record's outlet or the page's site name.
        date: the record's or page's own date (``YYYY-MM-DD``).
    """

    doc_id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    outlet: str | None = None


def html_record(html: str, path: str, base: str) -> Record | InputError:
    """Take the main text and metadata of an HTML page (``base`` is its id).

    Args:
        html: the decoded page.
        path: the file, for messages.
        base: the article id.

    Returns:
        The page's Record, or an InputError when no main text is found.
    """
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
    return Record(
        base,
        text + "\n",
        path,
        title=title,
        url=_clean_field(meta.get("url")),
        date=html_published_date(html, path) or _metadata_date(meta.get("date"), path),
        outlet=_clean_field(meta.get("sitename")),
    )


def jsonl_records(text: str, path: str, base: str) -> Iterator[Record | InputError]:
    """Read one article per JSON line; a record's default id is ``<base>:<line>``."""
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
        yield _record(obj, where, f"{base}:{n}")


def csv_records(text: str, path: str, base: str, max_bytes: int) -> Iterator[Record | InputError]:
    """Read one article per CSV row under a header naming a ``text`` column.

    The default id of a row is ``<base>:<line>``; fields may be ``max_bytes`` long.
    """
    # Article texts are longer than the csv module's default field limit (128 KiB).
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
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
            yield InputError(f"{path}:{start}", f"expected {len(header)} fields, found {len(row)}")
            continue
        record = {name: value for name, value in zip(header, row, strict=True) if value}
        yield _record(record, f"{path}:{start}", f"{base}:{start}")
    if header is None:
        yield InputError(path, "file is empty")


def _record(record: Mapping[str, Any], where: str, default_id: str) -> Record | InputError:
    """Check and clean one JSONL or CSV record."""
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
    return Record(
        fields["id"] or default_id,
        normalize_text(text),
        where,
        title=fields["title"],
        url=fields["url"],
        date=_metadata_date(fields["date"], where),
        outlet=fields["outlet"],
    )


def _unfigure(m: re.Match[str]) -> str:
    """Rename ``<figure>`` to ``<div>`` and ``<figcaption>`` to ``<p>``."""
    return f"<{m.group(1)}{'p' if m.group(2).lower() == 'figcaption' else 'div'}"


def looks_like_jsonl(text: str) -> bool:
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
    """NFC-normalise, clean of control characters and strip a metadata string; blank is None."""
    if value is None:
        return None
    value = clean_controls(unicodedata.normalize("NFC", value)).strip()
    return value or None


def html_published_date(html: str, path: str = "") -> str | None:
    """Return the publication date a page's markup gives, at its precision.

    In this order: ``<meta property="article:published_time">`` (and the other names of
    :data:`_PUBLISHED_META`, or ``itemprop="datePublished"``), JSON-LD ``datePublished``,
    the first ``<time datetime>``. A site banner printed in the page's text is not markup
    and is never read here.

    Args:
        html: the page.
        path: the file, for messages.

    Returns:
        ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``), or None.

    Examples:
        >>> html_published_date('<meta property="article:published_time" content="2019-10-04T08:00:00+07:00">')
        '2019-10-04'
        >>> html_published_date('<script type="application/ld+json">{"datePublished": "2018-03-09"}</script>')
        '2018-03-09'
    """  # noqa: E501
    metas = [_attrs(tag) for tag in _META_TAG_RE.findall(html)]
    for name in _PUBLISHED_META:
        for a in metas:
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key == name and a.get("content"):
                return _metadata_date(a["content"], path)
    for block in _JSON_LD_RE.findall(html):
        try:
            found = _json_published(json.loads(block))
        except json.JSONDecodeError:
            continue  # a broken JSON-LD block says nothing; the other sources remain
        if found:
            return _metadata_date(found, path)
    for tag in _TIME_TAG_RE.findall(html):
        value = _attrs(tag).get("datetime")
        if value:
            return _metadata_date(value, path)
    return None


def _attrs(tag: str) -> dict[str, str]:
    """The attributes of one start tag, names in lower case."""
    return {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR_RE.findall(tag)}


def _json_published(obj: Any) -> str | None:
    """The first ``datePublished`` string anywhere in a JSON-LD value."""
    if isinstance(obj, dict):
        value = obj.get("datePublished")
        if isinstance(value, str) and value.strip():
            return value
        obj = list(obj.values())
    if isinstance(obj, list):
        for item in obj:
            found = _json_published(item)
            if found:
                return found
    return None


def _metadata_date(value: str | None, where: str) -> str | None:
    """Parse a record's or page's own date to ISO at its precision; warn when it cannot be.

    ``2019-10-04``, ``2019-10-04T08:00:00+07:00``, ``October 4, 2019`` give the day;
    ``2019-10`` and ``October 2019`` the month; ``2019`` the year.
    """
    if not value:
        return None
    value = value.strip()
    if _YEAR_ONLY_RE.fullmatch(value):
        return value
    m = _ISO_DATETIME_RE.fullmatch(value)
    parsed = parse_date(m.group(1) if m else value)
    if parsed is None:
        log.warning("%s: date %r is not a date; using the text's date instead", where, value)
        return None
    return parsed
