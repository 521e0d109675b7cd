"""Persistent store: the knowledge graph in an embedded Oxigraph database on disk.

Input: quads from :mod:`kg.graph.rdf` (rdflib terms), one named graph per article; output: a
store directory, SPARQL results and serialisations. The ONLY module that imports
pyoxigraph. Replacing an article is one SPARQL update, hence one transaction. A store
given as an ``http(s)://`` URL is a SPARQL 1.1 server (:class:`RemoteStore`): the same
one-request replace per article, sent over the SPARQL 1.1 Protocol.
"""

from __future__ import annotations

import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
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
from kg.graph.rdf import PREFIXES
from kg.ids import DEFAULT_BASE, graph_iri
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


class QueryTimeoutError(QueryError):
    """A query ran past its deadline."""


def _over(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def _replace_update(
    graph: str, quads: Iterable[tuple[Node, Node, Node, Node | None]]
) -> tuple[str, int]:
    """Return the one SPARQL update that replaces ``graph`` with ``quads``, and their count.

    Raises:
        ValueError: a quad belongs to another graph.
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
    return update, len(lines)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer of a SPARQL query, in rdflib terms.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"construct"`` (CONSTRUCT and DESCRIBE).
        vars: the projected variable names of a SELECT, in order.
        rows: one tuple per solution, aligned with ``vars`` (None where unbound).
        boolean: the answer of an ASK.
        triples: the triples of a CONSTRUCT or DESCRIBE.
        truncated: a ``limit`` cut the rows or triples short.
    """

    kind: str
    vars: tuple[str, ...] = ()
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    truncated: bool = False

    def dicts(self) -> list[dict[str, Node]]:
        """Return the SELECT rows as dicts of the bound variables."""
        return [
            {v: t for v, t in zip(self.vars, row, strict=True) if t is not None}
            for row in self.rows
        ]


def _read_result(res: Any, limit: int | None, deadline: float | None) -> QueryResult:
    """Turn an Oxigraph answer into a QueryResult, stopping at ``limit`` or ``deadline``."""
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    cap = float("inf") if limit is None else limit
    truncated = False
    if isinstance(res, ox.QuerySolutions):
        names = tuple(v.value for v in res.variables)
        rows = []
        for n, sol in enumerate(res):
            if n >= cap:
                truncated = True
                break
            if n % 256 == 0 and _over(deadline):
                raise QueryTimeoutError("query: timed out")
            rows.append(tuple(_from_ox(sol[v]) for v in names))
        if _over(deadline):
            raise QueryTimeoutError("query: timed out")
        return QueryResult("select", vars=names, rows=rows, truncated=truncated)
    triples = []
    for n, t in enumerate(res):
        if n >= cap:
            truncated = True
            break
        if n % 256 == 0 and _over(deadline):
            raise QueryTimeoutError("query: timed out")
        s, p, o = _from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    if _over(deadline):
        raise QueryTimeoutError("query: timed out")
    return QueryResult("construct", triples=triples, truncated=truncated)


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
        update, count = _replace_update(graph, quads)
        try:
            self._db.update(update)
        except (OSError, RuntimeError) as err:  # RuntimeError: a read-only store
            raise StoreError(f"{self._where}: cannot write graph {graph} ({err})") from err
        return count

    def bulk_load(
        self, quads: Iterable[tuple[Node, Node, Node, Node | None]], chunk: int = 250_000
    ) -> int:
        """Add many quads fast, outside transactions (for a new store: benchmarks, restores).

        Unlike :meth:`replace_article` this is not atomic and replaces nothing: a crash
        half-way leaves part of the quads. Use it only to fill a store from scratch.

        Args:
            quads: ``(s, p, o, g)`` rdflib quads (g None for the default graph).
            chunk: quads handed to Oxigraph's bulk loader at a time.

        Returns:
            The number of quads given (duplicates included).

        Raises:
            StoreError: the store cannot be written.
        """
        batch: list[Any] = []
        total = 0
        default = ox.DefaultGraph()
        try:
            for s, p, o, g in quads:
                graph = default if g is None else _to_ox(g)
                batch.append(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph))
                if len(batch) >= chunk:
                    self._db.bulk_extend(batch)
                    total += len(batch)
                    batch = []
            if batch:
                self._db.bulk_extend(batch)
                total += len(batch)
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self._where}: bulk load failed ({err})") from err
        return total

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update as one transaction.

        Raises:
            QueryError: the update is not valid SPARQL.
            StoreError: the store is read-only or cannot be written.
        """
        try:
            self._db.update(sparql)
        except SyntaxError as err:
            raise QueryError(f"update: {err}") from err
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self._where}: update failed ({err})") from err

    def disk_size(self) -> int:
        """Return the bytes the store's files take on disk (0 for an in-memory store)."""
        if self.path is None or not self.path.is_dir():
            return 0
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def replace_article(
        self, doc_id: str, quads: Iterable[tuple[Node, Node, Node, Node | None]]
    ) -> int:
        """Replace one article's named graph atomically (see :meth:`replace_graph`).

        Re-ingesting the same extraction gives exactly the same quads, so building
        twice leaves the store unchanged.

        Args:
            doc_id: the article id.
            quads: the article's quads (from :func:`kg.graph.rdf.to_quads`).

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
        limit: int | None = None,
        deadline: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query.

        Args:
            sparql: the query text (it declares its own PREFIX lines).
            bindings: values for variables (``{"person": URIRef(...)}``), joined at
                the start of the WHERE clause as rdflib's ``initBindings`` are (see
                :func:`bind_values`).
            union: the default graph is the union of all named graphs (for ordinary
                questions); False leaves it empty, so ``GRAPH ?g`` reaches provenance.
            limit: keep at most this many rows or triples (``truncated`` tells).
            deadline: a :func:`time.monotonic` time; reading results stops there with
                :class:`QueryTimeoutError` (evaluation already running inside Oxigraph
                cannot be interrupted, so a query that yields nothing for long is only
                stopped at its first result).

        Returns:
            The solutions, boolean or triples in rdflib terms.

        Raises:
            QueryError: the query is not valid SPARQL.
            QueryTimeoutError: the deadline passed.
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
        try:
            return _read_result(res, limit, deadline)
        except OSError as err:
            raise StoreError(f"{self._where}: query failed ({err})") from err

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


# --------------------------------------------------------------------------- remote


def is_remote(location: str | Path | None) -> bool:
    """Tell whether a store location is a SPARQL server URL rather than a directory.

    Examples:
        >>> is_remote("http://127.0.0.1:7878"), is_remote("kg-store")
        (True, False)
    """
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def endpoints(url: str) -> tuple[str, str]:
    """Return the (query, update) endpoint URLs of a SPARQL server given by one URL.

    A URL ending in ``/query`` or ``/sparql`` is the query endpoint: the update endpoint
    is ``.../update`` beside ``/query`` (Oxigraph, Fuseki) and the same URL for
    ``/sparql`` (Virtuoso, Blazegraph). Any other URL is the server or dataset root, and
    both endpoints hang below it (``/query`` and ``/update``: Oxigraph's root, a
    Fuseki dataset). ``url#update=<URL>`` names the update endpoint explicitly.

    Examples:
        >>> endpoints("http://127.0.0.1:7878")
        ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
        >>> endpoints("http://h/ds/query")
        ('http://h/ds/query', 'http://h/ds/update')
        >>> endpoints("http://h/sparql#update=http://h/statements")
        ('http://h/sparql', 'http://h/statements')
    """
    url, _, fragment = url.partition("#")
    explicit = fragment[len("update=") :] if fragment.startswith("update=") else None
    root = url.rstrip("/")
    if root.endswith("/query"):
        query, update = root, root[: -len("query")] + "update"
    elif root.endswith("/sparql"):
        query, update = root, root
    else:
        query, update = root + "/query", root + "/update"
    return query, explicit or update


def _from_json(term: dict[str, str] | None) -> Node | None:
    """Convert one term of SPARQL 1.1 Query Results JSON to an rdflib term."""
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in term:
            return Literal(value, lang=term["xml:lang"])
        dt = term.get("datatype")
        if dt and dt not in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(value, datatype=URIRef(dt), normalize=False)
        return Literal(value)
    raise TypeError(f"unsupported RDF term in a SPARQL result: {term!r}")


# Only named graphs: kg writes nothing to the default graph, and a server that makes its
# default graph the union of the named ones (kg serve) would otherwise count twice.
_GRAPH_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteStore(KgStore):
    """The knowledge graph on a SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB, Virtuoso).

    The same interface as :class:`KgStore`: an article's graph is replaced by ONE update
    request holding ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``, which
    a SPARQL 1.1 server applies as one operation, so a failed request leaves the
    previous version in place. Queries ask for the union default graph with Oxigraph's
    ``union-default-graph`` parameter; other servers must be set up to use the union of
    named graphs as their default graph (Fuseki: ``tdb2:unionDefaultGraph true``).

    Args:
        url: the server, see :func:`endpoints`.
        base: the base IRI of the graphs.
        read_only: refuse writes on this side.
        timeout: seconds to wait for one HTTP request.

    Raises:
        StoreError: the server does not answer a first query.
    """

    def __init__(
        self, url: str, base: str = DEFAULT_BASE, read_only: bool = False, timeout: float = 120.0
    ) -> None:
        self.path = None
        self.base = base
        self.read_only = read_only
        self.url = url
        self.timeout = timeout
        self.query_url, self.update_url = endpoints(url)
        self._where = url.partition("#")[0]
        self._store = None
        self._open = True
        self.query("ASK { }", union=False)  # fail early, with the reason, if unreachable

    def close(self) -> None:
        """Forget the connection (each request is its own HTTP exchange)."""
        self._open = False

    def _post(
        self,
        url: str,
        body: str,
        content_type: str,
        accept: str | None,
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        if not self._open:
            raise StoreError(f"{self._where}: the store is closed")
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as resp:
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip().splitlines()
            problem = f"HTTP {err.code} {err.reason}" + (f": {detail[0][:300]}" if detail else "")
            if err.code == 400 and content_type == "application/sparql-query":
                raise QueryError(f"query: {problem}") from err
            raise StoreError(f"{url}: {problem}") from err
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(f"{url}: cannot reach the SPARQL server ({reason})") from err

    def _update(self, update: str, what: str) -> None:
        if self.read_only:
            raise StoreError(f"{self._where}: opened read-only, cannot {what}")
        self._post(self.update_url, update, "application/sparql-update", None)

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update request to the server."""
        self._update(sparql, "update")

    def replace_graph(
        self, graph: str, quads: Iterable[tuple[Node, Node, Node, Node | None]]
    ) -> int:
        """Replace one named graph with ONE update request (see the class docstring)."""
        update, count = _replace_update(graph, quads)
        self._update(update, f"write graph {graph}")
        return count

    def bulk_load(
        self, quads: Iterable[tuple[Node, Node, Node, Node | None]], chunk: int = 20_000
    ) -> int:
        """Add quads with ``INSERT DATA`` requests of ``chunk`` quads each (not atomic)."""
        total = 0
        batch: list[str] = []

        def send() -> None:
            self._update("INSERT DATA {\n" + "\n".join(batch) + "\n}", "bulk load")

        for s, p, o, g in quads:
            triple = f"{_to_ox(s)} {_to_ox(p)} {_to_ox(o)} ."
            batch.append(triple if g is None else f"GRAPH {_to_ox(g)} {{ {triple} }}")
            total += 1
            if len(batch) >= chunk:
                send()
                batch = []
        if batch:
            send()
        return total

    def remove_article(self, doc_id: str) -> int:
        """Remove one article's named graph (see :meth:`KgStore.remove_article`)."""
        count = self.quad_count(doc_id)
        if count == 0 and doc_id not in self.articles():
            raise StoreError(f"{self._where}: no article {doc_id!r} in the store")
        g = _to_ox(URIRef(graph_iri(doc_id, self.base)))
        self._update(f"DROP SILENT GRAPH {g}", f"remove {doc_id!r}")
        return count

    def quad_count(self, doc_id: str | None = None) -> int:
        """Return the number of quads in the server's named graphs, or in one article's."""
        if doc_id is None:
            res = self.query(_COUNT_GRAPH, union=False)
        else:
            g = URIRef(graph_iri(doc_id, self.base))
            res = self.query(_COUNT_GRAPH, {"g": g}, union=False)
        value = res.rows[0][0] if res.rows else None
        return int(value) if isinstance(value, Literal) else 0

    def graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""
        return sorted(str(row[0]) for row in self.query(_GRAPHS, union=False).rows)

    def quads(self, graph: str | None = None) -> Iterator[tuple[Node, Node, Node, Node | None]]:
        """Yield the quads of the server's named graphs (or of one) as rdflib terms."""
        if graph is None:
            res = self.query(_GRAPH_QUADS, union=False)
        else:
            res = self.query(_GRAPH_QUADS, {"g": URIRef(graph)}, union=False)
        for s, p, o, g in res.rows:
            assert s is not None and p is not None and o is not None
            yield s, p, o, g

    def disk_size(self) -> int:
        """Return 0: the server keeps its own files."""
        return 0

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        union: bool = True,
        limit: int | None = None,
        deadline: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query on the server (arguments as :meth:`KgStore.query`)."""
        if bindings:
            sparql = bind_values(sparql, bindings)
        url = self.query_url
        if union:
            url += ("&" if "?" in url else "?") + "union-default-graph"
        timeout = self.timeout
        if deadline is not None:
            timeout = max(0.001, min(timeout, deadline - time.monotonic()))
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        try:
            body, ctype = self._post(url, sparql, "application/sparql-query", accept, timeout)
        except StoreError as err:
            if _over(deadline):
                raise QueryTimeoutError("query: timed out") from err
            raise
        if "json" in ctype:
            data = json.loads(body)
            if "boolean" in data:
                return QueryResult("ask", boolean=bool(data["boolean"]))
            names = tuple(data["head"].get("vars", []))
            rows: list[tuple[Node | None, ...]] = []
            for n, b in enumerate(data["results"]["bindings"]):
                if limit is not None and n >= limit:
                    return QueryResult("select", vars=names, rows=rows, truncated=True)
                rows.append(tuple(_from_json(b.get(v)) for v in names))
            return QueryResult("select", vars=names, rows=rows)
        from rdflib import Graph

        graph = Graph().parse(data=body, format="nt")
        triples = list(graph)
        cut = limit is not None and len(triples) > limit
        return QueryResult("construct", triples=triples[:limit] if cut else triples, truncated=cut)

    def dump(self, out: str | Path | IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
        """Serialise the server's quads (copied into memory first; see :meth:`KgStore.dump`)."""
        with KgStore(None, base=self.base) as copy:
            copy.bulk_load(self.quads())
            copy.dump(out, fmt, prefixes)


def open_store(
    path: str | Path | None, base: str = DEFAULT_BASE, read_only: bool = False
) -> KgStore:
    """Open (or create) the store in a directory, or connect to a SPARQL server.

    Args:
        path: the store directory; an ``http(s)://`` URL for a SPARQL 1.1 server
            (:class:`RemoteStore`); None for a throw-away in-memory store.
        base: the base IRI of the graphs.
        read_only: open without write access.

    Returns:
        The open store; close it (or use ``with``) when done.

    Raises:
        StoreError: the directory cannot be opened as a store, or the server does
            not answer.

    Examples:
        >>> with open_store(None) as store:
        ...     store.quad_count()
        0
    """
    if is_remote(path):
        return RemoteStore(str(path), base=base, read_only=read_only)
    return KgStore(path, base=base, read_only=read_only)
