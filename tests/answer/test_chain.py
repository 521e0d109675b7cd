"""The bounded search for shortest chains (kg.answer.chain) on small invented stores."""

from __future__ import annotations

import logging

import pytest
from rdflib import URIRef

from kg.answer.analysis import count_chains, load_graph
from kg.answer.analysis import shortest_chain as nx_shortest_chain
from kg.answer.chain import chain_vars, shortest_chains
from kg.answer.queries import run_query
from kg.errors import QueryError
from kg.graph.build import ingest
from kg.graph.store import KgStore, QueryResult
from kg.ids import entity_iri, entity_key
from kg.model import Article, ArticleGraph, Entity, Relation

# every name is invented; a meeting is (name, date, attendees), a body (name, members)
MEETINGS = [
    ("budget session", "2024-01-05", ["Mai Van Anh", "Mai Van Binh"]),
    ("flood review", "2024-01-09", ["Mai Van Binh", "Mai Van Chau"]),
    ("port meeting", "2024-01-12", ["Mai Van Binh", "Mai Van Chau"]),
    ("school forum", "2024-02-01", ["Mai Van Chau", "Mai Van Dung"]),
    ("road council", "2024-02-03", ["Mai Van Dung", "Mai Van Giang"]),
    ("rice fair", "2024-02-07", ["Mai Van Giang", "Mai Van Hoa"]),
    ("pair talk", "2024-03-01", ["Lo Van Khanh", "Lo Van Lam"]),
]
BODIES = [("Harbour Board", ["Mai Van Anh", "Mai Van Dung"], ["Mai Van Khoa"])]


def _key(name: str) -> str:
    return entity_key("Person", name)


Meetings = list[tuple[str, str, list[str]]]
Bodies = list[tuple[str, list[str], list[str]]]


def _graphs(meetings: Meetings, bodies: Bodies) -> list[ArticleGraph]:
    """One article per meeting (its attendees; the first chairs) and one per body."""
    graphs = []
    for i, (name, date, people) in enumerate(meetings):
        ents = [Entity(f"p{j}", "Person", n, _key(n)) for j, n in enumerate(people)]
        ev = Entity("ev", "Event", name, f"event/{date}/m{i}", date=date)
        rels = [
            Relation(e.id, "chaired" if j == 0 else "attended", "ev") for j, e in enumerate(ents)
        ]
        graphs.append(ArticleGraph(Article(f"m{i}.txt", "", date=date), (*ents, ev), tuple(rels)))
    for i, (name, members, heads) in enumerate(bodies):
        ents = [Entity(f"p{j}", "Person", n, _key(n)) for j, n in enumerate(members + heads)]
        body = Entity("b", "Organization", name, entity_key("Organization", name))
        rels = [Relation(e.id, "memberOf", "b", title="Member") for e in ents[: len(members)]]
        rels += [Relation(e.id, "headOf", "b", title="Chair") for e in ents[len(members) :]]
        graphs.append(
            ArticleGraph(Article(f"b{i}.txt", "", date="2024-01-01"), (*ents, body), tuple(rels))
        )
    return graphs


@pytest.fixture
def chain_store(store: KgStore) -> KgStore:
    ingest(_graphs(MEETINGS, BODIES), store)
    return store


def _iri(name: str) -> URIRef:
    return URIRef(entity_iri(_key(name)))


def _paths(result: QueryResult) -> list[tuple[str, ...]]:
    """Each chain's nodes (entity keys), officials and links alternating, ends left out."""
    prefix = entity_iri("")
    width = int(str(result.rows[0][0])) * 2 - 1 if result.rows else 0
    return [
        tuple(str(t).removeprefix(prefix) for t in row[1::2][:width] if t is not None)
        for row in result.rows
    ]


@pytest.mark.parametrize(
    ("a", "b", "links"),
    [
        ("Mai Van Anh", "Mai Van Binh", 1),
        ("Mai Van Anh", "Mai Van Chau", 2),  # through Binh (two meetings) or the board
        ("Mai Van Khoa", "Mai Van Dung", 1),  # the board's head and a member
        ("Mai Van Binh", "Mai Van Giang", 3),
        ("Mai Van Binh", "Mai Van Hoa", 4),
        ("Mai Van Hoa", "Mai Van Anh", 3),
    ],
)
def test_chain_finds_the_same_chains_as_networkx(
    chain_store: KgStore, a: str, b: str, links: int
) -> None:
    result = shortest_chains(chain_store, _iri(a), _iri(b))
    graph = load_graph(chain_store)
    expected = nx_shortest_chain(graph, _key(a), _key(b), limit=100)
    assert {c.nodes[1:-1] for c in expected} == set(_paths(result))
    assert len(result.rows) == count_chains(graph, _key(a), _key(b))
    assert {str(row[0]) for row in result.rows} == {str(links)}
    assert result.vars == chain_vars(links) and not result.truncated


def test_chain_rows_are_shaped_like_the_sparql_and_ordered_by_names(chain_store: KgStore) -> None:
    result = shortest_chains(chain_store, _iri("Mai Van Anh"), _iri("Mai Van Chau"))
    assert result.vars == ("length", "via1", "via1Label", "mid", "midLabel", "via2", "via2Label")
    labels = [(str(r[2]), str(r[4]), str(r[6])) for r in result.rows]
    assert labels == [
        ("Harbour Board", "Mai Van Dung", "school forum"),
        ("budget session", "Mai Van Binh", "flood review"),
        ("budget session", "Mai Van Binh", "port meeting"),
    ]
    one = shortest_chains(chain_store, _iri("Mai Van Anh"), _iri("Mai Van Binh"))
    assert [(str(r[2]), r[3], r[5]) for r in one.rows] == [("budget session", None, None)]


def test_chain_longer_chains_add_columns(chain_store: KgStore) -> None:
    result = shortest_chains(chain_store, _iri("Mai Van Binh"), _iri("Mai Van Hoa"))
    assert result.vars[7:] == (
        "mid2",
        "mid2Label",
        "via3",
        "via3Label",
        "mid3",
        "mid3Label",
        "via4",
        "via4Label",
    )
    first = dict(zip(result.vars, result.rows[0], strict=True))
    assert str(first["length"]) == "4"
    assert str(first["via4Label"]) == "rice fair"
    assert str(first["mid3Label"]) == "Mai Van Giang"


def test_chain_pages_follow_one_another(chain_store: KgStore) -> None:
    a, c = _iri("Mai Van Anh"), _iri("Mai Van Chau")
    every = shortest_chains(chain_store, a, c)
    pages = [shortest_chains(chain_store, a, c, limit=2, offset=o) for o in (0, 2, 4)]
    assert [p.truncated for p in pages] == [True, False, False]
    assert [row for p in pages for row in p.rows] == every.rows
    assert pages[2].rows == []


def test_chain_is_bounded_in_links_and_in_work(
    chain_store: KgStore, caplog: pytest.LogCaptureFixture
) -> None:
    b, h = _iri("Mai Van Binh"), _iri("Mai Van Hoa")
    assert shortest_chains(chain_store, b, h, max_links=3).rows == []
    assert len(shortest_chains(chain_store, b, h, max_links=4).rows) == 3
    with caplog.at_level(logging.WARNING, logger="kg.answer.chain"):
        assert shortest_chains(chain_store, b, h, max_nodes=4).rows == []
    assert "stopped after visiting" in caplog.text


def test_chain_strangers_get_no_rows_and_one_official_is_refused(chain_store: KgStore) -> None:
    assert shortest_chains(chain_store, _iri("Mai Van Anh"), _iri("Lo Van Khanh")).rows == []
    with pytest.raises(QueryError, match="the same official"):
        shortest_chains(chain_store, _iri("Mai Van Anh"), _iri("Mai Van Anh"))


def test_chain_counts_a_fact_once_however_many_articles_state_it(store: KgStore) -> None:
    meeting = ("budget session", "2024-01-05", ["Mai Van Anh", "Mai Van Binh"])
    graphs = _graphs([meeting], [])
    again = ArticleGraph(
        Article("again.txt", "", date="2024-01-06"), graphs[0].entities, graphs[0].relations
    )
    ingest([*graphs, again], store)
    result = shortest_chains(store, _iri("Mai Van Anh"), _iri("Mai Van Binh"))
    assert len(result.rows) == 1


def test_chain_is_the_library_question(chain_store: KgStore) -> None:
    params = {"person": "mai van binh", "other": "Mai Van Hoa"}
    result = run_query(chain_store, "shortest_chain", params)
    assert (
        result.rows == shortest_chains(chain_store, _iri("Mai Van Binh"), _iri("Mai Van Hoa")).rows
    )
    page = run_query(chain_store, "shortest_chain", {**params, "limit": "1", "offset": "1"})
    assert len(result.rows) == 3
    assert page.rows == result.rows[1:2] and page.truncated
    last = run_query(chain_store, "shortest_chain", {**params, "limit": "5", "offset": "2"})
    assert last.rows == result.rows[2:] and not last.truncated
