"""The article's own date: banners, stamps, datelines, URL folders and page metadata."""

from __future__ import annotations

import json

import pytest

from kg.model import Article
from kg.read.article_date import find_article_date, header_stamps, url_date
from kg.read.articles import read_articles
from kg.read.dates import find_dates, find_relative_dates, near_year, not_meeting_date, text_year
from kg.read.records import html_published_date

LEAD = (
    "(DLN) – On the morning of August 11, 2020, the Hoa Son District Party Committee "
    "solemnly opened its congress for the 2020-2025 term at the district hall."
)


def read_one(path) -> Article:  # type: ignore[no-untyped-def]
    (article,) = list(read_articles([str(path)]))
    assert isinstance(article, Article), article
    return article


# ---------------------------------------------------------------- banner vs text


def test_article_date_banner_loses_to_a_dateline_of_another_year():
    text = f"HOME\nFriday, 09/20/2024\n\nHoa Son holds its congress\n\n{LEAD}\n"
    assert find_article_date(text) == "2020-08-11"


def test_article_date_vietnamese_banner_with_time_loses_to_the_text():
    text = (
        "Thứ Năm, 30/06/2022, 15:55 (GMT+7)\n\nHeadline of the story\n\n"
        "HANOI, March 4, 2019 (VNA) – The standing board met to review the work of the "
        "first two months of the year and to set the tasks for the coming quarter.\n"
    )
    assert find_article_date(text) == "2019-03-04"


def test_article_date_banner_refuted_by_the_texts_own_earlier_dates():
    text = (
        "Friday, 09/20/2024\n\nHeadline\n\nThe board met for a long session and heard many "
        "reports from the districts on the work of the year past.\n"
        "The delegation had visited the district twice before, on May 5, 2019 and again on "
        "June 2, 2019, to check the preparations.\n"
    )
    assert find_article_date(text) is None


def test_article_date_banner_weeks_after_a_yearless_lead_is_the_save_date():
    text = (
        "Friday, 09/20/2024\n\n(DLN) – On August 28th, the Provincial Party Committee held "
        "a conference on personnel work for the new term of office in the province.\n"
    )
    assert find_article_date(text) is None


def test_article_date_banner_days_after_a_yearless_lead_is_kept():
    text = (
        "Monday, 03/11/2024\n\n(DLN) – On March 8, the Provincial Party Committee held "
        "a conference on personnel work for the new term of office in the province.\n"
    )
    assert find_article_date(text) == "2024-03-11"
    assert [text[a:b] for a, b in header_stamps(text)] == ["03/11/2024"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2017 08:49 Views: 3739\n\nBody.", "2017-03-31"),
        ("06:19 | 08/07/2020 Events\n\nBody.", "2020-07-08"),
        ("Date: 10/06/2024\n\nBody.", "2024-06-10"),
        (" date 2022-06-17 A long headline about the friendship association " + "x " * 60, None),
    ],
)
def test_article_date_stamp_lines(text, expected):
    if expected is None:  # a collection's "date" label opens the line, however long
        assert find_article_date(text) == "2022-06-17"
        assert [text[a:b] for a, b in header_stamps(text)] == ["2022-06-17"]
    else:
        assert find_article_date(text) == expected


# ---------------------------------------------------------------- datelines and years


def test_article_date_dateline_takes_the_year_from_metadata():
    text = "HANOI, October 4 (VNA) – The Politburo met with the provincial leaders.\n"
    assert find_article_date(text) is None
    assert find_article_date(text, near="2019-10") == "2019-10-04"
    # a December dateline on a January page is last year's
    assert find_article_date("HANOI, December 30 (VNA) – It met.", near="2020-01") == "2019-12-30"


def test_article_date_on_the_morning_of_takes_the_year_from_the_text():
    text = (
        "On the morning of March 4, the Provincial People's Council opened its session to "
        "review the results of the first quarter of 2023 and the tasks ahead.\n"
    )
    assert find_article_date(text) == "2023-03-04"


def test_article_date_agency_lead_gives_the_date_in_its_first_sentence():
    text = (
        "(DLN) – The Provincial Party Committee held its 12th conference on October 4, "
        "2019 to review the work of the first nine months.\n"
    )
    assert find_article_date(text) == "2019-10-04"


@pytest.mark.parametrize(
    "text",
    [
        "Hoa Son District Party Congress for the 2020-2025 term\n\nThe congress opened.",
        "The congress of the 2025-2030 term opened; the term 2020 – 2025 was reviewed.",
        "On May 3, the delegates of the 2021-2026 term met.",  # the term gives no year
    ],
)
def test_article_date_a_term_is_not_a_date(text):
    assert find_article_date(text) is None
    assert find_dates(text) == []
    assert text_year(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It reviewed the work of the first quarter of 2025 and the plan.", 2025),
        ("Directive No. 35-CT/TW dated June 14, 2019 was reviewed.", None),
        ("He was born in 1973. The remaining targets in 2030 were set.", None),
        ("It met on May 5, 2019 and reviewed the plan for 2025.", 2019),
    ],
)
def test_article_date_text_year(text, expected):
    assert text_year(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://paper.example.vn/english/politics/201510/congress-opens-2447258", "2015-10"),
        ("https://paper.example.vn/2019/05/04/story.html", "2019-05-04"),
        ("https://paper.example.vn/2019/05/story.html", "2019-05"),
        ("https://paper.example.vn/news/congress-20252030-term-2900d15", None),
        ("https://paper.example.vn/thoi-su/story-1476520.ldo", None),
        (None, None),
    ],
)
def test_article_date_url_folders(url, expected):
    assert url_date(url) == expected


def test_article_date_near_year_and_relative_days():
    assert near_year(12, "2025-01-02") == 2024
    assert near_year(2, "2025-01-02") == 2025
    assert find_relative_dates("It opened this morning.", "2024-03-05")[0][2] == "2024-03-05"
    assert find_relative_dates("He met them on Friday.", "2024-03-05")[0][2] == "2024-03-01"
    assert find_relative_dates("It opened today.", "2015-10") == [(10, 15, "2015-10")]
    assert find_relative_dates("It opened today.", None) == []
    assert not_meeting_date("the plan must be done no later than ")
    assert not not_meeting_date("The board met on ")


# ---------------------------------------------------------------- through the reader


def test_article_date_jsonl_date_field_wins_over_the_banner(tmp_path):
    path = tmp_path / "a.jsonl"
    records = [
        {"id": "a1", "date": "2019-10-04", "text": f"Friday, 09/20/2024\n\n{LEAD}"},
        {"id": "a2", "date": "2019-10", "text": "The committee met."},
        {"id": "a3", "date": "2019", "text": "The committee met."},
        {"id": "a4", "url": "https://paper.example.vn/politics/201910/x-1", "text": LEAD},
        {
            "id": "a5",
            "url": "https://paper.example.vn/politics/201910/x-2",
            "text": "HANOI, October 4 (VNA) – The Politburo met with the leaders.",
        },
        {"id": "a6", "url": "https://paper.example.vn/2018/03/x-3", "text": "They met."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    got = {a.doc_id: a.date for a in read_articles([str(path)]) if isinstance(a, Article)}
    assert got == {
        "a1": "2019-10-04",  # the record's own date
        "a2": "2019-10",  # precision kept
        "a3": "2019",
        "a4": "2020-08-11",  # the text's dateline with its year
        "a5": "2019-10-04",  # the dateline's day, the URL's year
        "a6": "2018-03",  # only the URL's month
    }


BODY = (
    "<p>Friday, 09/20/2024</p><article><p>The Hoa Son District Party Committee opened its "
    "congress for the new term at the district hall with many delegates attending.</p>"
    "<p>The congress reviewed the work of the past term and set the tasks.</p></article>"
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="article:published_time" content="2019-10-04T08:00:00+07:00">',
            "2019-10-04",
        ),
        ('<meta property="og:published_time" content="2019-10-05">', "2019-10-05"),
        ('<meta itemprop="datePublished" content="2019-10-06">', "2019-10-06"),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2019-10-07T09:00:00Z"}]}</script>',
            "2019-10-07",
        ),
    ],
)
def test_article_date_html_metadata(tmp_path, head, expected):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body>{BODY}</body></html>", encoding="utf-8")
    assert read_one(path).date == expected


def test_article_date_html_time_element_and_broken_json_ld():
    html = (
        '<script type="application/ld+json">{broken</script>'
        '<p><time datetime="2021-07-01T07:30">July 1</time></p>'
    )
    assert html_published_date(html) == "2021-07-01"
    assert html_published_date("<p>No date here.</p>") is None
