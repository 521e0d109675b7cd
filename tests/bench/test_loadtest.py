"""kg loadtest --store: the load test against an existing store, its questions bound to
that store's typical entities."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.bench.loadtest import query_mix, store_facts
from kg.cli import cli
from kg.settings import Settings
from tests.servers import generated_store


def test_store_facts_finds_typical_entities_in_the_store(tmp_path: Path) -> None:
    path = generated_store(tmp_path / "store", seed=4, articles=6)
    facts = store_facts(path)
    assert facts["articles"] == 6 and facts["quads"] > 100
    assert set(facts["typical"]) <= {"Person", "Organization", "Document", "Place", "Event"}
    assert facts["typical"]["Person"]
    texts = query_mix(path, Settings(), facts)
    # every question asks about an entity the store holds (bound in VALUES)
    person = facts["typical"]["Person"][0]
    assert len(texts) >= 10 and any(person in t for t in texts)


def test_loadtest_store_runs_against_the_given_store(tmp_path: Path) -> None:
    path = generated_store(tmp_path / "store", seed=5, articles=4)
    args = ["loadtest", "--store", str(path), "--seconds", "1", "--clients", "8", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["store"] == {"path": str(path), "quads": report["store"]["quads"], "articles": 4}
    served = report["served"]
    assert served["ok"] > 0 and served["errors"] == {} and served["clients"] == 8
    # the clients' own share of the cores is reported beside the throughput
    assert 0 < served["client_cores"] < 2
    engine = report["in_process"]
    assert engine["queries"] > 0 and engine["qps_before"] > 0 and engine["qps_after"] > 0
    assert not (tmp_path / "query-store").exists()  # nothing was built


def test_loadtest_store_that_is_not_a_store_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("buy milk\n")
    result = CliRunner().invoke(cli, ["loadtest", "--store", str(folder), "--seconds", "1"])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and str(folder) in result.output
    assert result.output.strip().count("\n") == 0, result.output
