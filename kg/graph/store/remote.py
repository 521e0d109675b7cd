"""Remote store: the knowledge graph on a SPARQL 1.1 server, over the SPARQL 1.1 Protocol.

Stage: graph. Input: rdflib quads and an ``http(s)://`` URL; output: update and query
requests, answers as rdflib terms. The same one-request replace per article as the local
store; terms are written in Oxigraph's N-Triples syntax. Reads no data files.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Self, Unpack

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.graph.store.common import (
    article_ids,
    article_quads,
    over,
    remove_update,
    replace_update,
    to_dataset,
)
from kg.graph.store.local import LocalStore, bind_values, term_text
from kg.graph.store.protocol import Bindings, Quad, QueryOptions, QueryResult, QueryTimeoutError
from kg.ids import DEFAULT_BASE, graph_iri

_PLAIN = (str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")

# Only named graphs: kg writes nothing to the default graph, and a server that makes its
# default graph the union of the named ones (kg serve) would otherwise count twice.
_GRAPH_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_COUNT_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


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
        if dt and dt not in _PLAIN:
            return Literal(value, datatype=URIRef(dt), normalize=False)
        return Literal(value)
    raise TypeError(f"unsupported RDF term in a SPARQL result: {term!r}")


def _read_answer(body: bytes, ctype: str, limit: int | None) -> QueryResult:
    """Turn a server's answer (SPARQL results JSON or N-Triples) into a QueryResult."""
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


class RemoteStore:
    """The knowledge graph on a SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB, Virtuoso).

    A :class:`Store` like the local one: an article's graph is replaced by ONE update
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
        self.path: Path | None = None
        self.base = base
        self.read_only = read_only
        self.url = url
        self.timeout = timeout
        self.query_url, self.update_url = endpoints(url)
        self._where = url.partition("#")[0]
        self._open = True
        self.query("ASK { }", union=False)  # fail early, with the reason, if unreachable

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Forget the connection (each request is its own HTTP exchange)."""
        self._open = False

    def _post(
        self, url: str, body: str, content_type: str, accept: str | None, timeout: float
    ) -> tuple[bytes, str]:
        if not self._open:
            raise StoreError(f"{self._where}: the store is closed")
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=body.encode("utf-8"), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
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
        self._post(self.update_url, update, "application/sparql-update", None, self.timeout)

    # ------------------------------------------------------------------ writing

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update request to the server."""
        self._update(sparql, "update")

    def optimize(self) -> None:
        """Nothing to do: the server keeps its own files."""

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> int:
        """Replace one named graph with ONE update request (see the class docstring)."""
        update, count = replace_update(graph, quads, term_text, self.base)
        self._update(update, f"write graph {graph}")
        return count

    def replace_article(self, doc_id: str, quads: Iterable[Quad]) -> int:
        """Replace one article's named graph atomically (see :meth:`Store.replace_article`)."""
        return self.replace_graph(graph_iri(doc_id, self.base), quads)

    def remove_article(self, doc_id: str) -> int:
        """Remove one article's named graph (see :meth:`Store.remove_article`)."""
        count = article_quads(self, doc_id, self._where)
        update = remove_update(graph_iri(doc_id, self.base), term_text)
        self._update(update, f"remove {doc_id!r}")
        return count

    def bulk_load(self, quads: Iterable[Quad], chunk: int = 20_000) -> int:
        """Add quads with ``INSERT DATA`` requests of ``chunk`` quads each (not atomic)."""
        total = 0
        batch: list[str] = []

        def send() -> None:
            self._update("INSERT DATA {\n" + "\n".join(batch) + "\n}", "bulk load")

        for s, p, o, g in quads:
            triple = f"{term_text(s)} {term_text(p)} {term_text(o)} ."
            batch.append(triple if g is None else f"GRAPH {term_text(g)} {{ {triple} }}")
            total += 1
            if len(batch) >= chunk:
                send()
                batch = []
        if batch:
            send()
        return total

    # ------------------------------------------------------------------ reading

    def articles(self) -> list[str]:
        """Return the ids of the stored articles, sorted."""
        return article_ids(self)

    def quad_count(self, doc_id: str | None = None) -> int:
        """Return the number of quads in the server's named graphs, or in one article's."""
        if doc_id is None:
            res = self.query(_COUNT_GRAPH, union=False)
        else:
            g = URIRef(graph_iri(doc_id, self.base))
            res = self.query(_COUNT_GRAPH, {"g": g}, union=False)
        value = res.rows[0][0] if res.rows else None
        return int(value) if isinstance(value, Literal) else 0

    def __len__(self) -> int:
        return self.quad_count()

    def graphs(self) -> list[str]:
        """Return the IRIs of all named graphs, sorted."""
        return sorted(str(row[0]) for row in self.query(_GRAPHS, union=False).rows)

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Yield the quads of the server's named graphs (or of one) as rdflib terms."""
        if graph is None:
            res = self.query(_GRAPH_QUADS, union=False)
        else:
            res = self.query(_GRAPH_QUADS, {"g": URIRef(graph)}, union=False)
        for s, p, o, g in res.rows:
            assert s is not None and p is not None and o is not None
            yield s, p, o, g

    def dataset(self) -> Dataset:
        """Return the server's named graphs as an in-memory rdflib Dataset."""
        return to_dataset(self.quads())

    def disk_size(self) -> int:
        """Return 0: the server keeps its own files."""
        return 0

    def query(
        self, sparql: str, bindings: Bindings | None = None, **options: Unpack[QueryOptions]
    ) -> QueryResult:
        """Run a SPARQL query on the server (see :meth:`Store.query`)."""
        if bindings:
            sparql = bind_values(sparql, bindings)
        url = self.query_url
        if options.get("union", True):
            url += ("&" if "?" in url else "?") + "union-default-graph"
        timeout, deadline = self.timeout, options.get("deadline")
        if deadline is not None:
            timeout = max(0.001, min(timeout, deadline - time.monotonic()))
        try:
            body, ctype = self._post(url, sparql, "application/sparql-query", _ACCEPT, timeout)
        except StoreError as err:
            if over(deadline):
                raise QueryTimeoutError("query: timed out") from err
            raise
        return _read_answer(body, ctype, options.get("limit"))

    def dump(self, out: str | Path | IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
        """Serialise the server's quads (copied into memory first; see :meth:`Store.dump`)."""
        with LocalStore(None, base=self.base) as copy:
            copy.bulk_load(self.quads())
            copy.dump(out, fmt, prefixes)
