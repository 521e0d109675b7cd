"""Read stage, the article's own date: its header, dateline and URL → ISO date.

Input: an article's text and URL; output: the date it was written (``YYYY-MM-DD``, or the
``YYYY-MM`` / ``YYYY`` of its URL) and the spans of page timestamps and banners that are no
meeting's date. Phrases are parsed by :mod:`kg.read.dates`; reads ``dates.yaml`` through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date

from kg.read.dates import (
    _DATE_RE,
    _TIME,
    _WEEKDAY,
    _WEEKDAY_RE,
    _YEAR,
    _iso,
    _match_iso,
    _month_number,
    _words,
    near_year,
    text_year,
)

__all__ = ["find_article_date", "header_stamps", "url_date"]

# What may stand before the date at the start of a long header line for it to count
# as the article's dateline: "HANOI (VNA) - On the morning of January 10, 2024, ...",
# "Gia Lai - On the morning of October 3", "(LSO) – On August 4, 2020", and a collection's
# "date 2022-06-17" label.
_PLACE_TAG = r"[^\W\d_][\w .'’-]{0,40}?"
_AGENCY_TAG = r"\([^()\n]{1,40}\)"
_DATELINE_PREFIX_RE = re.compile(
    r"\s*(?:date\s+)?"
    rf"(?:{_PLACE_TAG}\s*(?:,|\s[-–—])\s*)?"
    rf"(?:{_AGENCY_TAG}\s*[-–—:]?\s*)?"
    r"(?:(?:[Oo]n|[Ii]n|[Uu]pdated|[Pp]ublished|[Pp]osted)\s*:?\s+(?:on\s+)?)?"
    r"(?:the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?"
    rf"(?:{_WEEKDAY},?\s+)?"
)
# A news lead opened by an agency tag ("(LSO) – The committee held ... on October 4, 2019")
# gives its date in the first sentence after "on".
_AGENCY_LEAD_RE = re.compile(rf"\s*(?:{_PLACE_TAG}\s*)?{_AGENCY_TAG}\s*[-–—]\s")
_ON_BEFORE_RE = re.compile(
    r"\b[Oo]n\s+(?:the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?"
    rf"(?:{_WEEKDAY},?\s+)?$"
)
# What may surround a phrase given to parse_date besides the date itself.
_BEFORE_DATE_EXCLUDED_RE = re.compile(r"(?:\bdated|\bNo\.?)\s*$", re.IGNORECASE)

#: How many non-blank lines at the top of an article count as its header.
HEADER_LINES = 5
#: A header line at most this long is a header (title, timestamp, source line), not prose,
#: so any full date in it is the article's date; in longer lines only a leading dateline is.
SHORT_HEADER_LINE = 100

_URL_DATE_RE = re.compile(
    rf"/(?P<y>{_YEAR})(?:(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])?"
    r"|[/-](?P<m2>0[1-9]|1[0-2])(?:[/-](?P<d2>0[1-9]|[12]\d|3[01]))?)?(?=/)"
)


def url_date(url: str | None) -> str | None:
    """Return the date an article's URL gives in a folder of its path, at its precision.

    Outlets file stories under ``/201510/``, ``/2019/05/`` or ``/2019/05/04/``; a bare
    ``/2019/`` folder gives the year. Numbers inside a file or slug name (story ids,
    ``...-20252030-term-...``) are not dates.

    Args:
        url: the article's URL, or None.

    Returns:
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or None.

    Examples:
        >>> url_date("https://baodanang.vn/english/politics/201510/congress-opens-2447258")
        '2015-10'
        >>> url_date("https://example.vn/2019/05/04/story.html")
        '2019-05-04'
        >>> url_date("https://news.example.vn/party-congress-2025-2030-1476520.ldo") is None
        True
    """
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]*", "", url.split("?")[0].split("#")[0])
    for m in _URL_DATE_RE.finditer(path):
        year, month, day = m["y"], m["m"] or m["m2"], m["d"] or m["d2"]
        if month is None:
            return year
        return _iso(int(year), int(month), int(day) if day else None)
    return None


# --------------------------------------------------------------------------- header


@dataclass(frozen=True, slots=True)
class _HeaderDate:
    """One date in an article's header: where it is, what it is and its ISO text.

    ``kind`` is ``stamp`` (a page timestamp line), ``banner`` (a stamp line opening with a
    weekday: the day the page was served), ``title`` (a full date in a short line that is
    not a stamp), ``dateline`` (a full date opening the lead) or ``lead`` (a date without
    a year opening the lead; ``iso`` is then None and ``month``/``day`` hold it).
    """

    kind: str
    start: int
    end: int
    iso: str | None
    month: int = 0
    day: int = 0


# what else a timestamp line may hold besides its date: times, zones, weekdays, labels
_STAMP_NOISE_RE = re.compile(
    rf"{_TIME}|\(?GMT\s*[+-]\s*\d+\)?|\b{_WEEKDAY}\b|[|,:;()\[\].–—-]", re.IGNORECASE
)
_PROSE_BEFORE_RE = re.compile(r"\b(?:on|of|in|from|since|until|by|to|dated)\s*$", re.IGNORECASE)
#: A timestamp line holds at most this many words besides its date and time.
STAMP_WORDS = 6


def header_stamps(text: str) -> list[tuple[int, int]]:
    r"""Return the spans of the page's timestamps and banner dates in the article's header.

    These dates say when the page was published or served, never when a meeting was.

    Args:
        text: the article text.

    Returns:
        ``(start, end)`` spans of the dates, in order.

    Examples:
        >>> text = "Friday, 09/20/2024\n\nThe committee met on August 28, 2020."
        >>> [text[a:b] for a, b in header_stamps(text)]
        ['09/20/2024']
    """
    return [(d.start, d.end) for d in _header_dates(text) if d.kind in ("stamp", "banner")]


def _header_dates(text: str) -> list[_HeaderDate]:
    """Classify the dates of the first :data:`HEADER_LINES` non-blank lines."""
    found: list[_HeaderDate] = []
    pos, seen = 0, 0
    for line in text.split("\n"):
        offset, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        found += _line_dates(line, offset)
    return found


def _line_dates(line: str, offset: int) -> list[_HeaderDate]:
    """Classify the dates of one header line (see :class:`_HeaderDate`)."""
    out: list[_HeaderDate] = []
    short = len(line.strip()) <= SHORT_HEADER_LINE
    lead = _AGENCY_LEAD_RE.match(line)
    for m in _DATE_RE.finditer(line):
        prefix = line[: m.start()]
        if _BEFORE_DATE_EXCLUDED_RE.search(prefix):
            continue
        iso = _match_iso(m, line, None)
        span = (offset + m.start(), offset + m.end())
        opening = _DATELINE_PREFIX_RE.fullmatch(prefix) is not None or bool(
            lead and "." not in prefix[lead.end() :] and _ON_BEFORE_RE.search(prefix)
        )
        if iso is None and opening and (m["m1"] or m["m2"]):
            month = _month_number(m["m1"] or m["m2"])
            out.append(_HeaderDate("lead", *span, None, month, int(m["d1"] or m["d2"])))
        elif iso is not None and _is_stamp_line(line, m, short):
            out.append(_HeaderDate(_stamp_kind(line, prefix), *span, iso))
        elif iso is not None and (opening or short):
            out.append(_HeaderDate("dateline" if opening else "title", *span, iso))
    return out


def _is_stamp_line(line: str, m: re.Match[str], short: bool) -> bool:
    """Tell whether a line is a timestamp: its date, a time, and a few labels.

    A collection's ``date 2022-06-17`` label opening a line is one, however long the line.
    """
    if re.fullmatch(r"\s*date\s+", line[: m.start()]):
        return True
    if not short:
        return False
    if _PROSE_BEFORE_RE.search(line[: m.start()]):
        return False  # "The committee met on August 28, 2020." is a sentence
    rest = _STAMP_NOISE_RE.sub(" ", line[: m.start()] + " " + line[m.end() :])
    return len(rest.split()) <= STAMP_WORDS


def _stamp_kind(line: str, prefix: str) -> str:
    """``banner`` for a stamp line opening with a weekday (English or Vietnamese), else stamp."""
    head = prefix.strip().lower()
    if _WEEKDAY_RE.match(head) or any(head.startswith(w) for w in _words().banner_weekdays):
        return "banner"
    return "stamp"


#: A report's opening date ("On August 28") lies at most this many days before the page's
#: date; a banner weeks later is the day the page was saved, not the day it was written.
MAX_REPORT_LAG_DAYS = 14


def find_article_date(text: str, near: str | None = None) -> str | None:
    r"""Find the article's own date in its header or dateline.

    Only the first :data:`HEADER_LINES` non-blank lines are read. The first of these
    counts: a timestamp line ("9:23:37 AM | 9/2/2023"), a full date in a short title or
    source line (not after "dated" or "No."), or a full date opening the lead ("On the
    morning of January 10, 2024, ...", "HANOI, January 10, 2024 (VNA) - ...", "(LSO) – The
    committee met on October 4, 2019"). A banner (a stamp line opening with a weekday,
    "Friday, 09/20/2024") counts only when nothing else does and the text does not say
    otherwise: its own dates are all of earlier years, or its lead ("On August 28") lies
    more than :data:`MAX_REPORT_LAG_DAYS` before the banner. Else a lead without a year
    ("HANOI, March 4 (VNA) –") takes the year of ``near``, or the year of the text
    (:func:`text_year`). Years of terms ("2020-2025") are never dates.

    Args:
        text: the article text.
        near: the date (or month, or year) the page's metadata gives, such as its URL's.

    Returns:
        ``YYYY-MM-DD``, or None.

    Examples:
        >>> find_article_date("Title\n\n9:23:37 AM | 9/2/2023\n\nBody.")
        '2023-09-02'
        >>> find_article_date("Friday, 09/20/2024\n(LSO) – On August 11, 2020, it met.")
        '2020-08-11'
        >>> find_article_date("On August 25, the delegation visited the province.") is None
        True
        >>> find_article_date("On August 25, the delegation visited the province.", "2019-08")
        '2019-08-25'
    """
    dates = _header_dates(text)
    firm = next((d for d in dates if d.kind in ("stamp", "title", "dateline")), None)
    if firm is not None and firm.iso and len(firm.iso) == 10:
        return firm.iso
    lead = next((d for d in dates if d.kind == "lead"), None)
    banner = next((d for d in dates if d.kind == "banner" and d.iso and len(d.iso) == 10), None)
    if banner is not None and banner.iso and not _banner_refuted(text, banner.iso, lead, dates):
        return banner.iso
    if lead is None:
        return None
    if near is None:
        year = text_year(text, [(d.start, d.end) for d in dates if d.kind == "banner"])
        near = None if year is None else str(year)
    return None if near is None else _iso(near_year(lead.month, near), lead.month, lead.day)


def _banner_refuted(
    text: str, banner: str, lead: _HeaderDate | None, dates: list[_HeaderDate]
) -> bool:
    """Tell whether the text says the banner's date is not the article's (see above)."""
    spans = [(d.start, d.end) for d in dates if d.kind == "banner"]
    year = text_year(text, spans, dates_only=True)
    if year is not None and year < int(banner[:4]):
        return True
    if lead is None:
        return False
    day = _iso(near_year(lead.month, banner), lead.month, lead.day)
    if day is None:
        return False
    return (_date.fromisoformat(banner) - _date.fromisoformat(day)).days > MAX_REPORT_LAG_DAYS
