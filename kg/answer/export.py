"""Exports: one ``write_<format>`` function per format, plus a text summary of one article.

Input: the store or ArticleGraphs (RDF formats, through :mod:`kg.graph.rdf`), or a NetworkX
view from :mod:`kg.graph.nxview` (GraphML, GEXF, CSV); output: files that rdflib, NetworkX
and Gephi read as they are.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import networkx as nx
from rdflib import Graph

from kg.errors import KgError
from kg.graph.layers import article_layer
from kg.graph.nxview import view as nx_view
from kg.graph.rdf import PREFIXES, from_rdf, to_dataset
from kg.graph.store import KgStore
from kg.ids import DEFAULT_BASE
from kg.model import ArticleGraph
from kg.vocab import FACTS_IRI

log = logging.getLogger(__name__)

#: What an RDF writer accepts: the store, one article's extraction, or several.
RdfSource = KgStore | ArticleGraph | Iterable[ArticleGraph]
#: Where a writer writes: a path or a binary file object.
Target = str | Path | IO[bytes]

_RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
_SIMPLE_TYPES = (str, int, float, bool)
# What XML 1.0 cannot hold (controls but tab and newlines, surrogates, U+FFFE/FFFF): a
# label carrying one would make a GraphML or GEXF file no reader opens.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The distinct triples of the union of all graphs but the fact graph (what the triple
#: formats write: the fact graph repeats the articles' facts).
_TRIPLES = f"""
SELECT (COUNT(*) AS ?n) WHERE {{
    SELECT DISTINCT ?s ?p ?o WHERE {{
        {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{FACTS_IRI}>) }}
    }}
}}
"""


def _write_rdf(source: RdfSource, out: Target, fmt: str, base: str) -> None:
    if isinstance(source, KgStore):
        source.dump(out, fmt, PREFIXES)
        return
    graphs = [source] if isinstance(source, ArticleGraph) else list(source)
    ds = to_dataset(graphs, base)
    destination = str(out) if isinstance(out, Path) else out
    if fmt == "turtle":
        union = Graph()
        for prefix, ns in PREFIXES.items():
            union.bind(prefix, ns)
        for s, p, o, _ in ds:
            union.add((s, p, o))
        union.serialize(destination=destination, format="turtle")
    else:
        ds.serialize(destination=destination, format=_RDFLIB_FORMAT[fmt])


def write_turtle(source: RdfSource, out: Target, base: str = DEFAULT_BASE) -> None:
    """Write Turtle: the union of the article graphs and the ontology (named graphs dropped).

    The store's fact graph is left out: its triples repeat the articles', and its
    membership nodes would be a second copy of each membership.

    Args:
        source: the store, or extractions of articles.
        out: a path or a binary file.
        base: base IRI (used only for extractions; a store knows its own).
    """
    _write_rdf(source, out, "turtle", base)


def write_trig(source: RdfSource, out: Target, base: str = DEFAULT_BASE) -> None:
    """Write TriG: every named graph (see :func:`write_turtle` for the args).

    From a store: one graph per article, the ontology and the fact graph, so that
    loading the file gives the same store; from extractions: one graph per article.
    """
    _write_rdf(source, out, "trig", base)


def write_nquads(source: RdfSource, out: Target, base: str = DEFAULT_BASE) -> None:
    """Write N-Quads: every named graph, as :func:`write_trig` (same args)."""
    _write_rdf(source, out, "nquads", base)


def write_jsonld(source: RdfSource, out: Target, base: str = DEFAULT_BASE) -> None:
    """Write JSON-LD with every named graph, as :func:`write_trig` (same args)."""
    _write_rdf(source, out, "jsonld", base)


def check_attributes(graph: nx.Graph) -> None:
    """Check that a graph holds only what GraphML, GEXF and Gephi read back unchanged.

    Every node, edge and graph attribute must be a str, int, float or bool, and one
    attribute name must keep one type everywhere (mixed types give duplicate GraphML
    keys and an unreadable GEXF).

    Raises:
        ValueError: naming the first offending attribute.
    """
    seen: dict[tuple[str, str], type] = {}

    def check(kind: str, where: object, data: dict[str, Any]) -> None:
        for key, value in data.items():
            if type(value) not in _SIMPLE_TYPES:
                raise ValueError(
                    f"{kind} {where!r}: attribute {key!r} is {type(value).__name__}; "
                    "only str, int, float and bool can be exported"
                )
            first = seen.setdefault((kind, key), type(value))
            if first is not type(value):
                raise ValueError(
                    f"{kind} {where!r}: attribute {key!r} is {type(value).__name__} here "
                    f"but {first.__name__} elsewhere"
                )

    check("graph", "graph", graph.graph)
    for node, data in graph.nodes(data=True):
        check("node", node, data)
    for *ends, data in graph.edges(data=True):
        check("edge", tuple(ends), data)


def _xml_safe(graph: nx.Graph) -> nx.Graph:
    """Return the graph with every character XML refuses replaced by a space (a copy if any)."""

    def clean(value: Any) -> Any:
        return _NOT_XML.sub(" ", value) if isinstance(value, str) else value

    def dirty(data: dict[str, Any]) -> bool:
        return any(isinstance(v, str) and _NOT_XML.search(v) for v in data.values())

    nodes = list(graph.nodes(data=True))
    if (
        not any(dirty({"id": n, **d}) for n, d in nodes)
        and not any(dirty(d) for *_, d in graph.edges(data=True))
        and not dirty(graph.graph)
    ):
        return graph
    safe = graph.__class__()
    safe.graph.update({k: clean(v) for k, v in graph.graph.items()})
    safe.add_nodes_from((clean(n), {k: clean(v) for k, v in d.items()}) for n, d in nodes)
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for u, v, *rest in edges:
        data = {k: clean(x) for k, x in rest[-1].items()}
        safe.add_edge(clean(u), clean(v), *rest[:-1], **data)
    return safe


def _write_nx(graph: nx.Graph, out: Target, fmt: str) -> None:
    check_attributes(graph)
    graph = _xml_safe(graph)
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    else:
        nx.write_gexf(graph, out, version="1.2draft")


def write_graphml(graph: nx.Graph, out: Target) -> None:
    """Write GraphML for Gephi, yEd or ``nx.read_graphml``.

    Args:
        graph: a view from :mod:`kg.graph.nxview`.
        out: a path or a binary file.

    Raises:
        ValueError: an attribute has a type GraphML or GEXF cannot hold
            (:func:`check_attributes`).
    """
    _write_nx(graph, out, "graphml")


def write_gexf(graph: nx.Graph, out: Target) -> None:
    """Write GEXF 1.2 for Gephi; dated events, their edges and posts carry ``start``/``end``.

    Those become GEXF time intervals (``timeformat="date"``), so Gephi's timeline works:
    a membership edge (memberOf, headOf; the person-body view's edges) spans the post's
    tenure (:func:`kg.graph.nxview.tenure`), so the timeline animates careers.
    The arguments and errors are those of :func:`write_graphml`.
    """
    _write_nx(graph, out, "gexf")


def write_csv(graph: nx.Graph, directory: str | Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` in the columns Gephi's spreadsheet import knows.

    Nodes: ``Id``, ``Label``, then the other attributes; edges: ``Source``, ``Target``,
    ``Type`` (Directed/Undirected), ``Weight``, ``Label``, then the other attributes.

    Args:
        graph: a view from :mod:`kg.graph.nxview`.
        directory: created if missing.

    Returns:
        The paths of the two files; both are replaced only once both are written.
    """
    check_attributes(graph)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with _replacing(nodes_path) as nodes_tmp, _replacing(edges_path) as edges_tmp:
        node_keys = sorted({k for _, d in graph.nodes(data=True) for k in d} - {"label"})
        with nodes_tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Id", "Label", *node_keys])
            for node, d in graph.nodes(data=True):
                w.writerow([node, d.get("label", node), *(d.get(k, "") for k in node_keys)])

        edge_keys = sorted({k for *_, d in graph.edges(data=True) for k in d} - {"label", "weight"})
        kind = "Directed" if graph.is_directed() else "Undirected"
        with edges_tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["Source", "Target", "Type", "Weight", "Label", *edge_keys])
            for u, v, d in graph.edges(data=True):
                row = [u, v, kind, d.get("weight", 1), d.get("label", "")]
                w.writerow(row + [d.get(k, "") for k in edge_keys])
    return nodes_path, edges_path


RDF_WRITERS: dict[str, Callable[[RdfSource, Target], None]] = {
    "turtle": write_turtle,
    "trig": write_trig,
    "nquads": write_nquads,
    "jsonld": write_jsonld,
}
GRAPH_WRITERS: dict[str, Callable[[nx.Graph, Target], None]] = {
    "graphml": write_graphml,
    "gexf": write_gexf,
}
FORMATS = (*RDF_WRITERS, *GRAPH_WRITERS, "csv")


#: RDF formats without named graphs: they hold the union's distinct triples.
TRIPLE_FORMATS = frozenset({"turtle"})


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What :func:`export_store` wrote."""

    fmt: str
    view: str
    quads: int = 0
    nodes: int = 0
    edges: int = 0
    triples: int = 0

    def __str__(self) -> str:
        if self.fmt in TRIPLE_FORMATS:
            return f"{self.fmt}: {self.triples} triples"
        if self.fmt in RDF_WRITERS:
            return f"{self.fmt}: {self.quads} quads"
        return f"{self.fmt} ({self.view} view): {self.nodes} nodes, {self.edges} edges"


def export_store(store: KgStore, fmt: str, out: Target, view: str = "full") -> ExportSummary:
    """Export the stored graph in one format.

    RDF formats write the stored quads; graph formats write a NetworkX view of
    ``from_rdf(store)``, the same read-back SPARQL answers come from.

    Args:
        store: an open store.
        fmt: one of :data:`FORMATS`.
        out: a path or binary file; for ``csv``, a directory.
        view: ``full``, ``coattendance``, ``person-body`` or ``body-document``
            (graph formats only).

    Returns:
        What was written.

    Raises:
        ValueError: unknown format or view, or a view asked of an RDF format.
        KgError: the file cannot be written (one line naming it); a file that was
            there before is left as it was, since a path is written to a temporary
            file beside it and renamed over it only when complete.
    """
    if fmt in RDF_WRITERS:
        if view != "full":
            raise ValueError(f"--view applies to graphml, gexf and csv, not to {fmt}")
        _write_to(out, fmt, lambda target: RDF_WRITERS[fmt](store, target))
        if fmt in TRIPLE_FORMATS:
            rows = store.query(_TRIPLES, union=False).rows
            return ExportSummary(fmt, view, triples=int(str(rows[0][0])))
        return ExportSummary(fmt, view, quads=store.quad_count())
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    graph = nx_view(from_rdf(article_layer(store), store.base), view, store.base)
    if fmt == "csv":
        if not isinstance(out, str | Path):
            raise ValueError("csv export writes two files: give a directory")
        try:
            write_csv(graph, out)
        except OSError as err:
            raise KgError(f"{out}: cannot write csv ({err.strerror or err})") from err
    else:
        _write_to(out, fmt, lambda target: GRAPH_WRITERS[fmt](graph, target))
    return ExportSummary(fmt, view, nodes=graph.number_of_nodes(), edges=graph.number_of_edges())


def _write_to(out: Target, fmt: str, write: Callable[[Target], None]) -> None:
    """Run a writer on ``out``: a path through a temporary file, errors as one line.

    Raises:
        KgError: the writer failed (the disk, the folder, or the serialiser).
    """
    try:
        if isinstance(out, str | Path):
            with _replacing(Path(out)) as tmp:
                write(tmp)
        else:
            write(out)
    except ValueError:
        raise  # our own refusals (check_attributes) already say what is wrong
    except (OSError, KgError, nx.NetworkXError) as err:
        problem = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise KgError(f"{out}: cannot write {fmt} ({problem.splitlines()[-1]})") from err


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """Give a temporary path beside ``target``; rename it over ``target`` only on success.

    The rename is atomic on one file system, so a reader sees the old file or the
    new one, never half of one; on failure the temporary file is removed.
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """The permissions the new file gets: the old file's, else the umask's default."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=True)]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def format_table(graph: ArticleGraph) -> str:
    """Return a readable text summary of one article's extraction.

    Used by ``kg extract --format table``: the article line, then the entities
    (id, type, name, date, mentions) and the relations (subject, predicate, object,
    title, rule), one per line.

    Args:
        graph: the extraction of one article.

    Returns:
        Lines of text ending with a newline.

    Examples:
        >>> from kg.model import Article, ArticleGraph, Entity, Relation
        >>> g = ArticleGraph(Article("a.txt", "", date="2024-01-02"),
        ...     (Entity("e1", "Person", "Ana", "person/ana", mentions=("Ms. Ana",)),
        ...      Entity("e2", "Event", "meeting", "event/x")),
        ...     (Relation("e1", "chaired", "e2"),))
        >>> print(format_table(g))
        a.txt  2024-01-02
          2 entities, 1 relations
          id  type    name     date  mentions
          e1  Person  Ana            Ms. Ana
          e2  Event   meeting
        <BLANKLINE>
          subject  predicate  object   title  rule
          Ana      chaired    meeting
        <BLANKLINE>
    """
    art = graph.article
    head = "  ".join(x for x in (art.doc_id, art.date or "", art.title or "") if x)
    lines = [head, f"  {len(graph.entities)} entities, {len(graph.relations)} relations"]
    if graph.entities:
        rows = [
            [e.id, e.type, _cut(e.name, 60), e.date or "", _cut(" | ".join(e.mentions), 60)]
            for e in graph.entities
        ]
        lines += _table(["id", "type", "name", "date", "mentions"], rows)
    if graph.relations:
        lines.append("")
        names = {e.id: e.name for e in graph.entities}
        rows = [
            [
                _cut(names.get(r.subject, r.subject), 40),
                r.predicate,
                _cut(names.get(r.object, r.object), 40),
                r.title or "",
                r.evidence.rule if r.evidence else "",
            ]
            for r in graph.relations
        ]
        lines += _table(["subject", "predicate", "object", "title", "rule"], rows)
    return "\n".join(lines) + "\n"
