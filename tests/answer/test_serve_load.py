"""A small load test of kg serve (the full one is `kg loadtest`): clients in parallel, no error."""

from __future__ import annotations

from pathlib import Path

from kg.bench.loadtest import LoadConfig, in_process, served
from tests.servers import generated_store

MIX = [
    "ASK { ?s ?p ?o }",
    "PREFIX kg: <https://kg.example.org/ontology#> SELECT ?p ?e WHERE { ?p kg:attended ?e }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20",
]


def test_loadtest_smoke_zero_errors(tmp_path: Path) -> None:
    path = generated_store(tmp_path / "store", seed=3, articles=5)
    config = LoadConfig(clients=20, seconds=1.5, workers=2)
    load = served(path, MIX, config, limit=1000)
    assert load["ok"] > 20 and load["errors"] == {}
    assert load["max_ms"] < 3000 and load["ask_max_ms"] is not None
    engine = in_process(path, MIX, 0.5, 1000)
    assert engine["queries"] > 0
