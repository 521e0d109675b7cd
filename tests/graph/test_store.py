from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg.graph.build
from kg.errors import QueryError, StoreError
from kg.graph.build import ingest
from kg.graph.rdf import from_rdf, to_quads
from kg.graph.store import (
    KgStore,
    LocalStore,
    QueryTimeoutError,
    RemoteStore,
    Store,
    bind_values,
    open_store,
)
from kg.ids import entity_iri, graph_iri
from kg.model import Article, ArticleGraph, Entity, Relation
from kg.vocab import FACTS_IRI, ONTOLOGY_IRI

PREFIX = "PREFIX kg: <https://kg.example.org/ontology#>\n"


def _graph_of(store: KgStore, doc: str) -> set[tuple]:
    return {q[:3] for q in store.quads(graph_iri(doc))}


def _union(store: KgStore) -> Graph:
    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    return g


def test_store_replace_article_and_list_articles(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    report = ingest([tiny_graph, second_graph], store)
    assert store.articles() == ["t001.txt", "t002.txt"]
    assert [doc for doc, _ in report.stored] == ["t001.txt", "t002.txt"]
    # the article graphs, the ontology graph and the fact graph (one copy of each fact)
    others = len(list(store.quads(ONTOLOGY_IRI))) + len(list(store.quads(FACTS_IRI)))
    assert sum(n for _, n in report.stored) + others == len(store)
    assert report.quads == len(store)


def test_store_build_twice_gives_the_same_quads(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph, second_graph], store)
    first_count, first = len(store), set(store.quads())
    ingest([tiny_graph, second_graph], store)
    assert len(store) == first_count
    assert set(store.quads()) == first
    assert isomorphic(_union(store), Graph().parse(data=_union(store).serialize()))


def test_store_remove_removes_exactly_its_facts(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph], store)
    before = set(store.quads())
    ingest([second_graph], store)
    removed = store.remove_article("t002.txt")
    assert removed == len(list(to_quads(second_graph)))
    assert set(store.quads()) == before
    assert store.articles() == ["t001.txt"]
    # the official both articles name stays, stated by the remaining article only
    rows = store.query(
        PREFIX + "SELECT ?g WHERE { GRAPH ?g { ?p a kg:Person } }",
        bindings={"p": URIRef(entity_iri("person/hoang-van-binh"))},
        union=False,
    ).rows
    assert sorted(str(r[0]) for r in rows) == [FACTS_IRI, graph_iri("t001.txt")]
    tuan = store.query(PREFIX + 'ASK { ?p ?x "Dao Minh Tuan" }')
    assert tuan.boolean is False


def test_store_remove_unknown_article_is_an_error(store: KgStore) -> None:
    with pytest.raises(StoreError, match="no article 'nope.txt'"):
        store.remove_article("nope.txt")


def _failing_half_way(graph: ArticleGraph, base: str) -> Iterator[tuple]:
    quads = list(to_quads(graph, base))
    yield from quads[: len(quads) // 2]
    raise RuntimeError("simulated crash in the middle of an article")


def test_store_crash_in_the_middle_of_an_article_keeps_the_others(
    store: KgStore,
    tiny_graph: ArticleGraph,
    second_graph: ArticleGraph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = kg.graph.build.to_quads

    def quads(graph: ArticleGraph, base: str) -> Iterator[tuple]:
        if graph.doc_id == "t002.txt":
            return _failing_half_way(graph, base)
        return real(graph, base)

    monkeypatch.setattr(kg.graph.build, "to_quads", quads)
    with pytest.raises(RuntimeError, match="simulated crash"):
        ingest([tiny_graph, second_graph], store)
    assert store.articles() == ["t001.txt"]
    assert store.quad_count("t002.txt") == 0
    assert _graph_of(store, "t001.txt") == {q[:3] for q in to_quads(tiny_graph)}
    back = from_rdf(store.quads())
    assert [g.doc_id for g in back] == ["t001.txt"]
    assert len(back[0].relations) == len(tiny_graph.relations)


def test_store_crash_while_replacing_keeps_the_old_version(
    store: KgStore,
    tiny_graph: ArticleGraph,
    second_graph: ArticleGraph,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest([tiny_graph, second_graph], store)
    before = set(store.quads())
    monkeypatch.setattr(kg.graph.build, "to_quads", _failing_half_way)
    with pytest.raises(RuntimeError):
        ingest([second_graph], store)
    assert set(store.quads()) == before


def test_store_skip_policy_reports_bad_extractions(
    store: KgStore, tiny_graph: ArticleGraph
) -> None:
    bad = ArticleGraph(
        Article("bad.txt", "", source="in/bad.txt"),
        (Entity("e1", "Place", "X", "place/x"),),
        (Relation("e1", "visited", "e1"),),
    )
    report = ingest([bad, tiny_graph], store, on_error="skip")
    assert store.articles() == ["t001.txt"]
    assert len(report.failed) == 1 and report.failed[0].startswith("in/bad.txt: ")
    assert not report.ok
    with pytest.raises(ValueError, match="unknown predicate"):
        ingest([bad], store, on_error="stop")


def test_store_persists_across_reopening(tmp_path: Path, tiny_graph: ArticleGraph) -> None:
    with open_store(tmp_path / "s") as st:
        ingest([tiny_graph], st)
        count = len(st)
    with open_store(tmp_path / "s", read_only=True) as st:
        assert len(st) == count
        assert st.articles() == ["t001.txt"]


def test_store_in_use_or_missing_is_a_clear_error(tmp_path: Path, store: KgStore) -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(store.path)
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing", read_only=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        open_store(tmp_path / "file")


def test_store_union_default_graph_and_subproperties(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph, second_graph], store)
    # the ontology graph lets SPARQL follow chaired/spokeAt ⊑ attended
    rows = store.query(
        PREFIX + "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT DISTINCT ?name WHERE { ?p ?pred ?e . ?pred rdfs:subPropertyOf* kg:attended . "
        "?e a kg:Event . ?p rdfs:label ?name } ORDER BY ?name"
    ).rows
    assert [str(r[0]) for r in rows] == [
        "Dao Minh Tuan",
        "Hoang Van Binh",
        "Hoàng Văn Bình",
        "Trịnh Thị Lan",
    ]
    assert store.query(PREFIX + "ASK { ?p kg:chaired ?e }", union=False).boolean is False


def test_store_provenance_with_graph(store: KgStore, tiny_graph: ArticleGraph) -> None:
    ingest([tiny_graph], store)
    evidence = tiny_graph.relations[0].evidence
    assert evidence is not None
    result = store.query(
        PREFIX + "SELECT ?doc ?sentence WHERE { GRAPH ?g { "
        "?st kg:rule ?rule ; kg:evidence/kg:sentence ?sentence ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom>/kg:docId ?doc } }",
        bindings={"rule": Literal(evidence.rule)},
    )
    assert [{k: str(v) for k, v in row.items()} for row in result.dicts()] == [
        {"doc": tiny_graph.doc_id, "sentence": evidence.sentence}
    ]


def test_store_bad_query_is_a_query_error(store: KgStore) -> None:
    with pytest.raises(QueryError):
        store.query("SELECT WHERE {")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "SELECT * { ?s ?p ?o }",
            "SELECT * { VALUES (?s) { (<http://x/a>) } ?s ?p ?o }",
        ),
        (
            'PREFIX e: <http://x/e#> # a { in a comment\nSELECT ("{" AS ?b) WHERE { ?s ?p ?o }',
            'PREFIX e: <http://x/e#> # a { in a comment\nSELECT ("{" AS ?b) WHERE '
            "{ VALUES (?s) { (<http://x/a>) } ?s ?p ?o }",
        ),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<http://x/a>) } ?s ?p ?o }",
        ),
    ],
)
def test_store_bind_values_opens_the_where_clause(query: str, expected: str) -> None:
    assert bind_values(query, {"s": URIRef("http://x/a")}) == expected


def test_store_bindings_restrict_aggregates(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph, second_graph], store)
    # the parameter is not projected: it must still restrict what is counted
    result = store.query(
        PREFIX + "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?p a kg:Person } "
        f"FILTER(?g != <{FACTS_IRI}>) }}",
        bindings={"p": URIRef(entity_iri("person/dao-minh-tuan"))},
        union=False,
    )
    assert int(result.rows[0][0]) == 1  # type: ignore[arg-type]


def test_store_query_limit_truncates_and_deadline_stops(
    store: KgStore, tiny_graph: ArticleGraph
) -> None:
    ingest([tiny_graph], store)
    total = len(store.query("SELECT * WHERE { ?s ?p ?o }").rows)
    cut = store.query("SELECT * WHERE { ?s ?p ?o }", limit=2)
    assert len(cut.rows) == 2 and cut.truncated
    whole = store.query("SELECT * WHERE { ?s ?p ?o }", limit=total)
    assert len(whole.rows) == total and not whole.truncated
    graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=1)
    assert graph.kind == "construct" and len(graph.triples) == 1 and graph.truncated
    with pytest.raises(QueryTimeoutError):
        store.query("SELECT * WHERE { ?s ?p ?o }", deadline=time.monotonic() - 1)


def test_store_local_and_remote_share_the_interface_not_a_class(store: KgStore) -> None:
    assert isinstance(store, Store) and isinstance(store, LocalStore)
    assert not issubclass(RemoteStore, LocalStore) and not issubclass(LocalStore, RemoteStore)
    # the in-memory store is the same interface too, and empty
    with open_store(None) as memory:
        assert isinstance(memory, Store) and memory.articles() == [] and len(memory) == 0


def test_store_dataset_holds_every_graph_with_the_prefixes(
    store: KgStore, tiny_graph: ArticleGraph
) -> None:
    ingest([tiny_graph], store)
    ds = store.dataset()
    # len(ds) counts distinct triples: the fact graph repeats some of the article's
    assert sum(len(g) for g in ds.graphs()) == len(store)
    assert URIRef(graph_iri(tiny_graph.doc_id)) in {g.identifier for g in ds.graphs()}
    assert dict(ds.namespaces())["kg"] == URIRef("https://kg.example.org/ontology#")


def _log_bytes(path: Path) -> int:
    """The bytes of RocksDB's write-ahead logs in a store directory."""
    return sum(f.stat().st_size for f in path.glob("*.log"))


def test_store_optimize_drops_the_write_log_and_keeps_the_quads(
    tmp_path: Path, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    with open_store(tmp_path / "s") as store:
        assert isinstance(store, LocalStore)
        ingest([tiny_graph, second_graph], store)
        quads = set(store.quads())
        assert _log_bytes(tmp_path / "s") > 10_000  # the writes went to the log
        store.optimize()
        assert set(store.quads()) == quads
        assert _log_bytes(tmp_path / "s") < 1_000  # the log of the writes is gone
        ingest([tiny_graph], store)  # still open for writing
    with open_store(tmp_path / "s", read_only=True) as store:
        assert set(store.quads()) == quads
        with pytest.raises(StoreError, match="read-only"):
            store.optimize()  # type: ignore[attr-defined]


def test_store_optimize_in_memory_keeps_the_quads(tiny_graph: ArticleGraph) -> None:
    with open_store(None) as store:
        assert isinstance(store, LocalStore)
        ingest([tiny_graph], store)
        count = len(store)
        store.optimize()
        assert len(store) == count
