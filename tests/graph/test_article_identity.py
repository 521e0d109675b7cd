"""Article identity cannot collide: exact graph IRIs, refused duplicates, said replacements."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.graph.build import build, ingest
from kg.graph.store import KgStore, open_store
from kg.ids import article_iri, doc_of_segment, doc_segment, graph_iri, undated_event_key
from kg.model import ArticleGraph
from tests.conftest import make_graph

# ids that a lossy slug (punctuation and diacritics folded to "_" and ASCII) made one
CLASHING = ["a b.txt", "a&b.txt", "a_b.txt", "Hội nghị.txt", "Hoi nghi.txt", "a%20b.txt"]


def _graph(doc_id: str, text: str = "Ana Lum chaired the meeting in Song Lam.") -> ArticleGraph:
    return make_graph(
        doc_id,
        text,
        "2024-05-02",
        [
            ("e1", "Person", "Ana Lum", ("Ana Lum",), {}),
            ("e2", "Place", "Song Lam", ("Song Lam",), {}),
        ],
        [],
    )


def test_ids_graph_iris_of_clashing_ids_are_distinct() -> None:
    iris = {graph_iri(doc) for doc in CLASHING}
    assert len(iris) == len(CLASHING)
    assert len({article_iri(doc) for doc in CLASHING}) == len(CLASHING)
    assert len({undated_event_key("meeting", doc) for doc in CLASHING}) == len(CLASHING)


@pytest.mark.parametrize("doc", ["000_0e8fbe108fad76ea.txt", "report-2024.html", "news.jsonl:3"])
def test_ids_plain_ascii_ids_keep_readable_iris(doc: str) -> None:
    assert graph_iri(doc) == f"https://kg.example.org/graph/{doc}"


@given(st.text(min_size=1, max_size=30))
def test_ids_doc_segment_is_exact_and_iri_safe(doc: str) -> None:
    segment = doc_segment(doc)
    assert doc_of_segment(segment) == doc
    assert all(c.isascii() and (c.isalnum() or c in "-._~:@%") for c in segment)


def test_store_keeps_clashing_ids_apart_and_removes_exactly_one(store: KgStore) -> None:
    ingest([_graph(doc) for doc in CLASHING], store)
    assert store.articles() == sorted(CLASHING)
    store.remove_article("a&b.txt")
    assert store.articles() == sorted(set(CLASHING) - {"a&b.txt"})


def test_build_stores_files_whose_names_differ_only_in_punctuation(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a b.txt", "a&b.txt", "a_b.txt", "Hội nghị.txt", "Hoi nghi.txt"]
    for n, name in enumerate(names):
        (folder / name).write_text(f"Comrade Lum Van Tai{n} chaired the meeting in Song Lam.")
    report = build([folder], tmp_path / "store", nlp)
    assert report.ok, report.failed
    with open_store(tmp_path / "store", read_only=True) as st_:
        assert st_.articles() == sorted(names)


def test_build_refuses_a_second_input_with_the_same_id_naming_both(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"Comrade Lum Van Tai spoke in {folder}.")
    first, second = tmp_path / "one" / "report.txt", tmp_path / "two" / "report.txt"
    report = build([tmp_path / "one", tmp_path / "two"], tmp_path / "store", nlp)
    assert [doc for doc, _ in report.stored] == ["report.txt"]
    (message,) = report.failed
    assert str(second) in message and str(first) in message


def test_ingest_says_when_a_changed_text_replaces_a_stored_article(store: KgStore) -> None:
    ingest([_graph("r.txt")], store)
    again = ingest([_graph("r.txt")], store)
    assert again.warnings == []  # the same text again: nothing to say
    changed = _graph("r.txt", "Ana Lum chaired the other meeting in Song Lam.")
    report = ingest([changed], store)
    (warning,) = report.warnings
    assert "r.txt" in warning and "replaced" in warning
    old, new = _short_hash(_graph("r.txt")), _short_hash(changed)
    assert old in warning and new in warning


def test_ingest_no_replace_refuses_a_changed_text_and_keeps_the_stored_one(store: KgStore) -> None:
    ingest([_graph("r.txt")], store)
    before = sorted(map(str, store.quads()))
    changed = _graph("r.txt", "Ana Lum chaired the other meeting in Song Lam.")
    report = ingest([changed, _graph("s.txt")], store, replace=False)
    (failure,) = report.failed
    assert "r.txt" in failure and "--no-replace" in failure
    assert [doc for doc, _ in report.stored] == ["s.txt"]
    ingest([], store)
    after = sorted(q for q in map(str, store.quads()) if "s.txt" not in q)
    assert after == before
    # the same text again is no replacement, so it is stored even then
    assert ingest([_graph("r.txt")], store, replace=False).ok


def _short_hash(graph: ArticleGraph) -> str:
    import hashlib

    return hashlib.sha256(graph.article.text.encode("utf-8")).hexdigest()[:12]


def test_ingest_extractions_without_text_are_stored_without_a_hash(store: KgStore) -> None:
    bare = _graph("b.txt")
    bare = dataclasses.replace(bare, article=dataclasses.replace(bare.article, text=""))
    assert ingest([bare], store).ok
    assert ingest([bare], store, replace=False).ok
