"""Exports replace their target only when complete, fail in one line, and are well-formed XML."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.answer import export as export_module
from kg.answer.export import export_store, write_gexf, write_graphml
from kg.cli import cli
from kg.errors import KgError
from kg.graph.build import ingest
from kg.graph.store import KgStore, open_store
from kg.model import ArticleGraph, Entity


@pytest.fixture
def filled(store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph) -> KgStore:
    ingest([tiny_graph, second_graph], store)
    return store


@pytest.mark.parametrize("fmt", ["turtle", "nquads", "graphml", "gexf"])
def test_export_failed_rewrite_keeps_the_previous_file(
    filled: KgStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out = tmp_path / f"kg.{fmt}"
    export_store(filled, fmt, out)
    before = out.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        target = args[1] if len(args) > 1 else kwargs.get("out")
        Path(str(target)).write_bytes(b"half a fi")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(filled), "dump", lambda self, out, fmt, prefixes: broken(self, out))
    monkeypatch.setattr(nx, "write_graphml", broken)
    monkeypatch.setattr(nx, "write_gexf", broken)
    with pytest.raises(KgError, match=f"{out}: cannot write {fmt}"):
        export_store(filled, fmt, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".kg")) == []


def test_export_csv_failure_keeps_both_previous_files(
    filled: KgStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "csv"
    export_store(filled, "csv", folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real_writer = export_module.csv.writer
    calls = []

    def writer(f, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:  # the edges file
            raise OSError(28, "No space left on device")
        return real_writer(f, *args, **kwargs)

    monkeypatch.setattr(export_module.csv, "writer", writer)
    with pytest.raises(KgError, match="cannot write csv"):
        export_store(filled, "csv", folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_export_to_a_missing_folder_is_one_line(filled: KgStore, tmp_path: Path) -> None:
    for fmt in ("turtle", "graphml", "gexf"):
        result = CliRunner().invoke(
            cli,
            ["export", "--store", str(filled.path), "--format", fmt, "-o", str(tmp_path / "no/x")],
        )
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        (line,) = result.stderr.splitlines()
        assert "cannot write" in line and str(tmp_path / "no" / "x") in line


def test_export_turtle_reports_triples(filled: KgStore, tmp_path: Path) -> None:
    summary = export_store(filled, "turtle", tmp_path / "kg.ttl")
    triples = len(Graph().parse(tmp_path / "kg.ttl", format="turtle"))
    assert str(summary) == f"turtle: {triples} triples"
    assert triples < len(filled)  # a person named in two articles is one set of triples


def test_export_xml_writers_drop_characters_xml_refuses(tmp_path: Path) -> None:
    g = nx.Graph()
    g.add_node("a", label="Ana\x02 Lum\ufffe", note="x\x1by")
    g.add_node("b\x01", label="Song Lam")
    g.add_edge("a", "b\x01", label="met\x0c")
    for write in (write_graphml, write_gexf):
        out = tmp_path / f"g.{write.__name__}"
        write(g, out)
        ET.parse(out)  # well-formed
        assert "Ana  Lum " in out.read_text(encoding="utf-8")


def test_export_a_stored_control_character_cannot_break_xml(
    tiny_graph: ArticleGraph, tmp_path: Path
) -> None:
    # an extraction made elsewhere (kg load) may still carry one
    first = tiny_graph.entities[0]
    bad = dataclasses.replace(first, name="Hoàng\x02 Văn Bình")
    entities: tuple[Entity, ...] = (bad, *tiny_graph.entities[1:])
    with open_store(tmp_path / "s") as st:
        ingest([dataclasses.replace(tiny_graph, entities=entities)], st)
        for fmt in ("graphml", "gexf"):
            export_store(st, fmt, tmp_path / f"kg.{fmt}")
            ET.parse(tmp_path / f"kg.{fmt}")
