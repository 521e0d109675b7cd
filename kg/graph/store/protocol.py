"""The store interface: what build, queries, analysis, export, validate, serve and the CLI call.

Stage: graph. Input: rdflib quads, one named graph per article; output: SPARQL answers
(:class:`QueryResult`) and serialisations. Implemented by ``local.LocalStore`` (embedded
Oxigraph) and ``remote.RemoteStore`` (a SPARQL 1.1 server); no data files are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol, Self, TypedDict, Unpack, runtime_checkable

from rdflib import Dataset
from rdflib.term import Node

from kg.errors import QueryError

#: One quad in rdflib terms: subject, predicate, object, graph (None: the default graph).
Quad = tuple[Node, Node, Node, Node | None]
#: Values for query variables: name (without ``?``) -> RDF term.
Bindings = Mapping[str, Node]


class QueryTimeoutError(QueryError):
    """A query ran past its deadline."""


class QueryOptions(TypedDict, total=False):
    """How :meth:`Store.query` reads the answer (every key optional).

    Attributes:
        union: the default graph is the union of all named graphs (the default, for
            ordinary questions); False leaves it empty, so ``GRAPH ?g`` reaches provenance.
        limit: keep at most this many rows or triples (``truncated`` tells); None: all.
        deadline: a :func:`time.monotonic` time; reading results stops there with
            :class:`QueryTimeoutError`.
    """

    union: bool
    limit: int | None
    deadline: float | None


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


@runtime_checkable
class Store(Protocol):
    """A knowledge-graph store: one named graph per article, queried with SPARQL.

    Open one with :func:`kg.graph.store.open_store`; use it as a context manager or call
    :meth:`close`. Every method raises :class:`kg.errors.StoreError` when the store
    cannot be read or written.

    Attributes:
        path: the store directory (None in memory or on a server).
        base: the base IRI of the graphs (see :mod:`kg.ids`).
        read_only: writes are refused.
    """

    path: Path | None
    base: str
    read_only: bool

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def __len__(self) -> int: ...

    def close(self) -> None:
        """Release the store; later calls raise StoreError."""

    def optimize(self) -> None:
        """Leave on disk only what the store holds, when a batch of writes is done.

        The embedded store drops its write-ahead log; a server store does nothing.
        """
        ...

    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> int:
        """Replace the named graph ``graph`` with ``quads``, atomically.

        All quads are produced first, then the old graph is dropped and the new one
        inserted in one operation: a failure leaves the previous version in place.

        Args:
            graph: the IRI of the named graph.
            quads: ``(s, p, o, g)`` rdflib quads, every one in ``graph``.

        Returns:
            The number of distinct quads now in the graph.

        Raises:
            ValueError: a quad belongs to another graph.
        """

    def replace_article(self, doc_id: str, quads: Iterable[Quad]) -> int:
        """Replace one article's named graph atomically (see :meth:`replace_graph`).

        Re-ingesting the same extraction gives exactly the same quads, so building
        twice leaves the store unchanged.

        Args:
            doc_id: the article id.
            quads: the article's quads (from :func:`kg.graph.rdf.to_quads`).

        Returns:
            The number of quads in the article's graph.
        """

    def remove_article(self, doc_id: str) -> int:
        """Remove one article's named graph and every fact it held.

        Facts about the same entities stated by other articles stay, in their graphs.

        Returns:
            The number of quads removed.

        Raises:
            StoreError: no such article in the store, or the store cannot be written.
        """

    def bulk_load(self, quads: Iterable[Quad], chunk: int = ...) -> int:
        """Add many quads fast, not atomically, replacing nothing (to fill a new store).

        Args:
            quads: ``(s, p, o, g)`` rdflib quads (g None for the default graph).
            chunk: quads sent at a time.

        Returns:
            The number of quads given (duplicates included).
        """

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update as one operation.

        Raises:
            QueryError: the update is not valid SPARQL.
            StoreError: the store is read-only or cannot be written.
        """

    def articles(self) -> list[str]:
        """Return the ids of the stored articles, sorted."""

    def quad_count(self, doc_id: str | None = None) -> int:
        """Return the number of quads in the store, or in one article's graph."""

    def graphs(self) -> list[str]:
        """Return the IRIs of the named graphs (articles and the ontology), sorted."""

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Yield the stored quads as rdflib terms (only ``graph``'s when given)."""

    def dataset(self) -> Dataset:
        """Return the whole store as an in-memory rdflib Dataset (for pyshacl, rdflib tools)."""

    def disk_size(self) -> int:
        """Return the bytes the store's files take on disk (0 in memory or on a server)."""

    def query(
        self, sparql: str, bindings: Bindings | None = None, **options: Unpack[QueryOptions]
    ) -> QueryResult:
        """Run a SPARQL query.

        Args:
            sparql: the query text (it declares its own PREFIX lines).
            bindings: values for variables (``{"person": URIRef(...)}``), joined at the
                start of the WHERE clause as rdflib's ``initBindings`` are
                (see :func:`kg.graph.store.bind_values`).
            **options: ``union``, ``limit`` and ``deadline``: see :class:`QueryOptions`.

        Returns:
            The solutions, boolean or triples in rdflib terms.

        Raises:
            QueryError: the query is not valid SPARQL.
            QueryTimeoutError: the deadline passed.
        """

    def dump(self, out: str | Path | IO[bytes], fmt: str, prefixes: Mapping[str, str]) -> None:
        """Serialise the store.

        Formats with named graphs (trig, nquads, jsonld) keep every graph: one per
        article, the ontology and the fact graph, so a restore gives the same store;
        triple formats (turtle, ntriples, rdfxml) get the union of all graphs but the
        fact graph (it repeats the articles' facts).

        Args:
            out: a file path or a binary file object.
            fmt: one of ``kg.graph.store.FORMATS``.
            prefixes: prefix -> namespace used where the format allows.

        Raises:
            ValueError: unknown format.
        """
