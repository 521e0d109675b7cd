"""kg serve: the real server process on loopback, queried with rdflib and plain HTTP."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kg.answer.serve import GRAPH_TYPES, RESULT_TYPES, negotiate
from kg.bench.corpus import synthetic_graph
from kg.graph.rdf import to_quads
from kg.graph.store import open_store
from kg.model import ArticleGraph
from kg.vocab import KG
from tests.factcheck import assert_facts_exact
from tests.servers import free_port, generated_store, running, serve_args, venv_bin

PERSONS = """
PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name
"""


GRAPHS = [synthetic_graph(i, seed=7) for i in range(3)]  # invented names, from kg.bench.corpus


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` over a store holding three generated article graphs."""
    store_dir = generated_store(tmp_path_factory.mktemp("serve") / "store", seed=7)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = serve_args(store_dir, port, "--limit", "1000", "--timeout", "5")
    with running(args, url + "/"):
        yield url


def _persons() -> list[str]:
    return sorted({e.name for g in GRAPHS for e in g.entities if e.type == "Person"})


def _get(url: str, accept: str | None = None) -> tuple[int, str, bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read(), dict(err.headers)


def _post(url: str, body: bytes, ctype: str, accept: str | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": ctype, **({"Accept": accept} if accept else {})}
    req = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_serve_negotiates_like_the_protocol_says() -> None:
    assert negotiate("text/csv", RESULT_TYPES) == "text/csv"
    assert negotiate("*/*", GRAPH_TYPES) == "text/turtle"
    assert negotiate("application/n-triples;q=0.5, text/turtle;q=0.9", GRAPH_TYPES) == "text/turtle"
    assert negotiate("image/png", RESULT_TYPES) is None


def test_serve_answers_rdflib_sparqlstore(endpoint: str) -> None:
    graph = Graph(SPARQLStore(endpoint + "/query", returnFormat="json"))
    names = [str(row[0]) for row in graph.query(PERSONS)]
    assert names == _persons()
    # the default graph is the union of the article graphs
    assert (None, KG.chaired, None) in graph


def test_serve_get_and_post_in_every_result_format(endpoint: str) -> None:
    query = urllib.parse.quote(PERSONS)
    status, ctype, body, _ = _get(f"{endpoint}/query?query={query}")
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == _persons()

    status, ctype, body, _ = _get(f"{endpoint}/sparql?query={query}", accept="text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode())))[0] == ["name"]

    status, ctype, body, _ = _get(
        f"{endpoint}/query?query={query}", accept="application/sparql-results+xml"
    )
    assert status == 200 and b"<sparql" in body

    status, body = _post(endpoint + "/query", PERSONS.encode(), "application/sparql-query")
    assert status == 200 and json.loads(body)["results"]["bindings"]
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    status, body = _post(endpoint + "/query", form, "application/x-www-form-urlencoded")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_serve_construct_as_turtle(endpoint: str) -> None:
    query = urllib.parse.quote(
        "PREFIX kg: <https://kg.example.org/ontology#> "
        "CONSTRUCT { ?p kg:chaired ?e } WHERE { ?p kg:chaired ?e }"
    )
    status, ctype, body, _ = _get(f"{endpoint}/query?query={query}", accept="text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    chairs = {
        (g.entity(r.subject).key, g.entity(r.object).key)
        for g in GRAPHS
        for r in g.relations
        if r.predicate == "chaired"
    }
    assert {(str(s).split("/id/")[1], str(o).split("/id/")[1]) for s, _, o in graph} == chairs
    assert all(isinstance(s, URIRef) for s in graph.subjects())


def test_serve_limits_results_and_refuses_updates(endpoint: str) -> None:
    query = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }")
    status, _, body, headers = _get(f"{endpoint}/query?query={query}")
    assert status == 200 and headers.get("X-KG-Truncated") == "true", body
    assert len(json.loads(body)["results"]["bindings"]) == 1000
    update = b"INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    status, body = _post(endpoint + "/update", update, "application/sparql-update")
    assert status == 403
    status, _, body, _ = _get(f"{endpoint}/query?query={urllib.parse.quote('SELEC oops')}")
    assert status == 400 and body


def test_serve_writable_accepts_the_remote_store(tmp_path: Path, tiny_graph: ArticleGraph) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [
        venv_bin("kg"),
        "serve",
        "--store",
        str(tmp_path / "rw"),
        "--port",
        str(port),
        "--allow-update",
    ]
    with running(args, url + "/"), open_store(url) as remote:
        n = remote.replace_article(tiny_graph.doc_id, to_quads(tiny_graph))
        assert remote.articles() == [tiny_graph.doc_id]
        # counted once, not again through the union graph; the fact graph beside it
        assert remote.quad_count() == n + len(assert_facts_exact(remote))
        res = remote.query(
            "SELECT DISTINCT ?l WHERE { ?x a <https://kg.example.org/ontology#Event> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        assert res.rows == [(Literal("conference"),)]


def test_serve_times_out_a_runaway_query(tmp_path: Path) -> None:
    store_dir = generated_store(tmp_path / "store", seed=7)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = serve_args(store_dir, port, "--timeout", "0.2", "--limit", "100000000")
    cross = urllib.parse.quote("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")  # ~40M rows
    with running(args, url + "/"):
        status, _, body, _ = _get(f"{url}/query?query={cross}")
        assert status == 503 and b"timed out" in body
        ok = urllib.parse.quote("ASK { ?s ?p ?o }")  # the server still answers
        assert _get(f"{url}/query?query={ok}")[0] == 200
