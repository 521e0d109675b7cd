"""The benchmark corpus: deterministic, lazy, names swapped, graphs shaped like ours."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.bench.casting import corpus_words
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


_FINGERPRINT = """
import hashlib, sys
from kg.bench.corpus import generate_articles, synthetic_graph
articles = list(generate_articles(4, seed=3, sources=[sys.argv[1]], sentences=(2, 4)))
graphs = [synthetic_graph(i, seed=1) for i in range(3)]
print(hashlib.sha256(repr((articles, graphs)).encode()).hexdigest())
"""


def test_corpus_is_the_same_in_a_fresh_process(source: list[str]) -> None:
    # the cast is cached per process: a fresh process with another hash seed must draw
    # the same articles and graphs (no dependence on set order or on earlier calls)
    runs = [
        subprocess.run(
            [sys.executable, "-c", _FINGERPRINT, source[0]],
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
            cwd=Path(__file__).resolve().parents[2],  # "-c" imports kg from here
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in (1, 2)
    ]
    articles = list(generate_articles(4, seed=3, sources=source, sentences=(2, 4)))
    graphs = [synthetic_graph(i, seed=1) for i in range(3)]
    here = hashlib.sha256(repr((articles, graphs)).encode()).hexdigest()
    assert runs == [here + "\n", here + "\n"]


def test_corpus_word_lists_fit_together() -> None:
    types = corpus_words("document_types")
    assert {suffix[:2] for suffix in corpus_words("document_suffixes")} <= set(types)
    assert all("{place}" in body for body in corpus_words("local_bodies"))
    assert all(w[:1].isupper() for w in corpus_words("not_name"))
    assert all(a.endswith(".") for a in corpus_words("sentence_abbreviations"))
