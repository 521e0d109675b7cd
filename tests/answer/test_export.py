from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDF, Dataset, Graph
from rdflib.compare import isomorphic

from kg.answer.export import (
    check_attributes,
    export_store,
    format_table,
    write_gexf,
    write_graphml,
    write_trig,
    write_turtle,
)
from kg.cli import cli
from kg.graph.build import ingest
from kg.graph.layers import FactState, fact_state
from kg.graph.nxview import VIEWS, view
from kg.graph.store import KgStore, open_store
from kg.ids import entity_iri, graph_iri
from kg.model import ArticleGraph
from kg.vocab import FACTS_IRI, ONTOLOGY_IRI
from tests.factcheck import assert_facts_exact


@pytest.fixture
def filled(store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph) -> KgStore:
    ingest([tiny_graph, second_graph], store)
    return store


def _union(store: KgStore) -> Graph:
    """The union of the article graphs and the ontology (the fact graph repeats them)."""
    g = Graph()
    for s, p, o, c in store.quads():
        if str(c) != FACTS_IRI:
            g.add((s, p, o))
    return g


def test_export_turtle_reparses_to_the_union_graph(filled: KgStore, tmp_path: Path) -> None:
    out = tmp_path / "kg.ttl"
    write_turtle(filled, out)
    assert isomorphic(Graph().parse(out, format="turtle"), _union(filled))


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")]
)
def test_export_dataset_formats_keep_one_graph_per_article(
    filled: KgStore, tmp_path: Path, fmt: str, rdflib_format: str
) -> None:
    out = tmp_path / f"kg.{fmt}"
    summary = export_store(filled, fmt, out)
    ds = Dataset()
    ds.parse(out, format=rdflib_format)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    # a full dump: the fact graph too, so that loading it gives the same store
    assert graphs == {graph_iri("t001.txt"), graph_iri("t002.txt"), ONTOLOGY_IRI, FACTS_IRI}
    assert len(list(ds.quads((None, None, None, None)))) == len(filled) == summary.quads


def test_export_nquads_restores_the_same_store_fact_graph_included(
    filled: KgStore, tmp_path: Path
) -> None:
    out = tmp_path / "kg.nq"
    export_store(filled, "nquads", out)
    ds = Dataset()
    ds.parse(out, format="nquads")
    with open_store(tmp_path / "restored") as copy:
        copy.bulk_load(ds.quads((None, None, None, None)))
        # the ontology's blank nodes are renamed by the trip; every other quad is the same
        assert {q for q in copy.quads() if str(q[3]) != ONTOLOGY_IRI} == {
            q for q in filled.quads() if str(q[3]) != ONTOLOGY_IRI
        }
        assert fact_state(copy) is FactState.CURRENT
        assert_facts_exact(copy)


def test_export_graphml_has_one_node_per_entity_and_no_fact_nodes(
    filled: KgStore, tmp_path: Path
) -> None:
    out = tmp_path / "kg.graphml"
    export_store(filled, "graphml", out)
    back = nx.read_graphml(out)
    keys = {str(s)[len(entity_iri("")) :] for s, p, o, _ in filled.quads() if p == RDF.type}
    entities = {k for k in keys if k.split("/", 1)[0] in {"person", "org", "doc", "event", "place"}}
    assert set(back.nodes) == entities  # Hoang Van Binh of both articles is one node
    assert not [n for n in back.nodes if n.startswith("membership/")]
    binh = back.nodes["person/hoang-van-binh"]
    assert binh["articles"] == 2


def test_export_rdf_of_extractions_without_a_store(
    tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    buf = io.BytesIO()
    write_trig([tiny_graph, second_graph], buf)
    ds = Dataset()
    ds.parse(data=buf.getvalue(), format="trig")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {
        graph_iri("t001.txt"),
        graph_iri("t002.txt"),
    }
    buf = io.BytesIO()
    write_turtle(tiny_graph, buf)
    assert len(Graph().parse(data=buf.getvalue(), format="turtle")) > 0


@pytest.mark.parametrize("name", list(VIEWS))
def test_export_graphml_and_gexf_read_back_with_networkx(
    filled: KgStore, tmp_path: Path, name: str
) -> None:
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"{name}.{fmt}"
        summary = export_store(filled, fmt, out, view=name)
        back = reader(out)
        assert (back.number_of_nodes(), back.number_of_edges()) == (summary.nodes, summary.edges)
        assert summary.nodes > 0 and summary.edges > 0
        labels = {n: d["label"] for n, d in back.nodes(data=True)}
        assert labels.get("person/hoang-van-binh", "Hoàng Văn Bình") == "Hoàng Văn Bình"
        assert all("type" in d for _, d in back.nodes(data=True))


def test_export_gexf_has_a_timeline(tiny_graph: ArticleGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    write_gexf(view([tiny_graph]), out)
    text = out.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    assert 'start="2024-03-11"' in text
    back = nx.read_gexf(out)
    assert back.nodes["event/2024-03-11/song-lam"]["start"] == "2024-03-11"


@pytest.mark.parametrize(
    ("value", "problem"),
    [(None, "NoneType"), (["a"], "list"), ({"a": 1}, "dict")],
)
def test_export_refuses_attributes_gephi_cannot_read(value: object, problem: str) -> None:
    g = nx.Graph()
    g.add_node("a", label="A", extra=value)
    with pytest.raises(ValueError, match=problem):
        write_graphml(g, io.BytesIO())


def test_export_refuses_mixed_types_under_one_key() -> None:
    g = nx.Graph()
    g.add_node("a", score=1)
    g.add_node("b", score="high")
    with pytest.raises(ValueError, match="str here but int elsewhere"):
        check_attributes(g)


def test_export_csv_for_gephi(filled: KgStore, tmp_path: Path) -> None:
    summary = export_store(filled, "csv", tmp_path / "csv", view="coattendance")
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert (len(nodes), len(edges)) == (summary.nodes, summary.edges) == (3, 3)
    assert {"Id", "Label", "type"} <= set(nodes[0])
    assert edges[0]["Type"] == "Undirected" and edges[0]["Weight"] == "0.5"


def test_export_view_of_rdf_format_is_an_error(filled: KgStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--view applies to"):
        export_store(filled, "turtle", tmp_path / "x.ttl", view="coattendance")


def test_export_format_table(tiny_graph: ArticleGraph) -> None:
    text = format_table(tiny_graph)
    lines = text.splitlines()
    assert lines[0] == "t001.txt  2024-03-12  Title of t001.txt"
    assert "6 entities, 8 relations" in lines[1]
    assert any("Hoàng Văn Bình" in ln and "chaired" in ln and "conference" in ln for ln in lines)
    assert any("test.headOf.v1" in ln and "Secretary" in ln for ln in lines)


# ------------------------------------------------------------------ CLI


@pytest.mark.parametrize("command", ["build", "remove", "export", "validate"])
def test_export_cli_commands_have_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--store" in result.output


def test_export_cli_export_remove_validate(filled: KgStore, tmp_path: Path) -> None:
    path = str(filled.path)
    filled.close()  # the CLI opens the store itself
    runner = CliRunner()
    out = tmp_path / "kg.gexf"
    result = runner.invoke(cli, ["export", "--store", path, "--format", "gexf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_nodes() == 8

    result = runner.invoke(cli, ["export", "--store", path, "--format", "nquads"])
    assert result.exit_code == 0
    assert result.stdout.count("\n") > 100

    result = runner.invoke(cli, ["validate", "--store", path, "--no-warnings"])
    assert result.exit_code == 0, result.output

    result = runner.invoke(cli, ["remove", "--store", path, "t002.txt", "nope.txt"])
    assert result.exit_code == 1
    assert "removed t002.txt" in result.output and "no article 'nope.txt'" in result.output
    with open_store(path, read_only=True) as st:
        assert st.articles() == ["t001.txt"]


def test_export_cli_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--store", str(tmp_path / "none"), "--format", "turtle"]
    )
    assert result.exit_code == 1
    assert "no store here" in result.output
