"""One node per thing across articles: documents by code, congresses, one meeting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.answer.queries import run_query
from kg.graph.build import ingest
from kg.graph.store import KgStore, open_store
from kg.ids import entity_iri, graph_iri
from kg.model import ArticleGraph
from kg.vocab import FACTS_IRI

Extract = Callable[..., ArticleGraph]

# Invented articles: one province's conference reported twice (the second without a
# date), a resolution written three ways, and two provinces' 17th congresses.
DATED = (
    "On March 5, 2024, the Standing Board of the Lang Son Provincial Party Committee held "
    "a conference in Lang Son city to review Resolution No. 18-NQ/TW dated October 25, "
    "2017 of the Party Central Committee. Secretary of the Lang Son Provincial Party "
    "Committee Hoang Van Minh chaired the conference. Deputy Secretary Tran Thi Lan and "
    "Chairman of the Lang Son Provincial People's Committee Vu Duc Hung attended the "
    "conference.\n\nThe Lang Son Provincial People's Committee has implemented Resolution "
    "No. 18-NQ/TW. The 17th Party Congress set the goal of a leaner apparatus."
)
UNDATED = (
    "The Standing Board of the Lang Son Provincial Party Committee held a conference in "
    "Lang Son city to review Resolution 18-NQ/TW. Secretary of the Lang Son Provincial "
    "Party Committee Hoang Van Minh chaired the conference. Deputy Secretary Tran Thi Lan "
    "and Chairman of the Lang Son Provincial People's Committee Vu Duc Hung attended the "
    "conference.\n\nThe Department of Home Affairs of Lang Son province has implemented "
    "Resolution 18-NQ/TW."
)
CAO_BANG = (
    "On October 10, 2020, the 17th Cao Bang Provincial Party Congress opened in Cao Bang "
    "city. Secretary of the Cao Bang Provincial Party Committee Nong Van Tuan delivered "
    "the opening speech at the congress. The Cao Bang Provincial People's Committee will "
    "implement the Resolution of the 17th Cao Bang Provincial Party Congress."
)
UNRELATED = (
    "A meeting was held in Ha Giang province. Secretary of the Ha Giang Provincial Party "
    "Committee Lo Van Son chaired the meeting."
)
ARTICLES = {
    "dated.txt": (DATED, None),
    "undated.txt": (UNDATED, None),
    "caobang.txt": (CAO_BANG, None),
    "unrelated.txt": (UNRELATED, None),
}


@pytest.fixture(scope="module")
def graphs(extract_text: Extract) -> dict[str, ArticleGraph]:
    return {
        doc: extract_text(text, date=date, doc_id=doc) for doc, (text, date) in ARTICLES.items()
    }


def _nodes(store: KgStore, cls: str) -> set[str]:
    rows = store.query(
        f"SELECT DISTINCT ?x WHERE {{ ?x a <https://kg.example.org/ontology#{cls}> }}"
    )
    return {str(x).rsplit("/id/", 1)[1] for (x,) in rows.rows}


def _quads(store: KgStore) -> set[tuple[str, ...]]:
    """The article graphs' quads (the ontology graph's blank nodes differ per store)."""
    return {
        tuple(str(t) for t in q) for g in store.graphs() if "/graph/" in g for q in store.quads(g)
    }


def test_identity_a_document_in_three_written_forms_is_one_node(
    store: KgStore, graphs: dict[str, ArticleGraph]
) -> None:
    ingest([graphs["undated.txt"], graphs["dated.txt"]], store)
    docs = {k for k in _nodes(store, "Document") if "18-nq-tw" in k}
    assert docs == {"doc/18-nq-tw/2017"}


@pytest.mark.parametrize(
    "written", ["18-NQ/TW", "Resolution 18-NQ/TW", "Resolution No. 18-NQ/TW", "No. 18-NQ/TW"]
)
def test_identity_document_implementers_finds_every_written_form(
    store: KgStore, graphs: dict[str, ArticleGraph], written: str
) -> None:
    ingest([graphs["dated.txt"], graphs["undated.txt"]], store)
    rows = run_query(store, "document_implementers", {"document": written}).dicts()
    implementers = {str(r["implementer"]).rsplit("/id/", 1)[1] for r in rows}
    # one from each article: the answer is not half of it
    assert "org/lang-son-provincial-peoples-committee" in implementers
    assert "org/lang-son-department-of-home-affairs" in implementers


def test_identity_two_provinces_17th_congresses_are_two_nodes(
    store: KgStore, graphs: dict[str, ArticleGraph]
) -> None:
    ingest([graphs["dated.txt"], graphs["caobang.txt"]], store)
    congresses = {k for k in _nodes(store, "Organization") if k.startswith("org/congress/")}
    assert congresses == {"org/congress/province/lang-son/17", "org/congress/province/cao-bang/17"}
    # one label, as the fact graph keeps each fact once
    label = store.query(
        f"SELECT ?l WHERE {{ GRAPH <{FACTS_IRI}> "
        "{ ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l } }",
        {"x": URIRef(entity_iri("org/congress/province/lang-son/17", store.base))},
    )
    assert [str(r[0]) for r in label.rows] == ["17th Lang Son Provincial Party Congress"]


def test_identity_a_congress_body_is_linked_to_its_sitting(
    store: KgStore, graphs: dict[str, ArticleGraph]
) -> None:
    ingest([graphs["caobang.txt"]], store)
    rows = store.query(
        f"SELECT ?o ?e WHERE {{ GRAPH <{FACTS_IRI}> {{ "
        "?o <https://kg.example.org/ontology#congressEvent> ?e . "
        "?e a <https://kg.example.org/ontology#Event> } }"
    ).rows
    assert [(str(o).rsplit("/id/", 1)[1], str(e).rsplit("/id/", 1)[1]) for o, e in rows] == [
        ("org/congress/province/cao-bang/17", "event/2020-10-10/cao-bang")
    ]


def test_identity_one_meeting_from_two_articles_is_one_node_in_two_graphs(
    store: KgStore, graphs: dict[str, ArticleGraph]
) -> None:
    ingest([graphs["undated.txt"], graphs["dated.txt"], graphs["unrelated.txt"]], store)
    events = _nodes(store, "Event")
    assert "event/2024-03-05/lang-son" in events
    assert not any(e.startswith("event/undated/undated.txt") for e in events)
    # the meeting no other article reports keeps a node of its own article
    assert any(e.startswith("event/undated/unrelated.txt/") for e in events)
    meeting = URIRef(entity_iri("event/2024-03-05/lang-son", store.base))
    rows = store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?p <https://kg.example.org/ontology#chaired> ?m } "
        f"FILTER(?g != <{FACTS_IRI}>) }}",
        {"m": meeting},
        union=False,
    ).rows
    assert {str(g) for (g,) in rows} == {
        graph_iri("dated.txt", store.base),
        graph_iri("undated.txt", store.base),
    }


def test_identity_does_not_depend_on_order_and_a_rebuild_changes_nothing(
    tmp_path: Path, graphs: dict[str, ArticleGraph]
) -> None:
    order = ["undated.txt", "dated.txt", "caobang.txt", "unrelated.txt"]
    with open_store(tmp_path / "a") as a, open_store(tmp_path / "b") as b:
        ingest([graphs[d] for d in order], a)
        ingest([graphs[d] for d in reversed(order)], b)
        assert _quads(a) == _quads(b) != set()
        before = _quads(a)
        ingest([graphs[d] for d in order], a)
        assert _quads(a) == before


def test_identity_undated_meetings_with_one_name_are_not_merged(
    store: KgStore, extract_text: Extract
) -> None:
    one = extract_text(UNRELATED, doc_id="one.txt")
    two = extract_text(UNRELATED.replace("Lo Van Son", "Ma Thi Hoa"), doc_id="two.txt")
    ingest([one, two], store)
    assert len({e for e in _nodes(store, "Event")}) == 2


def test_identity_scope_from_quads_is_what_the_stored_graph_gives(
    tmp_path: Path, graphs: dict[str, ArticleGraph]
) -> None:
    from kg.graph.identity import quads_scope, scope_of, settle_keys
    from kg.graph.rdf import to_quads

    with open_store(tmp_path / "scope") as store:
        for doc, graph in graphs.items():
            quads = list(to_quads(settle_keys(graph), store.base))
            store.replace_article(doc, quads)
            stored = scope_of(store, doc)
            assert quads_scope(quads, store.base) == stored
            assert stored.docs or stored.places or doc == "unrelated.txt"
        assert scope_of(store, "dated.txt").docs == {"doc/18-nq-tw"}
