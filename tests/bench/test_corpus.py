"""The benchmark corpus: deterministic, lazy, names swapped, graphs shaped like ours."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from kg.bench.corpus import cast, generate_articles, split_sentences, synthetic_graph
from kg.graph.rdf import to_quads
from kg.model import ArticleGraph

# our own invented sentences (never seed text)
SOURCE = (
    "On March 3, Secretary Hoang Van Binh chaired a meeting with officials of Lang Son "
    "province on Resolution No. 18-NQ/TW.\n"
    "Deputy Secretary Trinh Thi Lan and Colonel Dao Minh Tuan attended the meeting of the "
    "Ministry of Public Security in Bac Giang.\n"
    "The delegates agreed to finish the plan of the province before December 20, 2024.\n"
)


@pytest.fixture
def source(tmp_path: Path) -> list[str]:
    path = tmp_path / "invented.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return [str(path)]


def test_corpus_split_sentences_keeps_abbreviations() -> None:
    assert split_sentences("Resolution No. 7 passed. Mr. An spoke.\nNext") == [
        "Resolution No. 7 passed.",
        "Mr. An spoke.",
        "Next",
    ]


def test_corpus_is_deterministic_and_seeded(source: list[str]) -> None:
    a = list(generate_articles(5, seed=3, sources=source, sentences=(2, 4)))
    b = list(generate_articles(5, seed=3, sources=source, sentences=(2, 4)))
    c = list(generate_articles(5, seed=4, sources=source, sentences=(2, 4)))
    assert a == b
    assert [x.text for x in a] != [x.text for x in c]
    assert [x.doc_id for x in a] == [f"bench-3-{i:06d}.txt" for i in range(5)]
    assert all(re.fullmatch(r"20(19|2[0-5])-\d\d-\d\d", x.date or "") for x in a)


def test_corpus_swaps_names_codes_places_and_dates(source: list[str]) -> None:
    articles = list(generate_articles(30, seed=0, sources=source, sentences=(3, 3)))
    text = "\n".join(a.text for a in articles)
    # the invented names are replaced by the cast (almost always by someone else)
    assert text.count("Hoang Van Binh") < 5
    assert text.count("Lang Son") < 10
    # the grammar around them stays
    assert "-NQ/TW" in text and "Secretary" in text and "province" in text
    # the lead sentence states the article's own date
    for a in articles:
        assert a.date is not None
        y, m, d = (int(x) for x in a.date.split("-"))
        months = "January February March April May June July August September October"
        months += " November December"
        month = months.split()[m - 1]
        assert f"{month} {d}" in a.text.splitlines()[0]
    people = set(cast(0).people.items)
    assert any(p in text for p in itertools.islice(people, 4000))


def test_corpus_is_lazy() -> None:
    gen = generate_articles(10**9, seed=0, sentences=(1, 2))
    first = next(gen)
    assert first.text.strip()


def test_corpus_synthetic_graphs_are_valid_rdf_and_share_entities() -> None:
    graphs = [synthetic_graph(i, seed=0) for i in range(20)]
    assert synthetic_graph(3, seed=0) == graphs[3]
    keys: dict[str, int] = {}
    for g in graphs:
        assert isinstance(g, ArticleGraph)
        quads = list(to_quads(g))  # raises on unknown predicates or dangling ids
        assert len(quads) > 100
        for e in g.entities:
            keys[e.key] = keys.get(e.key, 0) + 1
        assert {e.type for e in g.entities} >= {"Person", "Organization", "Place", "Event"}
    # popular officials and bodies recur across articles, as in the news
    assert max(keys.values()) >= 5
