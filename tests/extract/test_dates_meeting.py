"""The meeting's date: what the text gives for the meeting, never the publication date."""

from __future__ import annotations

import json

from kg import model
from kg.extract.pipeline import extract
from kg.model import Article, ArticleGraph, Entity
from kg.read.articles import read_articles
from kg.vocab import EVENT

CHAIR = (
    "Mr. Tran Van Binh, Secretary of the Ninh Thuan Provincial Party Committee, chaired "
    "the conference."
)


def events(graph: ArticleGraph) -> list[Entity]:
    found = [e for e in graph.entities if e.type == EVENT]
    assert found, [e.name for e in graph.entities]
    return found


def test_dates_meeting_date_is_not_the_publication_date(nlp, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "12/03/2024 08:15\n\nNinh Thuan reviews the work of two months\n\n"
        "On March 8, the Standing Committee of the Ninh Thuan Provincial Party Committee "
        f"held a conference to review the work of the first two months. {CHAIR}\n",
        encoding="utf-8",
    )
    undated = tmp_path / "b.txt"
    undated.write_text(
        "12/03/2024 08:15\n\nNinh Thuan reviews the work of two months\n\n"
        "The Standing Committee of the Ninh Thuan Provincial Party Committee held a "
        f"conference to review the work of the first two months. {CHAIR}\n",
        encoding="utf-8",
    )
    saved = tmp_path / "c.txt"
    saved.write_text(
        "Friday, 09/20/2024\n\n(DLN) – On August 28th, the Standing Committee of the Ninh "
        f"Thuan Provincial Party Committee held a conference on personnel work. {CHAIR}\n",
        encoding="utf-8",
    )
    a, b, c = list(read_articles([str(path), str(undated), str(saved)]))
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    assert (a.date, b.date, c.date) == ("2024-03-12", "2024-03-12", None)
    assert [e.date for e in events(extract(a, nlp))] == ["2024-03-08"]
    assert [e.date for e in events(extract(b, nlp))] == [None]  # not the stamp's day
    assert [e.date for e in events(extract(c, nlp))] == [None]  # not the save date's year


def test_dates_meeting_on_the_morning_of_takes_the_articles_year(extract_text):
    text = (
        "On the morning of June 29, the Ninh Thuan Provincial Party Committee held a "
        f"conference to review the first six months. {CHAIR}\n"
    )
    assert [e.date for e in events(extract_text(text, date="2023-07-01"))] == ["2023-06-29"]
    # a late-December meeting reported in January was last year's
    text = text.replace("June 29", "December 30")
    assert [e.date for e in events(extract_text(text, date="2024-01-02"))] == ["2023-12-30"]


def test_dates_meeting_this_morning_and_yesterday(extract_text):
    text = (
        "This morning (March 4), the Ninh Thuan Provincial Party Committee held a "
        f"conference on personnel work. {CHAIR}\n"
    )
    assert [e.date for e in events(extract_text(text, date="2024-03-05"))] == ["2024-03-04"]
    text = (
        "The Ninh Thuan Provincial Party Committee held a conference on personnel work "
        f"yesterday. {CHAIR}\n"
    )
    assert [e.date for e in events(extract_text(text, date="2024-03-05"))] == ["2024-03-04"]


def test_dates_meeting_without_a_date_says_so(extract_text):
    text = (
        "The Ninh Thuan Provincial Party Committee held a conference to review Directive "
        f"No. 35-CT/TW dated June 14, 2024 of the Politburo. {CHAIR}\n"
    )
    graph = extract_text(text, date="2024-09-20")
    (event,) = events(graph)
    assert event.date is None  # neither the document's date nor the article's
    line = json.loads(json.dumps(graph.to_dict()))
    (event_dict,) = [e for e in line["entities"] if e["type"] == EVENT]
    assert "date" in event_dict and event_dict["date"] is None


def test_dates_meeting_day_and_month_without_any_year_is_unknown(extract_text):
    text = (
        "On August 28, the Ninh Thuan Provincial Party Committee held a conference for the "
        f"2020-2025 term. {CHAIR}\n"
    )
    assert [e.date for e in events(extract_text(text))] == [None]


def test_dates_event_json_shape():
    assert model._EVENT == EVENT
    undated = Entity("e1", EVENT, "conference", "event/conference")
    dated = Entity("e2", EVENT, "session", "event/2019-10", date="2019-10")
    person = Entity("e3", "Person", "Tran Van Binh", "person/tran-van-binh")
    assert undated.to_dict()["date"] is None
    assert dated.to_dict()["date"] == "2019-10"
    assert "date" not in person.to_dict()
    for e in (undated, dated, person):
        assert Entity.from_dict(json.loads(json.dumps(e.to_dict()))) == e
