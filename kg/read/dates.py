"""Dates in English news text about Vietnam: phrases → ISO ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``.

Input: a text or one date phrase; output: ISO strings and spans, for the article's own date
(:mod:`kg.read.article_date`), documents and meetings, and the year a text is from. Reads
``kg/data/lexicons/dates.yaml`` (banner weekdays, year cues, relative days). The day/month
order of ``9/2/2023`` follows the rule of :func:`numeric_day_month`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date as _date
from datetime import timedelta
from functools import cache

from kg.errors import DataFileError
from kg.resources import data_path, load_yaml

__all__ = [
    "find_dates",
    "find_relative_dates",
    "near_year",
    "not_meeting_date",
    "numeric_day_month",
    "parse_date",
    "text_year",
]

_DATES_FILE = "lexicons/dates.yaml"

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

_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\(?GMT\s*\+\s*7\)?)?)"
_PHRASE_PREFIX_RE = re.compile(
    rf"[\s(\[,;:|–—-]*(?:{_TIME}[\s,;|–—-]*)?(?:(?:on|dated|since|from|until|by|in)\s+)?"
    r"(?:the\s+(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?"
    rf"(?:{_WEEKDAY},?\s*)?(?:{_TIME}[\s,;|–—-]*)?",
    re.IGNORECASE,
)
_PHRASE_SUFFIX_RE = re.compile(rf"[\s.,;:|)\]–—-]*(?:{_TIME}[\s.)\]]*)?")
_ISO_MONTH_RE = re.compile(rf"({_YEAR})-(0[1-9]|1[0-2])")


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


def _match_iso(
    m: re.Match[str], context: str, default_year: int | None, near: str | None = None
) -> str | None:
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
    month = _month_number(month_word)
    year_n = int(year) if year else default_year
    if not year and near:
        year_n = near_year(month, near)
    if year_n is None:
        return None
    return _iso(year_n, month, int(day))


def _month_number(word: str) -> int:
    return _MONTH_NUMBERS[word.rstrip(".").lower()]


def find_dates(
    text: str, default_year: int | None = None, *, near: str | None = None
) -> list[tuple[int, int, str]]:
    """Find every date phrase in ``text``.

    Supported forms: ``January 10, 2024``, ``Jan. 10, 2024``, ``10 January 2024``,
    ``January 10-11, 2024`` (first day), ``2024-01-10``, ``17/01/2024`` and
    ``9/2/2023`` (order by :func:`numeric_day_month`, judged on the date's line),
    ``November 2023`` (gives ``2023-11``), and ``August 25`` or ``25 August``, which take
    ``default_year`` (or the year :func:`near_year` gives for ``near``) and are left out
    when neither is given. Impossible dates (31 February) are left out. The span covers
    the date itself, not words such as "On" or "dated".

    Args:
        text: any text.
        default_year: the year of dates written without one (the article's year).
        near: an ISO date (or month, or year) the dates without a year are close to,
            such as the article's date; it decides their year instead of ``default_year``.

    Returns:
        ``(start, end, iso)`` for each date, in text order.

    Examples:
        >>> find_dates("Dated October 25, 2017; met on November 13.", default_year=2023)
        [(6, 22, '2017-10-25'), (31, 42, '2023-11-13')]
    """
    found: list[tuple[int, int, str]] = []
    for m in _DATE_RE.finditer(text):
        context = _line_around(text, m.start(), m.end()) if m.group("ny") else ""
        iso = _match_iso(m, context, default_year, near)
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


# --------------------------------------------------------------------------- years


def near_year(month: int, near: str) -> int:
    """Return the year of a date in ``month`` written without one, near the ISO date ``near``.

    The year is ``near``'s, one less when the month is more than six months after
    ``near``'s month: a December meeting reported in January was last year's.

    Args:
        month: the date's month (1-12).
        near: an ISO date, month or year (the article's date).

    Returns:
        The year.

    Examples:
        >>> near_year(3, "2024-03-05")
        2024
        >>> near_year(12, "2025-01-02")
        2024
        >>> near_year(12, "2025")
        2025
    """
    year = int(near[:4])
    if len(near) >= 7 and month - int(near[5:7]) > 6:
        return year - 1
    return year


_BARE_YEAR_RE = re.compile(rf"(?<![\w/.–-])({_YEAR})(?![\w/]|\s*[-–]\s*\d|\s+to\s+\d)")
_RANGE_END_RE = re.compile(r"\d\s*[-–]\s*$|\d\s+to\s+$")
_DOCUMENT_BEFORE_RE = re.compile(
    r"(?:\bdated|\bNo\.?\s*[\w./-]*|[A-Z]{2,}/[A-Z]{2,}\d*)\s*[,(]?\s*$", re.IGNORECASE
)


def text_year(
    text: str, skip: list[tuple[int, int]] | None = None, *, dates_only: bool = False
) -> int | None:
    """Return the year an article's text is written in, as far as the text tells.

    The latest year of its full dates that are not a document's; when it has none, the
    latest bare year it speaks of as its time ("in 2025", "the first quarter of 2025"; the
    openers are in ``dates.yaml``). Documents' dates ("dated October 25, 2017", "No.
    18-NQ/TW (October 25, 2017)") only say the text is not older: a 2020 congress cites a
    directive of 2019. Terms ("2020-2025", "2021 to 2025"), document codes, targets ("by
    2030"), births and deadlines are not years of the text either.

    Args:
        text: the article's text.
        skip: spans whose dates do not count (the page's banner).
        dates_only: use the text's own full dates only.

    Returns:
        The year, or None when the text names none.

    Examples:
        >>> text_year("Resolution No. 18 dated October 25, 2017 was reviewed in 2025.")
        2025
        >>> text_year("Resolution No. 18 dated October 25, 2017 was reviewed.") is None
        True
        >>> text_year("The congress of the 2020-2025 term set targets by 2030.") is None
        True
    """
    skip = skip or []
    own = [
        int(iso[:4])
        for start, _end, iso in find_dates(text)
        if not any(a <= start < b for a, b in skip)
        and not _DOCUMENT_BEFORE_RE.search(text[max(0, start - 40) : start])
    ]
    if own or dates_only:
        return max(own) if own else None
    w = _words()
    bare = []
    for m in _BARE_YEAR_RE.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        if _RANGE_END_RE.search(before):
            continue
        prev = re.findall(r"[\w’']+", before.lower())[-4:]
        if not prev or prev[-1] not in w.year_openers or w.not_now & set(prev[:-1]):
            continue
        bare.append(int(m.group(1)))
    return max(bare) if bare else None


# --------------------------------------------------------------------------- meetings


_YEAR_RANGE_AFTER_RE = re.compile(rf"\s*[-–]\s*{_YEAR}\b")


def not_meeting_date(before: str, after: str = "") -> bool:
    """Tell whether a date between the texts ``before`` and ``after`` is not a meeting's.

    A document's date ("dated ...", "No. 18-NQ/TW (October 25, 2017)"), a deadline or a
    start ("since", "until", "no later than"), a birthday (the words are in
    ``dates.yaml``), or the start of a span of years ("June 24, 1967 - 2022").

    Examples:
        >>> not_meeting_date("Directive No. 35-CT/TW dated ")
        True
        >>> not_meeting_date("relations (", " - 2022).")
        True
        >>> not_meeting_date("On the morning of ")
        False
    """
    if _YEAR_RANGE_AFTER_RE.match(after):
        return True
    tail = " ".join(re.findall(r"[\w’']+", before[-40:].lower())[-3:])
    if any(tail == w or tail.endswith(" " + w) for w in _words().not_meeting_before):
        return True
    return _DOCUMENT_BEFORE_RE.search(before[-40:]) is not None


_WEEKDAY_NAMES = [calendar.day_name[n] for n in range(7)]
_ON_WEEKDAY_RE = re.compile(rf"\bon\s+({'|'.join(_WEEKDAY_NAMES)})\b")


def find_relative_dates(text: str, anchor: str | None) -> list[tuple[int, int, str]]:
    """Find the days a text gives relative to the article's date ``anchor``.

    "today", "this morning" (the anchor), "yesterday" (the day before), "on Wednesday"
    (the last Wednesday on or before the anchor). With an anchor of month or year
    precision, the result keeps that precision.

    Args:
        text: a sentence.
        anchor: the article's ISO date, month or year; None gives nothing.

    Returns:
        ``(start, end, iso)`` for each phrase, in text order.

    Examples:
        >>> find_relative_dates("The session opened yesterday.", "2024-03-05")
        [(19, 28, '2024-03-04')]
        >>> find_relative_dates("He received them on Wednesday.", "2024-10-04")
        [(17, 29, '2024-10-02')]
    """
    if not anchor:
        return []
    found: list[tuple[int, int, int]] = []
    for phrase, back in _words().relative_days.items():
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
            found.append((m.start(), m.end(), back))
    day = _date.fromisoformat(anchor) if len(anchor) == 10 else None
    for m in _ON_WEEKDAY_RE.finditer(text):
        weekday = _WEEKDAY_NAMES.index(m.group(1))
        found.append((m.start(), m.end(), (day.weekday() - weekday) % 7 if day else 0))
    out = []
    for start, end, back in sorted(found):
        iso = (day - timedelta(days=back)).isoformat() if day else anchor
        out.append((start, end, iso))
    return out


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class _Words:
    banner_weekdays: tuple[str, ...]
    year_openers: frozenset[str]
    not_now: frozenset[str]
    not_meeting_before: tuple[str, ...]
    relative_days: dict[str, int]


@cache
def _words() -> _Words:
    """Load ``kg/data/lexicons/dates.yaml``.

    Raises:
        DataFileError: a list is missing or not a list of strings.
    """
    data = load_yaml(_DATES_FILE)
    where = str(data_path(_DATES_FILE))
    lists: dict[str, list[str]] = {}
    for key in ("banner_weekdays", "year_openers", "not_now_words", "not_meeting_before"):
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DataFileError(where, None, f'"{key}" must be a list of words')
        lists[key] = [v.lower() for v in value]
    days = data.get("relative_days")
    if not isinstance(days, dict) or not all(isinstance(v, int) for v in days.values()):
        raise DataFileError(where, None, '"relative_days" must map phrases to whole days')
    return _Words(
        tuple(lists["banner_weekdays"]),
        frozenset(lists["year_openers"]),
        frozenset(lists["not_now_words"]),
        tuple(lists["not_meeting_before"]),
        {str(k).lower(): int(v) for k, v in days.items()},
    )
