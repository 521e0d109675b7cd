"""Dates in English news text about Vietnam: phrases → ISO ``YYYY-MM-DD`` (or ``YYYY-MM``).

Input: an article's text or one date phrase; output: ISO strings and character spans,
for the article's own date (:mod:`kg.read.articles`) and event dates. Reads no data files. The
day/month order of ``9/2/2023`` follows the rule of :func:`numeric_day_month`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date as _date

__all__ = ["find_article_date", "find_dates", "numeric_day_month", "parse_date"]

_MONTH_NUMBERS: dict[str, int] = {}
for _n in range(1, 13):
    _MONTH_NUMBERS[calendar.month_name[_n].lower()] = _n
    _MONTH_NUMBERS[calendar.month_abbr[_n].lower()] = _n
_MONTH_NUMBERS["sept"] = 9

# Title Case and UPPER CASE only, because lower-case "may" and "march" are ordinary
# words; only an abbreviation takes a dot ("Jan."), so a sentence's full stop stays out.
_FULL_MONTHS = [calendar.month_name[n].lower() for n in range(1, 13)]
_ABBR_MONTHS = sorted(set(_MONTH_NUMBERS) - set(_FULL_MONTHS), key=len, reverse=True)
_MONTH = (
    "(?:(?:" + "|".join(w.title() + "|" + w.upper() for w in _FULL_MONTHS) + r")\b"
    "|(?:" + "|".join(w.title() + "|" + w.upper() for w in _ABBR_MONTHS) + r")\b\.?)"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_YEAR = r"(?:19|20)\d{2}"
_ORD = r"(?:st|nd|rd|th)?"

_DATE_RE = re.compile(
    # 2024-01-10, 2024/01/10
    rf"(?<![\d/.-])(?P<iy>{_YEAR})(?P<isep>[-/])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}})"
    r"(?![\d/-])"
    # 17/01/2024, 9/2/2023, 17-01-2024, 17.01.2024 (order decided by numeric_day_month)
    rf"|(?<![\d/.-])(?P<n1>\d{{1,2}})(?P<nsep>[/.-])(?P<n2>\d{{1,2}})(?P=nsep)(?P<ny>{_YEAR})"
    r"(?![\d/])"
    # January 10, 2024 / Jan. 10 / January 10-11, 2024 (a range takes its first day)
    rf"|(?<![A-Za-z])(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}){_ORD}(?!\d)"
    rf"(?:\s*[-–]\s*\d{{1,2}}{_ORD}(?!\d))?(?:,?\s+(?P<y1>{_YEAR})(?!\d))?"
    # 10 January 2024 / 10th of January / 10-12 January 2024
    rf"|(?<![\d/.])(?P<d2>\d{{1,2}}){_ORD}(?:\s*[-–]\s*\d{{1,2}}{_ORD})?\s+(?:of\s+)?"
    rf"(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR})(?!\d))?"
    # November 2023 (month precision)
    rf"|(?<![A-Za-z])(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})(?!\d)"
)

_WEEKDAY_RE = re.compile(rf"\b{_WEEKDAY}\b", re.IGNORECASE)
_CLOCK_12H_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*[AaPp]\.?[Mm]\b")
_CLOCK_24H_RE = re.compile(r"\b(?:1[3-9]|2[0-3]):[0-5]\d\b(?!\s*[AaPp]\.?[Mm])")

# What may stand before the date at the start of a long header line for it to count
# as the article's dateline: "HANOI (VNA) - On the morning of January 10, 2024, ...".
_DATELINE_PREFIX_RE = re.compile(
    r"\s*(?:[A-Z][A-Za-z .'’-]{1,40},\s*)?"
    r"(?:\([A-Z]{2,8}\)\s*[-–—:]?\s*)?"
    r"(?:(?:[Oo]n|[Ii]n|[Uu]pdated|[Pp]ublished|[Pp]osted)\s*:?\s+(?:on\s+)?)?"
    r"(?:the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?"
    rf"(?:{_WEEKDAY},?\s+)?"
)
# What may surround a phrase given to parse_date besides the date itself.
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\(?GMT\s*\+\s*7\)?)?)"
_PHRASE_PREFIX_RE = re.compile(
    rf"[\s(\[,;:|–—-]*(?:{_TIME}[\s,;|–—-]*)?(?:(?:on|dated|since|from|until|by|in)\s+)?"
    r"(?:the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?"
    rf"(?:{_WEEKDAY},?\s*)?(?:{_TIME}[\s,;|–—-]*)?",
    re.IGNORECASE,
)
_PHRASE_SUFFIX_RE = re.compile(rf"[\s.,;:|)\]–—-]*(?:{_TIME}[\s.)\]]*)?")
_ISO_MONTH_RE = re.compile(rf"({_YEAR})-(0[1-9]|1[0-2])")
_BEFORE_DATE_EXCLUDED_RE = re.compile(r"(?:\bdated|\bNo\.?)\s*$", re.IGNORECASE)

#: How many non-blank lines at the top of an article count as its header.
HEADER_LINES = 5
#: A header line at most this long is a header (title, timestamp, source line), not prose,
#: so any full date in it is the article's date; in longer lines only a leading dateline is.
SHORT_HEADER_LINE = 100


def numeric_day_month(first: int, second: int, context: str = "") -> tuple[int, int] | None:
    """Decide the day and month of an all-numeric date ``first/second/year``.

    The rule: a number above 12 can only be the day, so ``17/01`` is 17 January and
    ``09/20`` is 20 September (US order). When both are 12 or less the date is read
    day/month, the Vietnamese convention, unless the line (``context``) is formatted
    the US way: it carries an English weekday name ("Friday, 09/10/2024") or a
    12-hour clock ("9:23:37 AM | 9/2/2023"), and no 24-hour clock past noon
    ("Friday, 15:30, 09/10/2024" is a Vietnamese site writing day/month). The clock
    case extends the weekday case: Vietnamese sites print 24-hour times, and the
    US-style timestamp of ``9/2/2023`` on a page about a meeting of 25 August 2023
    can only be 2 September.

    Args:
        first: the first number as written.
        second: the second number as written.
        context: the line the date stands in.

    Returns:
        ``(day, month)``, or None when neither reading is a valid day and month.

    Examples:
        >>> numeric_day_month(17, 1)
        (17, 1)
        >>> numeric_day_month(9, 20, "Friday, 09/20/2024")
        (20, 9)
        >>> numeric_day_month(9, 2, "9/2/2023")
        (9, 2)
        >>> numeric_day_month(9, 2, "9:23:37 AM | 9/2/2023")
        (2, 9)
    """
    if first < 1 or second < 1:
        return None
    if first > 12 and second <= 12:
        return first, second
    if second > 12 and first <= 12:
        return second, first
    if first > 12:
        return None
    us_style = bool(_WEEKDAY_RE.search(context) or _CLOCK_12H_RE.search(context))
    if us_style and not _CLOCK_24H_RE.search(context):
        return second, first
    return first, second


def _iso(year: int, month: int, day: int | None) -> str | None:
    """Return ISO text for a calendar date, or None when the date does not exist."""
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return _date(year, month, day).isoformat()
    except ValueError:
        return None


def _line_around(text: str, start: int, end: int) -> str:
    """Return the line of ``text`` that holds ``text[start:end]``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start : len(text) if line_end < 0 else line_end]


def _match_iso(m: re.Match[str], context: str, default_year: int | None) -> str | None:
    """Turn one match of the date pattern into ISO text (None when invalid or yearless)."""
    g = m.groupdict()
    if g["iy"]:
        return _iso(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["ny"]:
        dm = numeric_day_month(int(g["n1"]), int(g["n2"]), context)
        return None if dm is None else _iso(int(g["ny"]), dm[1], dm[0])
    if g["m3"]:
        return _iso(int(g["y3"]), _month_number(g["m3"]), None)
    month_word, day, year = (g["m1"], g["d1"], g["y1"]) if g["m1"] else (g["m2"], g["d2"], g["y2"])
    year_n = int(year) if year else default_year
    if year_n is None:
        return None
    return _iso(year_n, _month_number(month_word), int(day))


def _month_number(word: str) -> int:
    return _MONTH_NUMBERS[word.rstrip(".").lower()]


def find_dates(text: str, default_year: int | None = None) -> list[tuple[int, int, str]]:
    """Find every date phrase in ``text``.

    Supported forms: ``January 10, 2024``, ``Jan. 10, 2024``, ``10 January 2024``,
    ``January 10-11, 2024`` (first day), ``2024-01-10``, ``17/01/2024`` and
    ``9/2/2023`` (order by :func:`numeric_day_month`, judged on the date's line),
    ``November 2023`` (gives ``2023-11``), and ``August 25`` or ``25 August``, which take
    ``default_year`` and are left out when it is None. Impossible dates (31 February)
    are left out. The span covers the date itself, not words such as "On" or "dated".

    Args:
        text: any text.
        default_year: the year of dates written without one (the article's year).

    Returns:
        ``(start, end, iso)`` for each date, in text order.

    Examples:
        >>> find_dates("Dated October 25, 2017; met on November 13.", default_year=2023)
        [(6, 22, '2017-10-25'), (31, 42, '2023-11-13')]
    """
    found: list[tuple[int, int, str]] = []
    for m in _DATE_RE.finditer(text):
        context = _line_around(text, m.start(), m.end()) if m.group("ny") else ""
        iso = _match_iso(m, context, default_year)
        if iso is not None:
            found.append((m.start(), m.end(), iso))
    return found


def parse_date(phrase: str, default_year: int | None = None) -> str | None:
    """Parse one date phrase to ISO.

    The phrase may carry a leading "on", "dated", "on the morning of" or a weekday,
    and trailing punctuation, but nothing else besides the date. ``YYYY-MM`` is
    accepted as it is.

    Args:
        phrase: the phrase, e.g. ``"January 10, 2024"`` or ``"25/8/2023"``.
        default_year: the year to use when the phrase has none.

    Returns:
        ``YYYY-MM-DD`` (or ``YYYY-MM`` for a month), or None when the phrase is not
        one date.

    Examples:
        >>> parse_date("January 10, 2024")
        '2024-01-10'
        >>> parse_date("August 25", default_year=2023)
        '2023-08-25'
        >>> parse_date("25/8/2023")
        '2023-08-25'
        >>> parse_date("November 2023")
        '2023-11'
        >>> parse_date("the meeting") is None
        True
    """
    text = phrase.strip()
    iso_month = _ISO_MONTH_RE.fullmatch(text)
    if iso_month:
        return f"{iso_month.group(1)}-{iso_month.group(2)}"
    m = _DATE_RE.search(text)
    if m is None:
        return None
    if not _PHRASE_PREFIX_RE.fullmatch(text[: m.start()]):
        return None
    if not _PHRASE_SUFFIX_RE.fullmatch(text[m.end() :]):
        return None
    return _match_iso(m, text, default_year)


def find_article_date(text: str) -> str | None:
    r"""Find the article's own date in its header or dateline.

    Only the first :data:`HEADER_LINES` non-blank lines are read. In a short line
    (a title, timestamp or source line) any full date counts, except one after
    "dated" or "No.", which belongs to a document; in a longer line only a date
    at its start counts ("On the morning of January 10, 2024, ...", "HANOI, January 10,
    2024 (VNA) - ..."). Dates without a year, and years mentioned in the body, are
    never used: the result is None rather than a guess.

    Args:
        text: the article text.

    Returns:
        ``YYYY-MM-DD``, or None.

    Examples:
        >>> find_article_date("Title\n\n9:23:37 AM | 9/2/2023\n\nBody.")
        '2023-09-02'
        >>> find_article_date("On August 25, the delegation visited the province.") is None
        True
    """
    lines = (line for line in text.split("\n") if line.strip())
    for _, line in zip(range(HEADER_LINES), lines, strict=False):
        short = len(line.strip()) <= SHORT_HEADER_LINE
        for m in _DATE_RE.finditer(line):
            prefix = line[: m.start()]
            if _BEFORE_DATE_EXCLUDED_RE.search(prefix):
                continue
            if not short and not _DATELINE_PREFIX_RE.fullmatch(prefix):
                continue
            iso = _match_iso(m, line, None)
            if iso is not None and len(iso) == 10:
                return iso
    return None
