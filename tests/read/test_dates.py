from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.read.article_date import find_article_date
from kg.read.dates import find_dates, numeric_day_month, parse_date


@pytest.mark.parametrize(
    ("phrase", "default_year", "expected"),
    [
        ("January 10, 2024", None, "2024-01-10"),
        ("On the morning of January 10, 2024", None, "2024-01-10"),
        ("on the afternoon of March 3, 2024,", None, "2024-03-03"),
        ("10 January 2024", None, "2024-01-10"),
        ("10th of January, 2024", None, "2024-01-10"),
        ("Jan. 10, 2024", None, "2024-01-10"),
        ("Sept. 5, 2024", None, "2024-09-05"),
        ("JANUARY 10, 2024", None, "2024-01-10"),
        ("January 10-11, 2024", None, "2024-01-10"),
        ("2024-01-10", None, "2024-01-10"),
        ("2024/01/10", None, "2024-01-10"),
        ("17/01/2024", None, "2024-01-17"),
        ("17-01-2024", None, "2024-01-17"),
        ("17.01.2024", None, "2024-01-17"),
        ("25/8/2023", None, "2023-08-25"),
        ("Friday, 09/20/2024", None, "2024-09-20"),
        ("9:23:37 AM | 9/2/2023", None, "2023-09-02"),
        ("17/01/2024 10:15", None, "2024-01-17"),
        ("Thursday, January 10, 2024 - 09:12 (GMT+7)", None, "2024-01-10"),
        ("August 25", 2023, "2023-08-25"),
        ("on November 13", 2023, "2023-11-13"),
        ("25 August", 2023, "2023-08-25"),
        ("dated October 25, 2017", None, "2017-10-25"),
        ("November 2023", None, "2023-11"),
        ("2024-01", None, "2024-01"),
    ],
)
def test_dates_parse_date_forms(phrase, default_year, expected):
    assert parse_date(phrase, default_year=default_year) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "August 25",  # no year and no default year
        "the meeting",
        "31/02/2024",  # no such day
        "13/13/2024",
        "2024-13-01",
        "January 10, 2024 and then more",  # not one date phrase
        "Resolution No. 35/2023/UBTVQH15",
        "may 10",  # lower-case "may" is a verb
        "",
    ],
)
def test_dates_parse_date_refuses(phrase):
    assert parse_date(phrase) is None


@pytest.mark.parametrize(
    ("first", "second", "context", "expected"),
    [
        (17, 1, "17/01/2024", (17, 1)),  # first > 12: day first
        (9, 20, "09/20/2024", (20, 9)),  # second > 12: US order
        (9, 2, "9/2/2023", (9, 2)),  # both <= 12: Vietnamese day/month
        (9, 2, "Friday, 09/02/2024", (2, 9)),  # English weekday: US order
        (9, 2, "9:23:37 AM | 9/2/2023", (2, 9)),  # 12-hour clock: US order
        (9, 2, "Friday, 15:30, 09/02/2024", (9, 2)),  # 24-hour clock: Vietnamese site
        (13, 14, "13/14/2024", None),
        (0, 5, "0/5/2024", None),
    ],
)
def test_dates_numeric_day_month_rule(first, second, context, expected):
    assert numeric_day_month(first, second, context) == expected


def test_dates_find_dates_spans_and_default_year():
    text = (
        "On August 25, the delegation reviewed Resolution No. 18-NQ/TW dated "
        "October 25, 2017.\nThe next session is on 5 September.\n"
    )
    found = find_dates(text, default_year=2023)
    assert [text[a:b] for a, b, _ in found] == ["August 25", "October 25, 2017", "5 September"]
    assert [iso for _, _, iso in found] == ["2023-08-25", "2017-10-25", "2023-09-05"]
    # without a default year, dates without one are left out
    assert [iso for _, _, iso in find_dates(text)] == ["2017-10-25"]


def test_dates_find_dates_numeric_order_is_judged_per_line():
    text = "Friday, 09/02/2024\nThe plan of 09/02/2024 was adopted."
    assert [iso for _, _, iso in find_dates(text)] == ["2024-09-02", "2024-02-09"]


def test_dates_find_dates_ignores_document_codes_and_numbers():
    text = (
        "Resolution No. 35/2023/UBTVQH15 and Decision No. 339/QD-TTg; "
        "the term 2020-2025; 1,500 delegates; 12/2024 targets."
    )
    assert find_dates(text) == []


def test_dates_find_dates_glued_to_a_word():
    text = "Daily Lowland News17/01/2024"
    assert find_dates(text) == [(18, 28, "2024-01-17")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title of the story\n\n9:23:37 AM | 9/2/2023\n\nThe committee met.", "2023-09-02"),
        ("Site banner\n\nHeadline here\n\nDaily Lowland News17/01/2024\n\nBody.", "2024-01-17"),
        # a dateline with its year wins over the site's banner (the day the page was saved)
        ("Friday,  09/20/2024\n\nHeadline\n\nOn the morning of January 10, 2024", "2024-01-10"),
        ("Friday,  09/20/2024\n\nHeadline\n\nThe committee met.", "2024-09-20"),
        (
            "Headline\nOn the morning of January 10, 2024, the Provincial People's Committee "
            "organized an online conference at three levels to deploy the main goals of the "
            "year.",
            "2024-01-10",
        ),
        (
            "HANOI, Jan. 10, 2024 (VNA) - The Politburo met to discuss the draft documents "
            "of the congress and to agree on the personnel plan for the next term of office.",
            "2024-01-10",
        ),
        ("Updated: 10 January 2024\nHeadline\nBody.", "2024-01-10"),
    ],
)
def test_dates_find_article_date_in_header(text, expected):
    assert find_article_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # day and month only: the year is not stated
        "On August 25, General Secretary Dao Van Kien visited the province and worked with "
        "the Standing Committee of the Provincial Party Committee on the resolution.",
        # a date in the middle of a long first paragraph is not the article's date
        "Implementing the working programme for the whole term, the Standing Committee "
        "convened a meeting, following the conference held on October 2, 2023 in the city.",
        # a document's date
        "Resolution dated October 25, 2017 reviewed\nBody text.",
        # a date below the header area
        "One\nTwo\nThree\nFour\nFive\nSix: January 10, 2024",
        "",
    ],
)
def test_dates_find_article_date_none(text):
    assert find_article_date(text) is None


@given(st.text(max_size=300), st.one_of(st.none(), st.integers(1900, 2100)))
def test_dates_find_dates_never_raises_and_spans_fit(text, default_year):
    for start, end, iso in find_dates(text, default_year=default_year):
        assert 0 <= start < end <= len(text)
        if len(iso) == 10:
            date.fromisoformat(iso)
        else:
            assert len(iso) == 7
    result = find_article_date(text)
    assert result is None or date.fromisoformat(result)
