"""The remote store against a real `oxigraph serve` process on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import StoreError
from kg.graph.build import ingest
from kg.graph.rdf import to_quads
from kg.graph.store import KgStore, RemoteStore, Store, endpoints, is_remote, open_store
from kg.ids import graph_iri
from kg.model import ArticleGraph
from kg.vocab import KG, ONTOLOGY_IRI
from tests.factcheck import assert_facts_exact
from tests.servers import free_port


@pytest.fixture
def remote(oxigraph_url: str) -> Iterator[KgStore]:
    with open_store(oxigraph_url) as store:
        store.update("DROP SILENT ALL")
        yield store


def _graph_of(store: KgStore, doc: str) -> Graph:
    g = Graph()
    for s, p, o, _ in store.quads(graph_iri(doc, store.base)):
        g.add((s, p, o))
    return g


def test_remote_store_dispatch_and_endpoints() -> None:
    assert is_remote("https://example.org/sparql") and not is_remote("store-dir")
    assert endpoints("http://h:1/ds/") == ("http://h:1/ds/query", "http://h:1/ds/update")


def test_remote_store_replaces_per_article_like_the_local_store(
    remote: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph, tmp_path: Path
) -> None:
    assert isinstance(remote, RemoteStore) and isinstance(remote, Store)
    n1 = remote.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))
    n2 = remote.replace_article(second_graph.doc_id, to_quads(second_graph))
    assert remote.articles() == [tiny_graph.doc_id, second_graph.doc_id]
    # the article graphs and the fact graph, kept exact by the same updates
    facts = len(assert_facts_exact(remote))
    assert remote.quad_count() == n1 + n2 + facts
    # replacing again is idempotent, and the graph equals what a local store holds
    assert remote.replace_article(tiny_graph.doc_id, to_quads(tiny_graph)) == n1
    assert remote.quad_count() == n1 + n2 + facts
    with open_store(tmp_path / "local") as local:
        local.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))
        assert isomorphic(_graph_of(remote, tiny_graph.doc_id), _graph_of(local, tiny_graph.doc_id))
    # queries see the union of the article graphs
    res = remote.query(
        "PREFIX kg: <https://kg.example.org/ontology#> "
        "SELECT ?p WHERE { ?p kg:attended|kg:chaired ?e } ORDER BY ?p"
    )
    assert len({row[0] for row in res.rows}) == 2
    bound = remote.query("SELECT ?t WHERE { ?x a ?t }", {"x": URIRef(str(res.rows[0][0]))}, limit=1)
    assert bound.rows == [(KG.Person,)]
    # removing one article removes exactly its quads
    assert remote.remove_article(tiny_graph.doc_id) == n1
    assert remote.articles() == [second_graph.doc_id]
    assert remote.quad_count() == n2 + len(assert_facts_exact(remote))
    with pytest.raises(StoreError):
        remote.remove_article(tiny_graph.doc_id)


def test_remote_store_failed_update_keeps_the_previous_graph(
    remote: KgStore, tiny_graph: ArticleGraph
) -> None:
    n = remote.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))
    bad = [(q[0], q[1], q[2], q[3]) for q in to_quads(tiny_graph)]
    bad.append((URIRef("http://x/a"), BNode(), URIRef("http://x/c"), bad[0][3]))
    with pytest.raises(StoreError):  # a blank-node predicate: the server rejects the request
        remote.replace_article(tiny_graph.doc_id, bad)
    assert remote.quad_count(tiny_graph.doc_id) == n


def test_remote_store_build_ingest_and_dump(
    remote: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph, tmp_path: Path
) -> None:
    report = ingest([tiny_graph, second_graph], remote)
    assert [doc for doc, _ in report.stored] == [tiny_graph.doc_id, second_graph.doc_id]
    assert ONTOLOGY_IRI in remote.graphs()
    before = remote.quad_count()
    ingest([tiny_graph], remote)  # the unchanged ontology is left alone: same quads
    assert remote.quad_count() == before
    out = tmp_path / "dump.nq"
    remote.dump(out, "nquads", {})
    assert len(out.read_text(encoding="utf-8").splitlines()) == before


def test_remote_store_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        open_store(f"http://127.0.0.1:{free_port()}")


def test_remote_store_read_only_refuses_writes(oxigraph_url: str, tiny_graph: ArticleGraph) -> None:
    with open_store(oxigraph_url, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))


def test_remote_store_dataset_and_query_limits_match_the_local_store(
    remote: KgStore, tiny_graph: ArticleGraph, tmp_path: Path
) -> None:
    remote.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))
    with open_store(tmp_path / "local") as local:
        local.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))
        g = URIRef(graph_iri(tiny_graph.doc_id))
        remote_g, local_g = remote.dataset().graph(g), local.dataset().graph(g)
        assert len(local_g) > 0 and isomorphic(remote_g, local_g)
        for store in (remote, local):
            cut = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=3)
            assert len(cut.triples) == 3 and cut.truncated
