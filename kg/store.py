"""Persistent store: the knowledge graph in an embedded Oxigraph database on disk.

Input: quads from :mod:`kg.rdf` (rdflib terms), one named graph per article; output: a
store directory, SPARQL results and serialisations. The ONLY module that imports
pyoxigraph. Replacing an article is one SPARQL update, hence one transaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.ids import DEFAULT_BASE, graph_iri
from kg.rdf import PREFIXES
from kg.vocab import KG

log = logging.getLogger(__name__)

_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Output formats of :meth:`KgStore.dump`: name -> (Oxigraph format, holds named graphs).
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}

_ARTICLES = f"""
SELECT ?g ?doc WHERE {{ GRAPH ?g {{ ?a a <{KG.Article}> ; <{KG.docId}> ?doc }} }} ORDER BY ?doc
"""

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def _to_ox(term: Node) -> Any:
    """Convert an rdflib term to the Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store the RDF term {term!r}")


def _from_ox(term: Any) -> Node | None:
    """Convert an Oxigraph term to the rdflib term (None for the default graph)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language:
            return Literal(term.value, lang=term.language)
        if dt in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt), normalize=False)
    if isinstance(term, ox.DefaultGraph) or term is None:
        return None
    raise TypeError(f"unsupported RDF term in the store: {term!r}")


_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_WORD = re.compile(r"[A-Za-z]+")


def _where_group(sparql: str) -> int:
    """Return the offset of the ``{`` that opens the query's WHERE clause.

    Comments, IRIs and strings are skipped; for CONSTRUCT the template group is passed.
    """
    i, depth, word, form, template_done = 0, 0, "", "", False
    while i < len(sparql):
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = len(sparql) if end < 0 else end
            continue
        m = (_IRIREF.match(sparql, i) if c == "<" else None) or (
            _STRING.match(sparql, i) if c in "\"'" else None
        )
        if m:
            i = m.end()
            continue
        if depth == 0 and (w := _WORD.match(sparql, i)):
            word = w.group().upper()
            if not form and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            i = w.end()
            continue
        if c == "{":
            if depth == 0 and (form != "CONSTRUCT" or word == "WHERE" or template_done):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
            template_done = template_done or depth == 0
        i += 1
    raise QueryError("query: no WHERE clause to bind parameters in")


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Return the query with ``VALUES`` for the bound variables opening its WHERE clause.

    The values are RDF terms serialised by Oxigraph, never user text pasted into the
    query, so this is binding, not string formatting; joining at the start of the
    WHERE clause gives rdflib's ``initBindings`` meaning, also inside aggregates.

    Examples:
        >>> bind_values("SELECT ?n WHERE { ?p <http://x/name> ?n }", {"p": URIRef("http://x/a")})
        'SELECT ?n WHERE { VALUES (?p) { (<http://x/a>) } ?p <http://x/name> ?n }'
    """
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(_to_ox(term)) for term in bindings.values())
    at = _where_group(sparql) + 1
    return f"{sparql[:at]} VALUES ({names}) {{ ({values}) }}{sparql[at:]}"


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer of a SPARQL query, in rdflib terms.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"construct"`` (CONSTRUCT and DESCRIBE).
        vars: the projected variable names of a SELECT, in order.
        rows: one tuple per solution, aligned with ``vars`` (None where unbound).
        boolean: the answer of an ASK.
        triples: the triples of a CONSTRUCT or DESCRIBE.
    """

    kind: str
    vars: tuple[str, ...] = ()
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Node]]:
        """Return the SELECT rows as dicts of the bound variables."""
        return [
            {v: t for v, t in zip(self.vars, row, strict=True) if t is not None}
            for row in self.rows
        ]


class KgStore:
    """A knowledge-graph store in a directory: one named graph per article.

    Open it with :func:`open_store`; use it as a context manager or call :meth:`close`.

    Args:
        path: the store directory (created if missing); None keeps the store in memory.
        base: the base IRI of the graphs (see :mod:`kg.ids`).
        read_only: open without write access (several readers may share a store).

    Raises:
        StoreError: the directory cannot be opened (not a store, or in use).
    """

    def __init__(
        self, path: str | Path | None, base: str = DEFAULT_BASE, read_only: bool = False
    ) -> None:
        self.path = None if path is None else Path(path)
        self.base = base
        self.read_only = read_only
        where = str(self.path) if self.path else "(memory)"
        self._where = where
        if self.path is not None and self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{where}: not a directory")
        if self.path is not None and read_only and not self.path.exists():
            raise StoreError(f"{where}: no store here (build one with kg build)")
        try:
            if self.path is None:
                self._store: Any = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(f"{where}: cannot open the store ({err})") from err

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> KgStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the store (its lock is freed with the last reference)."""
        if self._store is None:
            return
        if not self.read_only:
            try:
                self._store.flush()
            except OSError as err:
                raise StoreError(f"{self._where}: cannot flush the store ({err})") from err
        self._store = None

    @property
    def _db(self) -> Any:
        if self._store is None:
            raise StoreError(f"{self._where}: the store is closed")
        return self._store

    # ------------------------------------------------------------------ writing

    def replace_graph(
        self, graph: str, quads: Iterable[tuple[Node, Node, Node, Node | None]]
    ) -> int:
        """Replace the named graph ``graph`` with ``quads``, atomically.

        All quads are produced first; then dropping the old graph and inserting the new
        one run as a single SPARQL update, which Oxigraph applies as one transaction:
        a failure at any point leaves the previous version of the graph in place.

        Args:
            graph: the IRI of the named graph.
            quads: ``(s, p, o, g)`` rdflib quads, every one in ``graph``.

        Returns:
            The number of distinct quads now in the graph.

        Raises:
            ValueError: a quad belongs to another graph.
            StoreError: the store cannot be written.
        """
        lines = []
        seen = set()
        for s, p, o, g in quads:
            if str(g) != graph:
                raise ValueError(f"quad in graph {g}, expected {graph}")
            triple = (s, p, o)
            if triple in seen:
                continue
            seen.add(triple)
            lines.append(f"{_to_ox(s)} {_to_ox(p)} {_to_ox(o)} .")
        g_iri = _to_ox(URIRef(graph))
        update = f"DROP SILENT GRAPH {g_iri}"
        if lines:
            update += f" ;\nINSERT DATA {{ GRAPH {g_iri} {{\n" + "\n".join(lines) + "\n} }"
        try:
            self._db.update(update)
        except (OSError, RuntimeError) as err:  # RuntimeError: a read-only store
            raise StoreError(f"{self._where}: cannot write graph {graph} ({err})") from err
        return len(lines)

    def replace_article(
        self, doc_id: str, quads: Iterable[tuple[Node, Node, Node, Node | None]]
    ) -> int:
        """Replace one article's named graph atomically (see :meth:`replace_graph`).

        Re-ingesting the same extraction gives exactly the same quads, so building
        twice leaves the store unchanged.

        Args:
            doc_id: the article id.
            quads: the article's quads (from :func:`kg.rdf.to_quads`).

        Returns:
            The number of quads in the article's graph.
        """
        return self.replace_graph(graph_iri(doc_id, self.base), quads)

    def remove_article(self, doc_id: str) -> int:
        """Remove one article's named graph and every fact it held.

        Facts about the same entities stated by other articles stay, in their graphs.

        Returns:
            The number of quads removed.

        Raises:
            StoreError: no such article in the store, or the store cannot be written.
        """
        g = ox.NamedNode(graph_iri(doc_id, self.base))
        count = self.quad_count(doc_id)
        if count == 0 and doc_id not in self.articles():
            raise StoreError(f"{self._where}: no article {doc_id!r} in the store")
        try:
            self._db.update(f"DROP SILENT GRAPH {g}")
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self._where}: cannot remove {doc_id!r} ({err})") from err
        return count

    # ------------------------------------------------------------------ reading

    def articles(self) -> list[str]:
        """Return the ids of the stored articles, sorted."""
        return [str(row[1]) for row in self.query(_ARTICLES, union=False).rows]

    def quad_count(self, doc_id: str | None = None) -> int:
        """Return the number of quads in the store, or in one article's graph."""
        if doc_id is None:
            return len(self._db)
        g = ox.NamedNode(graph_iri(doc_id, self.base))
        return sum(1 for _ in self._db.quads_for_pattern(None, None, None, g))

    def __len__(self) -> int:
        return self.quad_count()

    def graphs(self) -> list[str]:
        """Return the IRIs of all named graphs (articles and the ontology), sorted."""
        return sorted(g.value for g in self._db.named_graphs())

    def quads(self, graph: str | None = None) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        """Yield the stored quads as rdflib terms (graph None = the default graph).

        Args:
            graph: only this named graph's quads; None for every quad.
        """
        g = None if graph is None else ox.NamedNode(graph)
        for q in self._db.quads_for_pattern(None, None, None, g):
            s, p, o = _from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)
            assert s is not None and p is not None and o is not None
            yield s, p, o, _from_ox(q.graph_name)

    def dataset(self) -> Dataset:
        """Return the whole store as an in-memory rdflib Dataset (for pyshacl, rdflib tools)."""
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        for s, p, o, g in self.quads():
            target = ds.default_graph if g is None else ds.graph(URIRef(str(g)))
            target.add((s, p, o))
        return ds

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        union: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query.

        Args:
            sparql: the query text (it declares its own PREFIX lines).
            bindings: values for variables (``{"person": URIRef(...)}``), joined at
                the start of the WHERE clause as rdflib's ``initBindings`` are (see
                :func:`bind_values`).
            union: the default graph is the union of all named graphs (for ordinary
                questions); False leaves it empty, so ``GRAPH ?g`` reaches provenance.

        Returns:
            The solutions, boolean or triples in rdflib terms.

        Raises:
            QueryError: the query is not valid SPARQL.
            StoreError: the store cannot be read.
        """
        if bindings:
            sparql = bind_values(sparql, bindings)
        try:
            res = self._db.query(sparql, use_default_graph_as_union=union)
        except SyntaxError as err:
            raise QueryError(f"query: {err}") from err
        except OSError as err:
            raise StoreError(f"{self._where}: query failed ({err})") from err
        if isinstance(res, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = tuple(v.value for v in res.variables)
            rows = [tuple(_from_ox(sol[v]) for v in names) for sol in res]
            return QueryResult("select", vars=names, rows=rows)
        triples = []
        for t in res:
            s, p, o = _from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)
            assert s is not None and p is not None and o is not None
            triples.append((s, p, o))
        return QueryResult("construct", triples=triples)

    def dump(self, out: str | Path | IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
        """Serialise the store.

        Formats with named graphs (trig, nquads, jsonld) keep one graph per article;
        triple formats (turtle, ntriples, rdfxml) get the union of all graphs.

        Args:
            out: a file path or a binary file object.
            fmt: one of :data:`FORMATS`.
            prefixes: prefix -> namespace used where the format allows.

        Raises:
            ValueError: unknown format.
            StoreError: the store cannot be read or the file written.
        """
        if fmt not in FORMATS:
            raise ValueError(f"unknown RDF format {fmt!r}; expected one of {sorted(FORMATS)}")
        ox_format, quads = FORMATS[fmt]
        target = str(out) if isinstance(out, Path) else out
        try:
            if quads:
                self._db.dump(target, ox_format, prefixes=dict(prefixes))
            else:
                triples = self._db.query(_UNION)
                ox.serialize(triples, target, ox_format, prefixes=dict(prefixes))
        except OSError as err:
            raise StoreError(f"{out}: cannot write {fmt} ({err})") from err


def open_store(
    path: str | Path | None, base: str = DEFAULT_BASE, read_only: bool = False
) -> KgStore:
    """Open (or create) the store in a directory.

    Args:
        path: the store directory; None for a throw-away in-memory store.
        base: the base IRI of the graphs.
        read_only: open without write access.

    Returns:
        The open store; close it (or use ``with``) when done.

    Raises:
        StoreError: the directory cannot be opened as a store.

    Examples:
        >>> with open_store(None) as store:
        ...     store.quad_count()
        0
    """
    return KgStore(path, base=base, read_only=read_only)
