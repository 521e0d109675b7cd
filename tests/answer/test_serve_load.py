"""A small load test of kg serve (the full one is `kg loadtest`): clients in parallel, no error."""

from __future__ import annotations

from pathlib import Path

from kg.bench.corpus import synthetic_graph
from kg.bench.loadtest import LoadConfig, in_process, served
from kg.graph.rdf import to_quads
from kg.graph.store import open_store

MIX = [
    "ASK { ?s ?p ?o }",
    "PREFIX kg: <https://kg.example.org/ontology#> SELECT ?p ?e WHERE { ?p kg:attended ?e }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20",
]


def test_loadtest_smoke_zero_errors(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with open_store(path) as store:
        for i in range(5):
            g = synthetic_graph(i, seed=3)
            store.replace_article(g.doc_id, to_quads(g))
    config = LoadConfig(clients=20, seconds=1.5, workers=2)
    load = served(path, MIX, config, limit=1000)
    assert load["ok"] > 20 and load["errors"] == {}
    assert load["max_ms"] < 3000 and load["ask_max_ms"] is not None
    engine = in_process(path, MIX, 0.5, 1000)
    assert engine["queries"] > 0
