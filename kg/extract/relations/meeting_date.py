"""Relations, the meeting's date: the day the text gives for the meeting it reports.

Input: an article's :class:`~kg.extract.relations.common.Ctx`, the sentence that names the
meeting and the article's own date; output: an ISO date (day, month or year) or None.
Phrases and cue words come from :mod:`kg.read.dates` (``kg/data/lexicons/dates.yaml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.read.article_date import header_stamps
from kg.read.dates import find_dates, find_relative_dates, not_meeting_date, text_year

if TYPE_CHECKING:
    from kg.extract.relations.common import Ctx

__all__ = ["meeting_date"]

#: Sentences searched after the one naming the meeting, before the article's lead.
FOLLOWING_SENTENCES = 2
#: The lead: the article's first sentences, where the dateline gives the meeting's day.
LEAD_SENTENCES = 3


def meeting_date(ctx: Ctx, sent: int, article_date: str | None) -> str | None:
    """Find the date the text gives for the article's meeting.

    The sentence naming the meeting is read first, then the two after it, then the
    article's first three sentences. In each, the first date that is not a page stamp
    (:func:`kg.read.article_date.header_stamps`), a document's date or a deadline
    (:func:`kg.read.dates.not_meeting_date`) counts ("On the morning of June 29",
    "opened on October 14, 2020"); when it has none, "today", "yesterday" or "on
    Wednesday" counts the days from the article's date. A day and month without a year
    take the year near the article's date (:func:`kg.read.dates.near_year`), else the
    year of the text (:func:`kg.read.dates.text_year`), else the date is unknown.

    The article's own date is never the meeting's: a text that gives no date for its
    meeting gives an event without one, so that one visit reported on two days stays one.

    Args:
        ctx: the article.
        sent: the index of the sentence naming the meeting.
        article_date: the article's ISO date (day, month or year), or None.

    Returns:
        ``YYYY-MM-DD`` (``YYYY-MM`` or ``YYYY`` when that is all the text says), or None.
    """
    stamps = header_stamps(ctx.text)
    near = article_date
    if near is None:
        year = text_year(ctx.text, stamps)
        near = None if year is None else str(year)
    order = [sent + k for k in range(FOLLOWING_SENTENCES + 1)] + list(range(LEAD_SENTENCES))
    seen: set[int] = set()
    for s in order:
        if s in seen or s >= len(ctx.sents):
            continue
        seen.add(s)
        span = ctx.sents[s]
        text = ctx.text[span.start_char : span.end_char]
        for start, end, iso in find_dates(text, near=near):
            at = span.start_char + start
            if any(a <= at < b for a, b in stamps) or not_meeting_date(text[:start], text[end:]):
                continue
            return iso
        relative = find_relative_dates(text, article_date)
        if relative:
            return relative[0][2]
    return None
