"""Embedded store: the knowledge graph in an Oxigraph database on disk (or in memory).

Stage: graph. Input: rdflib quads, one named graph per article; output: a store directory,
SPARQL answers and serialisations. The ONLY module that imports pyoxigraph; it also lends
Oxigraph's N-Triples term syntax to the remote store. Reads no data files.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Self, TypeVar, Unpack

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.graph.store.common import (
    article_ids,
    article_quads,
    bind_with,
    over,
    remove_update,
    replace_update,
    to_dataset,
)
from kg.graph.store.protocol import Bindings, Quad, QueryOptions, QueryResult, QueryTimeoutError
from kg.ids import DEFAULT_BASE, graph_iri
from kg.vocab import FACTS_IRI

log = logging.getLogger(__name__)

_T = TypeVar("_T")

_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Output formats of ``dump``: name -> (Oxigraph format, holds named graphs).
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}

#: What a triple format holds: every graph but the fact graph, which repeats their facts
#: (its membership nodes would be a second copy of each membership).
_UNION = (
    "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION "
    f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{FACTS_IRI}>) }} }}"
)


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
        # Oxigraph's IRIs are valid: rdflib's check of each one would be repeated work
        return str.__new__(URIRef, term.value)
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


@functools.lru_cache(maxsize=1 << 16)
def term_text(term: Node) -> str:
    """Return an rdflib term in N-Triples syntax, written (and checked) by Oxigraph.

    Raises:
        ValueError: not a valid IRI, blank node or language tag.

    Examples:
        >>> term_text(Literal("Chủ tịch", lang="vi")), term_text(URIRef("http://x/a"))
        ('"Chủ tịch"@vi', '<http://x/a>')

    Kept for the last 65,536 terms: an article's quads name the same predicates, classes
    and entities again and again (an rdflib term is equal only to the same term).
    """
    return str(_to_ox(term))


def bind_values(sparql: str, bindings: Bindings) -> str:
    """Return the query with ``VALUES`` for the bound variables opening its WHERE clause.

    The values are RDF terms serialised by Oxigraph, never user text pasted into the
    query, so this is binding, not string formatting; joining at the start of the
    WHERE clause gives rdflib's ``initBindings`` meaning, also inside aggregates.

    Examples:
        >>> bind_values("SELECT ?n WHERE { ?p <http://x/name> ?n }", {"p": URIRef("http://x/a")})
        'SELECT ?n WHERE { VALUES (?p) { (<http://x/a>) } ?p <http://x/name> ?n }'
    """
    return bind_with(sparql, bindings, term_text)


def _take(
    res: Any, convert: Callable[[Any], _T], limit: int | None, deadline: float | None
) -> tuple[list[_T], bool]:
    """Convert the first ``limit`` items of an Oxigraph answer; tell whether more were left.

    Raises:
        QueryTimeoutError: the deadline passed while reading.
    """
    cap = float("inf") if limit is None else limit
    items = []
    truncated = False
    for n, item in enumerate(res):
        if n >= cap:
            truncated = True
            break
        if n % 256 == 0 and over(deadline):
            raise QueryTimeoutError("query: timed out")
        items.append(convert(item))
    if over(deadline):
        raise QueryTimeoutError("query: timed out")
    return items, truncated


def _triple(t: Any) -> tuple[Node, Node, Node]:
    s, p, o = _from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)
    assert s is not None and p is not None and o is not None
    return s, p, o


def _read_result(res: Any, limit: int | None, deadline: float | None) -> QueryResult:
    """Turn an Oxigraph answer into a QueryResult, stopping at ``limit`` or ``deadline``."""
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = tuple(v.value for v in res.variables)
        # a solution iterates its values in the order of the variables (None: unbound)
        rows, truncated = _take(res, lambda sol: tuple(map(_from_ox, sol)), limit, deadline)
        return QueryResult("select", vars=names, rows=rows, truncated=truncated)
    triples, truncated = _take(res, _triple, limit, deadline)
    return QueryResult("construct", triples=triples, truncated=truncated)


#: A file every Oxigraph (RocksDB) store directory holds.
_STORE_MARKER = "CURRENT"


def _check_folder(path: Path, create: bool) -> None:
    """Refuse a path that is not a store directory (or, with ``create``, a place for one).

    A folder of other files is never taken for a store: Oxigraph would add its
    database files among them.

    Raises:
        StoreError: a file, a missing store (``create`` False), or a non-empty folder
            that is not an Oxigraph store.
    """
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no store here (build one with kg build)")
        return
    if not path.is_dir():
        raise StoreError(f"{path}: not a directory")
    if (path / _STORE_MARKER).is_file():
        return
    try:
        others = sorted(p.name for p in path.iterdir())
    except OSError as err:
        raise StoreError(f"{path}: cannot open the store ({err.strerror or err})") from err
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        raise StoreError(
            f"{path}: not a kg store (the folder holds other files: {shown}); "
            "give a new or empty folder"
        )
    if not create:
        raise StoreError(f"{path}: no store here (build one with kg build)")


class LocalStore:
    """A knowledge-graph store in a directory: one named graph per article (a :class:`Store`).

    Open it with :func:`kg.graph.store.open_store`; use it as a context manager or call
    :meth:`close`.

    Args:
        path: the store directory (created if missing); None keeps the store in memory.
        base: the base IRI of the graphs (see :mod:`kg.ids`).
        read_only: open without write access (several readers may share a store).
        create: make a new store where there is none (False: a missing store is an
            error, as for ``kg remove``).

    Raises:
        StoreError: the directory cannot be opened (not a store, damaged, or in use).
    """

    def __init__(
        self,
        path: str | Path | None,
        base: str = DEFAULT_BASE,
        read_only: bool = False,
        create: bool = True,
    ) -> None:
        self.path: Path | None = None if path is None else Path(path)
        self.base = base
        self.read_only = read_only
        where = str(self.path) if self.path else "(memory)"
        self._where = where
        if self.path is not None:
            _check_folder(self.path, create=create and not read_only)
        try:
            if self.path is None:
                self._store: Any = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(f"{where}: cannot open the store ({err})") from err
        except RuntimeError as err:  # RocksDB's own errors: a damaged store
            problem = " ".join(str(err).split())
            raise StoreError(f"{where}: the store is damaged or unreadable ({problem})") from err

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
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

    def optimize(self) -> None:
        """Leave on disk only what the store holds: flush, and drop the write-ahead log.

        RocksDB keeps the log of a session's writes until the store is next opened for
        writing, though all of it is in the table files after a flush: a build of 54
        articles left 24 MB of log beside 8 MB of tables. Opening the store again drops
        it (in about 0.1 s). Oxigraph's own compaction (``Store.optimize``) is not run:
        measured after builds and rebuilds it saved nothing, and on a large store it
        rewrites every table file. Call it when a batch of writes is done, with no
        query result of this store still being read; an in-memory store only flushes.

        Raises:
            StoreError: the store is read-only, or cannot be flushed or opened again
                (it is then closed).
        """
        if self.read_only:
            raise StoreError(f"{self._where}: cannot optimize a read-only store")
        try:
            self._db.flush()
        except OSError as err:
            raise StoreError(f"{self._where}: cannot flush the store ({err})") from err
        if self.path is None:
            return
        self._store = None  # the last reference: RocksDB closes and frees its lock
        try:
            self._store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self._where}: cannot open the store again ({err})") from err

    @property
    def _db(self) -> Any:
        if self._store is None:
            raise StoreError(f"{self._where}: the store is closed")
        return self._store

    # ------------------------------------------------------------------ writing

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> int:
        """Replace a named graph atomically (see :meth:`Store.replace_graph`).

        Dropping the old graph and inserting the new one run as a single SPARQL update,
        which Oxigraph applies as one transaction.
        """
        update, count = replace_update(graph, quads, term_text, self.base)
        try:
            self._db.update(update)
        except (OSError, RuntimeError) as err:  # RuntimeError: a read-only store
            raise StoreError(f"{self._where}: cannot write graph {graph} ({err})") from err
        return count

    def replace_article(self, doc_id: str, quads: Iterable[Quad]) -> int:
        """Replace one article's named graph atomically (see :meth:`Store.replace_article`)."""
        return self.replace_graph(graph_iri(doc_id, self.base), quads)

    def remove_article(self, doc_id: str) -> int:
        """Remove one article's named graph and its share of the facts (one transaction)."""
        graph = graph_iri(doc_id, self.base)
        count = article_quads(self, doc_id, self._where)
        try:
            self._db.update(remove_update(graph, term_text))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self._where}: cannot remove {doc_id!r} ({err})") from err
        return count

    def bulk_load(self, quads: Iterable[Quad], chunk: int = 250_000) -> int:
        """Add many quads with Oxigraph's bulk loader, outside transactions.

        Unlike :meth:`replace_article` this is not atomic and replaces nothing: a crash
        half-way leaves part of the quads. Use it only to fill a store from scratch
        (benchmarks, restores); see :meth:`Store.bulk_load`.
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
        """Run a SPARQL 1.1 Update as one transaction (see :meth:`Store.update`)."""
        try:
            self._db.update(sparql)
        except SyntaxError as err:
            raise QueryError(f"update: {err}") from err
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self._where}: update failed ({err})") from err

    # ------------------------------------------------------------------ reading

    def articles(self) -> list[str]:
        """Return the ids of the stored articles, sorted."""
        return article_ids(self)

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

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
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
        return to_dataset(self.quads())

    def disk_size(self) -> int:
        """Return the bytes the store's files take on disk (0 for an in-memory store)."""
        if self.path is None or not self.path.is_dir():
            return 0
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def query(
        self, sparql: str, bindings: Bindings | None = None, **options: Unpack[QueryOptions]
    ) -> QueryResult:
        """Run a SPARQL query in Oxigraph (see :meth:`Store.query`).

        A ``deadline`` stops the reading of results: evaluation already running inside
        Oxigraph cannot be interrupted, so a query that yields nothing for long is only
        stopped at its first result.
        """
        if bindings:
            sparql = bind_values(sparql, bindings)
        try:
            res = self._db.query(sparql, use_default_graph_as_union=options.get("union", True))
        except SyntaxError as err:
            raise QueryError(f"query: {err}") from err
        except OSError as err:
            raise StoreError(f"{self._where}: query failed ({err})") from err
        try:
            return _read_result(res, options.get("limit"), options.get("deadline"))
        except OSError as err:
            raise StoreError(f"{self._where}: query failed ({err})") from err

    def answer(
        self,
        sparql: str,
        formats: tuple[str | None, str | None],
        limit: int | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> tuple[str, bytes | None, bool]:
        """Evaluate a query and return its answer already serialised, by Oxigraph.

        The fast path of the SPARQL endpoint's workers: no rdflib terms are made.

        Args:
            sparql: the query; the default graph is the union of all graphs.
            formats: the format for a SELECT/ASK answer (a key of ``RESULT_FORMATS``) and
                for a CONSTRUCT/DESCRIBE one (of ``GRAPH_FORMATS``); None: not acceptable.
            limit: rows or triples kept at most (None: all).
            prefixes: prefixes for the graph formats.

        Returns:
            The kind (``select``, ``ask``, ``construct``), the bytes (None when the
            kind's format was None) and whether ``limit`` cut the answer.

        Raises:
            QueryError: not valid SPARQL.
            StoreError: the store cannot be read.
        """
        try:
            return answer_bytes(self._db, sparql, formats, limit, prefixes or {})
        except SyntaxError as err:
            raise QueryError(f"query: {err}") from err
        except OSError as err:
            raise StoreError(f"{self._where}: query failed ({err})") from err

    def dump(self, out: str | Path | IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
        """Serialise the store with Oxigraph (see :meth:`Store.dump`)."""
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


#: Answer formats of :meth:`LocalStore.answer`: results (SELECT/ASK) and graphs (CONSTRUCT).
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _json_term(term: Any) -> dict[str, Any]:
    """One RDF term as a SPARQL JSON results binding."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {  # an RDF-star quoted triple (SPARQL-star JSON)
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _solutions_bytes(res: Any, fmt: str, limit: int | None) -> tuple[bytes, bool]:
    """Serialise SELECT solutions, at most ``limit`` of them, as ``fmt``.

    Oxigraph's own writer cannot stop at a row count, so the kept rows are written as
    SPARQL JSON here (C json) and, for the other formats, re-read and written by Oxigraph.
    """
    names = [v.value for v in res.variables]
    cap = None if limit is None else limit + 1
    rows = list(itertools.islice(res, cap))
    truncated = limit is not None and len(rows) > limit
    if truncated:
        rows = rows[:limit]
    bindings = []
    for sol in rows:
        row = {}
        for name in names:
            term = sol[name]
            if term is not None:
                row[name] = _json_term(term)
        bindings.append(row)
    data = json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    if fmt != "json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        converted = parsed.serialize(format=RESULT_FORMATS[fmt])
        assert converted is not None  # no output file given: the bytes are returned
        return converted, truncated
    return data, truncated


def answer_bytes(
    db: Any,
    sparql: str,
    formats: tuple[str | None, str | None],
    limit: int | None,
    prefixes: Mapping[str, str],
) -> tuple[str, bytes | None, bool]:
    """Evaluate a query on an Oxigraph store and serialise its answer (see LocalStore.answer).

    Raises:
        SyntaxError: not valid SPARQL.
        OSError: the store cannot be read.
    """
    result_fmt, graph_fmt = formats
    res = db.query(sparql, use_default_graph_as_union=True)
    if isinstance(res, ox.QueryBoolean):
        if result_fmt is None:
            return "ask", None, False
        return "ask", res.serialize(format=RESULT_FORMATS[result_fmt]), False
    if isinstance(res, ox.QuerySolutions):
        if result_fmt is None:
            return "select", None, False
        data, truncated = _solutions_bytes(res, result_fmt, limit)
        return "select", data, truncated
    if graph_fmt is None:
        return "construct", None, False
    triples = list(itertools.islice(res, None if limit is None else limit + 1))
    truncated = limit is not None and len(triples) > limit
    body = ox.serialize(
        triples[:limit] if truncated else triples,
        None,
        GRAPH_FORMATS[graph_fmt],
        prefixes=dict(prefixes),
    )
    return "construct", body, truncated
