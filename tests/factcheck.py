"""The fact graph of a store against a recomputation from its article graphs, for tests.

Both sides pass through Oxigraph (the recomputation through an in-memory store), which
writes literals in their canonical form (decimal ``0.950`` as ``0.95``), so equal facts
compare equal.
"""

from __future__ import annotations

from rdflib.term import Node

from kg.graph.facts import fact_quads, is_article_graph
from kg.graph.store import KgStore, open_store
from kg.vocab import FACTS_IRI

Triple = tuple[Node, Node, Node]


def stored_facts(store: KgStore) -> set[Triple]:
    """The triples of the store's fact graph."""
    return {(s, p, o) for s, p, o, _ in store.quads(FACTS_IRI)}


def recomputed_facts(store: KgStore) -> set[Triple]:
    """The fact graph that :func:`kg.graph.facts.fact_quads` gives over every article graph."""
    with open_store(None, base=store.base) as memory:
        for graph in store.graphs():
            if is_article_graph(graph, store.base):
                memory.bulk_load(fact_quads(list(store.quads(graph)), store.base))
        return stored_facts(memory)


def assert_facts_exact(store: KgStore) -> set[Triple]:
    """Assert that the fact graph equals its recomputation; return it."""
    got, want = stored_facts(store), recomputed_facts(store)
    assert got == want, (
        f"fact graph: {len(got)} triples, recomputed {len(want)}; "
        f"extra {sorted(got - want, key=str)[:3]}; missing {sorted(want - got, key=str)[:3]}"
    )
    return got
