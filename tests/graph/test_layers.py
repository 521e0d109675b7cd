"""A store built before the fact layer: writers upgrade it, readers say how, rebuilds are exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.answer.notebook import open_workspace
from kg.cli import cli
from kg.errors import StoreError
from kg.graph.build import ingest
from kg.graph.layers import (
    PARTIAL,
    FactState,
    article_layer,
    ensure_facts,
    fact_drift,
    fact_state,
    rebuild_facts,
    require_facts,
)
from kg.graph.store import KgStore, open_store, term_text
from kg.model import Article, ArticleGraph
from kg.vocab import FACTS_IRI
from tests.factcheck import assert_facts_exact, stored_facts
from tests.graph.test_facts import article_a, article_b, article_c, article_d

_DROP = f"DROP GRAPH <{FACTS_IRI}>"
_ANY = "# title: Any triple\n# description: One triple.\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n"
_MARK = " ".join(term_text(t) for t in PARTIAL)


def _old_store(path: Path) -> set:
    """A store as kg built it before the fact layer: article graphs, no fact graph."""
    with open_store(path) as store:
        ingest([article_a(), article_b(), article_c()], store)
        facts = stored_facts(store)
        store.update(_DROP)
        assert fact_state(store) is FactState.MISSING
    return facts


def test_layers_rebuild_gives_the_facts_storing_gave(tmp_path: Path) -> None:
    facts = _old_store(tmp_path / "old")
    with open_store(tmp_path / "old") as store:
        with pytest.raises(StoreError, match=r"before the fact layer.*kg build --store .*old"):
            require_facts(store)
        seen: list[str] = []
        total = rebuild_facts(store, batch=2, on_article=seen.append)
        assert seen == ["a.txt", "b.txt", "c.txt"]
        assert total == len(facts) and stored_facts(store) == facts
        assert fact_state(store) is FactState.CURRENT and fact_drift(store) == (0, 0)
        require_facts(store)


def test_layers_a_cut_rebuild_is_seen_and_done_again(store: KgStore) -> None:
    ingest([article_a(), article_b()], store)
    facts = stored_facts(store)
    store.update(f"INSERT DATA {{ GRAPH <{FACTS_IRI}> {{ {_MARK} . }} }}")
    assert fact_state(store) is FactState.PARTIAL
    with pytest.raises(StoreError, match="did not finish"):
        require_facts(store)
    assert ensure_facts(store) is True
    assert stored_facts(store) == facts and fact_state(store) is FactState.CURRENT
    assert ensure_facts(store) is False


def test_layers_ingest_upgrades_an_old_store_before_writing(tmp_path: Path) -> None:
    _old_store(tmp_path / "old")
    with open_store(tmp_path / "old") as store:
        ingest([article_d()], store)  # re-keys a.txt's meeting in d.txt: facts of both
        assert_facts_exact(store)
        assert store.articles() == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_layers_nothing_to_keep_is_current(store: KgStore) -> None:
    assert fact_state(store) is FactState.CURRENT  # empty
    bare = ArticleGraph(Article("bare.txt", "", date="2024-01-01"), (), ())
    ingest([bare], store)
    assert store.articles() == ["bare.txt"] and fact_state(store) is FactState.CURRENT


def test_layers_article_layer_leaves_out_the_fact_graph_only(store: KgStore) -> None:
    ingest([article_a(), article_c()], store)
    graphs = {str(q[3]) for q in article_layer(store)}
    assert graphs == set(store.graphs()) - {FACTS_IRI}
    assert len(list(article_layer(store))) == len(store) - len(stored_facts(store))


# ------------------------------------------------------------------ the command line


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_layers_readers_refuse_an_old_store_in_one_line(tmp_path: Path) -> None:
    old = tmp_path / "old"
    _old_store(old)
    rq = tmp_path / "any.rq"
    rq.write_text(_ANY)
    for args in (
        ("query", str(rq), "--store", str(old)),
        ("export", "--format", "nquads", "--store", str(old), "-o", str(tmp_path / "x.nq")),
        ("serve", "--store", str(old), "--port", "0"),
    ):
        code, out = _run(*args)
        assert code == 1, out
        (line,) = out.strip().splitlines()
        assert "built before the fact layer" in line and f"kg build --store {old}" in line
    assert not (tmp_path / "x.nq").exists()
    with pytest.raises(StoreError, match="kg build --store"):
        open_workspace(store=old)


def test_layers_kg_build_with_no_inputs_upgrades_then_readers_answer(tmp_path: Path) -> None:
    old = tmp_path / "old"
    facts = _old_store(old)
    code, out = _run("build", "--store", str(old), "--no-progress")
    assert code == 0, out
    assert "built before the fact layer; adding the fact graph from 3 article(s)" in out
    with open_store(old, read_only=True) as store:
        assert stored_facts(store) == facts
    rq = tmp_path / "any.rq"
    rq.write_text(_ANY)
    code, out = _run("query", str(rq), "--store", str(old))
    assert code == 0, out
    # again: a repair, the same facts
    code, out = _run("build", "--store", str(old), "--no-progress")
    assert code == 0 and "rebuilding the fact graph" in out
    code, out = _run("build", "--store", str(tmp_path / "none"))
    assert code == 1 and "no store here" in out


def test_layers_kg_remove_and_kg_load_upgrade_first(tmp_path: Path) -> None:
    old = tmp_path / "old"
    _old_store(old)
    code, out = _run("remove", "b.txt", "--store", str(old))
    assert code == 0 and "adding the fact graph" in out
    with open_store(old) as store:
        assert_facts_exact(store)
        assert store.articles() == ["a.txt", "c.txt"]
        store.update(_DROP)
    records = tmp_path / "d.jsonl"
    records.write_text(json.dumps(article_d().to_dict()) + "\n")
    code, out = _run("load", str(records), "--store", str(old), "--no-progress")
    assert code == 0 and "adding the fact graph" in out
    with open_store(old) as store:
        assert_facts_exact(store)
        assert store.articles() == ["a.txt", "c.txt", "d.txt"]
