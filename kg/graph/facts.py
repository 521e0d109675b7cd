"""The fact layer: one deduplicated copy of every fact, kept beside the article graphs.

Stage: graph. Input: one article's quads (:func:`kg.graph.rdf.to_quads`); output: the
quads that article adds to the fact graph ``<https://kg.example.org/facts>``, and the
SPARQL update that takes out what only one article stated. Reads no data files.

A fact stated by n articles is n triples in n article graphs, and a join over the union
graph meets every copy. The fact graph holds each once:

- every triple whose subject is a shared node (``<base>id/...``: an entity's type,
  labels, date and attributes, the plain relation triples, roles) is copied as it is;
  the article graphs that hold the same triple are its references;
- every membership (an article's ``#relation/n/membership``) becomes one node per
  distinct content, ``<base>id/membership/<hash>`` (member, body, predicate as
  kg:relation, title, role, kg:asOf, kg:startDate, kg:confidence), with one
  ``prov:wasDerivedFrom`` per statement that states it: its references.

So the fact graph is a function of the article graphs alone: storing the same articles
in any order, or removing one, leaves it exactly as a rebuild from the articles would.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import ORG, PROV
from rdflib.term import Node

from kg.ids import DEFAULT_BASE, entity_iri
from kg.vocab import FACTS_IRI, KG

#: Membership properties copied from an article's membership node to its fact node.
_MEMBERSHIP_PROPS = (ORG.member, ORG.organization, KG.title, ORG.role, KG.asOf, KG.startDate)

#: One quad: subject, predicate, object, graph (None: the default graph).
Quad = tuple[Node, Node, Node, Node | None]


def fact_quads(quads: Iterable[Quad], base: str = DEFAULT_BASE) -> Iterator[Quad]:
    """Yield the fact-graph quads that one article's quads give (duplicates included).

    Args:
        quads: the quads of one article graph.
        base: the base IRI of shared nodes.

    Yields:
        ``(s, p, o, <facts>)``: copied shared-node triples, then membership facts.

    Examples:
        >>> from rdflib import RDFS
        >>> e = URIRef(entity_iri("person/ana-lum"))
        >>> g = URIRef("https://kg.example.org/graph/a.txt")
        >>> art = URIRef("https://kg.example.org/article/a.txt")
        >>> [str(p) for _, p, _, _ in fact_quads([(e, RDFS.label, Literal("Ana Lum"), g),
        ...                                          (art, KG.docId, Literal("a.txt"), g)])]
        ['http://www.w3.org/2000/01/rdf-schema#label']
    """
    facts = URIRef(FACTS_IRI)
    shared = entity_iri("", base)
    by_subject: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    memberships: list[Node] = []
    for s, p, o, _ in quads:
        if isinstance(s, URIRef) and str(s).startswith(shared):
            yield s, p, o, facts
            continue
        by_subject[s][p].append(o)
        if p == RDF.type and o == KG.Membership:
            memberships.append(s)
    for mem in memberships:
        yield from _membership_fact(by_subject, mem, facts, base)


def _one(props: dict[Node, list[Node]], p: Node) -> Node | None:
    values = props.get(p)
    return values[0] if values else None


def _membership_fact(
    by_subject: dict[Node, dict[Node, list[Node]]], mem: Node, facts: URIRef, base: str
) -> Iterator[Quad]:
    """The fact node of one article membership, and its link to the stating statement."""
    props = by_subject[mem]
    statement = _one(props, PROV.wasDerivedFrom)
    st = by_subject.get(statement, {}) if statement is not None else {}
    predicate = _one(st, RDF.predicate)
    confidence = _one(st, KG.confidence)
    values: list[tuple[Node, Node]] = [(p, v) for p in _MEMBERSHIP_PROPS if (v := _one(props, p))]
    if predicate is not None:
        values.append((KG.relation, predicate))
    if confidence is not None:
        values.append((KG.confidence, confidence))
    key = "\n".join(f"{p.n3()} {_key_text(v)}" for p, v in sorted(values))
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]
    node = URIRef(entity_iri(f"membership/{digest}", base))
    yield node, RDF.type, KG.Membership, facts
    for p, v in values:
        yield node, p, v, facts
    if statement is not None:
        yield node, PROV.wasDerivedFrom, statement, facts


def _key_text(term: Node) -> str:
    """A term's text for the membership hash, the same before and after a store trip.

    A store may write a literal in its canonical form (Oxigraph turns decimal ``0.950``
    into ``0.95``), so literals are keyed by their value.

    Examples:
        >>> from rdflib import XSD, Literal
        >>> _key_text(Literal("0.950", datatype=XSD.decimal, normalize=False))
        'Decimal:0.95'
    """
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            value = value.normalize()
        return f"{type(value).__name__}:{value}"
    return term.n3()


def retract_update(graph: str) -> str:
    """Return the SPARQL update that takes an article graph's share out of the fact graph.

    Run it *before* the article graph is dropped, in the same transaction: a copied
    triple goes when no other article graph holds it; a membership fact loses the
    links to this article's statements, and goes when it has no link left.

    Args:
        graph: the N-Triples text of the article graph's IRI (``<...>``).

    Examples:
        >>> "DELETE" in retract_update("<https://kg.example.org/graph/a.txt>")
        True
    """
    facts = f"<{FACTS_IRI}>"
    derived = f"<{PROV.wasDerivedFrom}>"
    membership = f"<{KG.Membership}>"
    statement = f"<{KG.Statement}>"
    return (
        # copied triples that only this article states
        f"DELETE {{ GRAPH {facts} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"GRAPH {facts} {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
        f"FILTER(?h != {graph} && ?h != {facts}) }} }} ;\n"
        # membership facts that only this article's statements state
        f"DELETE {{ GRAPH {facts} {{ ?m ?p ?o }} }} WHERE {{ "
        f"{{ SELECT DISTINCT ?m WHERE {{ GRAPH {graph} {{ ?st a {statement} }} "
        f"GRAPH {facts} {{ ?m {derived} ?st ; a {membership} }} "
        f"FILTER NOT EXISTS {{ GRAPH {facts} {{ ?m {derived} ?other }} "
        f"FILTER NOT EXISTS {{ GRAPH {graph} {{ ?other a {statement} }} }} }} }} }} "
        f"GRAPH {facts} {{ ?m ?p ?o }} }} ;\n"
        # the links from facts other articles still state to this article's statements
        f"DELETE {{ GRAPH {facts} {{ ?m {derived} ?st }} }} WHERE {{ "
        f"GRAPH {graph} {{ ?st a {statement} }} GRAPH {facts} {{ ?m {derived} ?st }} }}"
    )


def is_article_graph(graph: str, base: str = DEFAULT_BASE) -> bool:
    """Tell whether a named graph IRI is an article's (whose facts the fact layer keeps).

    Examples:
        >>> is_article_graph("https://kg.example.org/graph/a.txt")
        True
        >>> is_article_graph("https://kg.example.org/ontology")
        False
    """
    return graph.startswith(f"{base}graph/")
