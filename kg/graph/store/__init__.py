"""Persistent store: the knowledge graph with one named graph per article, queried with SPARQL.

Stage: graph. Input: quads from :mod:`kg.graph.rdf`; output: a store (an Oxigraph directory,
or a SPARQL 1.1 server given as an ``http(s)://`` URL), SPARQL answers and serialisations.
:class:`Store` is the interface; ``local`` and ``remote`` implement it. Reads no data files.
"""

from __future__ import annotations

from pathlib import Path

from kg.graph.store.local import FORMATS, LocalStore, bind_values, term_text
from kg.graph.store.protocol import (
    Bindings,
    Quad,
    QueryOptions,
    QueryResult,
    QueryTimeoutError,
    Store,
)
from kg.graph.store.remote import RemoteStore, endpoints, is_remote
from kg.ids import DEFAULT_BASE

#: The store type that callers annotate with (either implementation satisfies it).
KgStore = Store

__all__ = [
    "FORMATS",
    "Bindings",
    "KgStore",
    "LocalStore",
    "Quad",
    "QueryOptions",
    "QueryResult",
    "QueryTimeoutError",
    "RemoteStore",
    "Store",
    "bind_values",
    "endpoints",
    "is_remote",
    "open_store",
    "term_text",
]


def open_store(
    path: str | Path | None,
    base: str = DEFAULT_BASE,
    read_only: bool = False,
    create: bool = True,
) -> Store:
    """Open (or create) the store in a directory, or connect to a SPARQL server.

    Args:
        path: the store directory; an ``http(s)://`` URL for a SPARQL 1.1 server
            (:class:`RemoteStore`); None for a throw-away in-memory store.
        base: the base IRI of the graphs.
        read_only: open without write access.
        create: make a new local store where there is none; False makes a missing
            store an error (a server is never created).

    Returns:
        The open store; close it (or use ``with``) when done.

    Raises:
        StoreError: the directory cannot be opened as a store (a folder of other files
            is refused), or the server does not answer.

    Examples:
        >>> with open_store(None) as store:
        ...     store.quad_count()
        0
    """
    if is_remote(path):
        return RemoteStore(str(path), base=base, read_only=read_only)
    return LocalStore(path, base=base, read_only=read_only, create=create)
