"""The two layers of a store: the article graphs (provenance) and the fact graph (facts once).

Stage: graph. Input: an open store (local or remote); output: the quads of the article
layer alone, the state of the fact layer, the fact graph ``<https://kg.example.org/facts>``
rebuilt from every article graph (one SPARQL update per batch of articles), or a one-line
error telling a reader how to upgrade. Reads no data files.

A store written before :mod:`kg.graph.facts` existed holds article graphs and no fact
graph: the library's queries, which read facts from the fact graph, would answer as if it
were empty. Writers (``kg build``, ``kg load``, ``kg remove``) rebuild it first
(:func:`ensure_facts`); readers refuse such a store with the command that upgrades it
(:func:`require_facts`). While a rebuild runs, the fact graph carries a marker triple
(:data:`PARTIAL`), so a rebuild cut short is seen as unfinished and done again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from enum import Enum

from rdflib import RDFS, Literal, URIRef

from kg.errors import StoreError
from kg.graph.facts import fact_quads, is_article_graph
from kg.graph.store import KgStore, Quad, RemoteStore, open_store, term_text
from kg.ids import entity_iri, graph_iri
from kg.vocab import FACTS_IRI

log = logging.getLogger(__name__)

#: Articles whose facts go into one update of a rebuild.
BATCH = 200

#: The triple that marks a fact graph as being rebuilt (removed by the last update).
PARTIAL = (
    URIRef(FACTS_IRI),
    RDFS.comment,
    Literal("incomplete: being rebuilt from the article graphs (kg build with no inputs)"),
)

_FACTS = f"<{FACTS_IRI}>"
_MARKER = " ".join(term_text(t) for t in PARTIAL) + " ."
_HAS_FACTS = f"ASK {{ GRAPH {_FACTS} {{ ?s ?p ?o }} }}"
_IS_PARTIAL = f"ASK {{ GRAPH {_FACTS} {{ {_MARKER[:-2]} }} }}"


class FactState(Enum):
    """Where a store's fact layer stands."""

    CURRENT = "current"
    """The fact graph is there, or no article has a fact to keep (an empty store)."""
    MISSING = "missing"
    """Article graphs with facts, and no fact graph: built before the fact layer."""
    PARTIAL = "partial"
    """A rebuild was started and did not finish."""


def fact_state(store: KgStore) -> FactState:
    """Tell whether the store's fact graph is there, missing or half rebuilt (1-2 ASKs).

    Examples:
        >>> from kg.graph.store import open_store
        >>> with open_store(None) as store:
        ...     fact_state(store)
        <FactState.CURRENT: 'current'>
    """
    if store.query(_HAS_FACTS, union=False).boolean:
        partial = store.query(_IS_PARTIAL, union=False).boolean
        return FactState.PARTIAL if partial else FactState.CURRENT
    # some article graph states a triple about a shared node: it has facts to keep
    shared = entity_iri("", store.base)
    stated = (
        f"ASK {{ GRAPH ?g {{ ?s a ?c }} FILTER(?g != {_FACTS} && "
        f'STRSTARTS(STR(?g), "{graph_iri("", store.base)}") && '
        f'STRSTARTS(STR(?s), "{shared}")) }}'
    )
    return FactState.MISSING if store.query(stated, union=False).boolean else FactState.CURRENT


def _where(store: KgStore) -> str:
    """The store's directory or URL, as the user gives it to ``--store``."""
    if store.path is not None:
        return str(store.path)
    return str(getattr(store, "url", "(memory)"))


def article_layer(store: KgStore) -> Iterator[Quad]:
    """Yield the quads of every graph but the fact graph: what the articles state, and the ontology.

    The readers that rebuild the model from the store (:func:`kg.graph.rdf.from_rdf`) need
    the article graphs only; the fact graph repeats their facts. A local store reads graph
    by graph (an index lookup each); a server answers one request, filtered here.

    Examples:
        >>> from kg.graph.store import open_store
        >>> with open_store(None) as store:
        ...     list(article_layer(store))
        []
    """
    if isinstance(store, RemoteStore):
        yield from (q for q in store.quads() if str(q[3]) != FACTS_IRI)
        return
    for graph in store.graphs():
        if graph != FACTS_IRI:
            yield from store.quads(graph)


def upgrade_hint(store: KgStore) -> str:
    """The command that adds the fact layer to ``store`` (for messages)."""
    return f"kg build --store {_where(store)} (with no inputs)"


def require_facts(store: KgStore) -> None:
    """Refuse a store whose fact graph is missing or half rebuilt, saying how to upgrade.

    Raises:
        StoreError: one line naming the store and the command that rebuilds its facts.
    """
    state = fact_state(store)
    if state is FactState.CURRENT:
        return
    why = (
        "was built before the fact layer (it has no fact graph)"
        if state is FactState.MISSING
        else "has a fact graph whose rebuild did not finish"
    )
    raise StoreError(f"{_where(store)}: the store {why}; run {upgrade_hint(store)} to upgrade it")


def fact_drift(store: KgStore) -> tuple[int, int]:
    """Compare the fact graph with a recomputation from the article graphs.

    The recomputation goes through an in-memory Oxigraph store, which writes literals
    in the same canonical form as the stored ones.

    Returns:
        ``(extra, missing)``: triples of the fact graph that no article gives, and
        triples the articles give that it lacks; ``(0, 0)`` when it is exact.
    """
    with open_store(None, base=store.base) as memory:
        for graph in store.graphs():
            if is_article_graph(graph, store.base):
                memory.bulk_load(fact_quads(list(store.quads(graph)), store.base))
        want = {q[:3] for q in memory.quads(FACTS_IRI)}
    got = {q[:3] for q in store.quads(FACTS_IRI)} - {PARTIAL}
    return len(got - want), len(want - got)


def _batches(store: KgStore, size: int) -> Iterator[list[str]]:
    docs = store.articles()
    for i in range(0, len(docs), size):
        yield docs[i : i + size]


def rebuild_facts(
    store: KgStore,
    batch: int = BATCH,
    on_article: Callable[[str], None] | None = None,
) -> int:
    """Recompute the fact graph from every article graph, one update per batch of articles.

    The old fact graph is dropped and :data:`PARTIAL` put in its place; each batch adds
    the facts of its articles (:func:`kg.graph.facts.fact_quads`); the last update takes
    the marker out. The result is what storing the articles one by one would have left.

    Args:
        store: an open, writable store.
        batch: articles per update.
        on_article: called with each article's id once its facts are sent (progress).

    Returns:
        The number of triples in the fact graph afterwards.

    Raises:
        StoreError: the store cannot be read or written.
    """
    store.update(f"DROP SILENT GRAPH {_FACTS} ;\nINSERT DATA {{ GRAPH {_FACTS} {{ {_MARKER} }} }}")
    for docs in _batches(store, batch):
        lines: dict[str, None] = {}
        for doc in docs:
            quads = list(store.quads(graph_iri(doc, store.base)))
            for s, p, o, _ in fact_quads(quads, store.base):
                lines[f"{term_text(s)} {term_text(p)} {term_text(o)} ."] = None
            if on_article is not None:
                on_article(doc)
        if lines:
            body = "\n".join(lines)
            store.update(f"INSERT DATA {{ GRAPH {_FACTS} {{\n{body}\n}} }}")
    store.update(f"DELETE DATA {{ GRAPH {_FACTS} {{ {_MARKER} }} }}")
    count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_FACTS} {{ ?s ?p ?o }} }}")
    total = int(str(count.rows[0][0])) if count.rows else 0
    log.info("rebuilt the fact graph: %d triples", total)
    return total


def ensure_facts(store: KgStore, on_article: Callable[[str], None] | None = None) -> bool:
    """Rebuild the fact graph of a store built before the fact layer (or half rebuilt).

    Writers call it before they write, so what they add joins a complete fact layer.

    Args:
        store: an open, writable store.
        on_article: progress callback, see :func:`rebuild_facts`.

    Returns:
        True when the fact graph was rebuilt, False when it was already current.
    """
    if fact_state(store) is FactState.CURRENT:
        return False
    log.info("%s: rebuilding the fact graph from the article graphs", _where(store))
    rebuild_facts(store, on_article=on_article)
    return True
