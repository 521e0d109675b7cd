"""Identity across articles at build time: one node per document and per meeting.

Stage: graph (build). Input: an article's ArticleGraph before it is stored, and the
store around it; output: the graph with article-scoped keys for undated meetings, and
the stored graphs whose node for the same document or meeting is re-keyed to one IRI.
Reads no data files; keys come from :mod:`kg.ids`.

Two rules, both functions of what the store holds (not of the order articles came in),
so building the same articles in any order, or twice, gives the same graph:

- a coded document an article gives without its year ("Resolution 18-NQ/TW") is the
  one year-bearing document of that code the store knows ("18-NQ/TW dated 25 October
  2017"); with none or several years known it keeps the year-less key;
- a meeting an article reports without a date is the dated meeting another article
  reports at the same place (the venue or the province it lies in) with at least two of
  the same participants, when exactly one such meeting exists; otherwise it is the
  article's own (``event/undated/<doc>/<name>``: "meeting" alone names nothing).

Each article's statements stay in its own named graph; only the node IRI they use moves.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, URIRef
from rdflib.term import Node

from kg.graph.store import KgStore, term_text
from kg.graph.store.protocol import Quad
from kg.ids import (
    doc_key_variants,
    doc_key_year,
    doc_of_segment,
    entity_iri,
    graph_iri,
    undated_event_key,
)
from kg.model import ArticleGraph
from kg.vocab import EVENT, FACTS_IRI, KG, ONTOLOGY_IRI

log = logging.getLogger(__name__)

#: Shared participants that make two reports one meeting.
MIN_SHARED = 2
#: What :func:`quads_scope` reads in an article's quads.
_SCOPE_PREDICATES: dict[Node, str] = {
    RDF.type: "type",
    KG.code: "code",
    KG.heldIn: "held",
    KG.locatedIn: "within",
}
_DOCUMENT, _EVENT = KG.Document, KG.Event

_PREFIX = """PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# Bound IRIs are written into these texts (GRAPH_IRI, DOC, PLACE), not given as VALUES:
# Oxigraph then looks them up in its indexes instead of scanning every graph.
# the coded documents and the meeting places of one article's graph
_DOCS_OF = (
    _PREFIX
    + """SELECT DISTINCT ?d WHERE { GRAPH GRAPH_IRI { ?d a kg:Document ; kg:code ?code } }"""
)
_PLACES_OF = (
    _PREFIX
    + """SELECT DISTINCT ?at ?in WHERE { GRAPH GRAPH_IRI {
  ?e a kg:Event ; kg:heldIn ?at . OPTIONAL { ?at kg:locatedIn ?in }
} }"""
)
# the variants of a document key that the store holds (kg.ids.doc_key_variants: IRIS)
_DOC_VARIANTS = (
    _PREFIX
    + "SELECT ?d WHERE { VALUES ?d { IRIS } GRAPH <"
    + FACTS_IRI
    + "> { ?d a kg:Document } }"
)
# every article's occurrence of one document node
_DOC_OCCURRENCES = (
    _PREFIX
    + """SELECT ?g ?date WHERE {
  GRAPH ?g { DOC a kg:Document ; kg:code ?code . OPTIONAL { DOC kg:date ?date } }
  FILTER(?g != <"""
    + FACTS_IRI
    + """>)
}"""
)
# every meeting held at a place (or at a place inside it), with its participants: the
# subjects of attended or of a property under it in the ontology graph
_EVENTS_AT = (
    _PREFIX
    + """SELECT ?g ?e ?label ?date ?who WHERE {
  { GRAPH ?g {
      ?e kg:heldIn PLACE ; a kg:Event ; rdfs:label ?label . OPTIONAL { ?e kg:date ?date }
  } }
  UNION
  { GRAPH ?g {
      ?at kg:locatedIn PLACE . ?e kg:heldIn ?at ; a kg:Event ; rdfs:label ?label .
      OPTIONAL { ?e kg:date ?date }
  } }
  FILTER(?g != <"""
    + FACTS_IRI
    + """>)
  OPTIONAL { GRAPH ?g { ?who ?rel ?e } GRAPH <"""
    + ONTOLOGY_IRI
    + """> { ?rel rdfs:subPropertyOf* kg:attended } }
}"""
)


def settle_keys(graph: ArticleGraph) -> ArticleGraph:
    """Give the article's undated meetings keys of their own article.

    Args:
        graph: one article's extraction.

    Returns:
        The same graph with ``event/undated/<doc>/<name>`` keys for events without a date.
    """
    entities = tuple(
        dataclasses.replace(e, key=undated_event_key(e.name, graph.doc_id))
        if e.type == EVENT and not e.date
        else e
        for e in graph.entities
    )
    return dataclasses.replace(graph, entities=entities)


@dataclass
class Scope:
    """What of the store one article's identity touches: its codes and meeting places."""

    docs: set[str] = field(default_factory=set)
    places: set[Node] = field(default_factory=set)

    def __or__(self, other: Scope) -> Scope:
        return Scope(self.docs | other.docs, self.places | other.places)


def scope_of(store: KgStore, doc_id: str) -> Scope:
    """Return the document keys (without year) and meeting places an article's graph has.

    Args:
        store: the store.
        doc_id: the article (absent: an empty scope).

    Returns:
        The scope.
    """
    g = term_text(URIRef(graph_iri(doc_id, store.base)))
    prefix = entity_iri("", store.base)
    docs = set()
    for (d,) in store.query(_DOCS_OF.replace("GRAPH_IRI", g), union=False).rows:
        key = str(d)[len(prefix) :]
        docs.add(doc_key_year(key)[0])
    places_of = _PLACES_OF.replace("GRAPH_IRI", g)
    places = {p for row in store.query(places_of, union=False).rows for p in row if p}
    return Scope(docs, places)


def quads_scope(quads: Iterable[Quad], base: str) -> Scope:
    """The scope of an article from the quads it is stored as (what :func:`scope_of` reads).

    Args:
        quads: the article graph's quads (:func:`kg.graph.rdf.to_quads`).
        base: the store's base IRI.

    Returns:
        The scope, without asking the store.
    """
    prefix = entity_iri("", base)
    types: dict[Node, set[Node]] = defaultdict(set)
    coded: set[Node] = set()
    held: list[tuple[Node, Node]] = []
    within: dict[Node, set[Node]] = defaultdict(set)
    for s, p, o, _ in quads:
        kind = _SCOPE_PREDICATES.get(p)  # a dict lookup: most predicates are none of these
        if kind == "type":
            types[s].add(o)
        elif kind == "code":
            coded.add(s)
        elif kind == "held":
            held.append((s, o))
        elif kind == "within":
            within[s].add(o)
    docs = {doc_key_year(str(d)[len(prefix) :])[0] for d in coded if _DOCUMENT in types[d]}
    places: set[Node] = set()
    for event, at in held:
        if _EVENT in types[event]:
            places.add(at)
            places |= within[at]
    return Scope(docs, places)


def reconcile(store: KgStore, scope: Scope) -> int:
    """Re-key the stored documents and meetings of a scope so one thing is one node.

    Args:
        store: the store (the article is already stored in it).
        scope: what the stored article touched, before and after it was replaced.

    Returns:
        How many named graphs were rewritten.
    """
    moves: dict[str, dict[str, str]] = defaultdict(dict)
    for base in sorted(scope.docs):
        for g, old, new in _document_moves(store, base):
            moves[g][old] = new
    for place in sorted(scope.places, key=str):
        for g, old, new in _event_moves(store, place):
            moves[g][old] = new
    for g, renames in sorted(moves.items()):
        _rekey(store, g, renames)
    return len(moves)


def _document_moves(store: KgStore, base_key: str) -> list[tuple[str, str, str]]:
    """The occurrences of one coded document to move: year-less ones to the one year known."""
    prefix = entity_iri("", store.base)
    stated: set[str] = set()
    unstated: list[tuple[str, str]] = []
    for (d,) in store.query(_variants_query(base_key, store.base), union=False).rows:
        key = str(d)[len(prefix) :]
        year = doc_key_year(key)[1]
        occurrences = _DOC_OCCURRENCES.replace("DOC", term_text(d))
        for g, date in store.query(occurrences, union=False).rows:
            if date is not None and year is not None:
                stated.add(key)
            else:
                unstated.append((str(g), key))
    target = next(iter(stated)) if len(stated) == 1 else base_key
    return [(g, key, target) for g, key in sorted(set(unstated)) if key != target]


@functools.lru_cache(maxsize=1024)  # a corpus cites the same documents again and again
def _variants_query(base_key: str, base: str) -> str:
    """The query for the stored variants of a document key (see :data:`_DOC_VARIANTS`)."""
    iris = " ".join(term_text(URIRef(entity_iri(k, base))) for k in doc_key_variants(base_key))
    return _DOC_VARIANTS.replace("IRIS", iris)


@dataclass
class _Report:
    """One article's account of a meeting: its node, name, date and participants."""

    key: str
    label: str = ""
    date: str | None = None
    who: set[str] = field(default_factory=set)


def _event_moves(store: KgStore, place: Node) -> list[tuple[str, str, str]]:
    """The undated meetings at a place to move: to the one dated meeting they match."""
    prefix = entity_iri("", store.base)
    sparql = _EVENTS_AT.replace("PLACE", term_text(place))
    reports: dict[tuple[str, str], _Report] = {}
    for g, e, label, date, who in store.query(sparql, union=False).rows:
        key = str(e)[len(prefix) :]
        r = reports.setdefault((str(g), key), _Report(key))
        r.label = min(r.label, str(label)) if r.label else str(label)
        if date is not None:
            r.date = str(date)
        if who is not None:
            r.who.add(str(who))
    dated: dict[str, set[str]] = defaultdict(set)
    for r in reports.values():
        if r.date:
            dated[r.key] |= r.who
    moves = []
    for (graph, key), r in sorted(reports.items()):
        if r.date:
            continue
        matches = [k for k, who in dated.items() if len(who & r.who) >= MIN_SHARED]
        own = undated_event_key(r.label, doc_of_segment(graph.rsplit("/", 1)[-1]))
        target = matches[0] if len(matches) == 1 else own
        if target != key:
            moves.append((graph, key, target))
    return moves


def _rekey(store: KgStore, graph: str, renames: dict[str, str]) -> None:
    """Rewrite one named graph with some entity IRIs replaced, in one transaction."""
    iris: dict[Node, Node] = {
        URIRef(entity_iri(old, store.base)): URIRef(entity_iri(new, store.base))
        for old, new in renames.items()
    }
    quads = [(iris.get(s, s), p, iris.get(o, o), c) for s, p, o, c in store.quads(graph)]
    log.debug("%s: re-keyed %s", graph, renames)
    store.replace_graph(graph, quads)
