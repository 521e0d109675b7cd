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
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from kg.graph.store import KgStore
from kg.ids import doc_key_year, doc_of_segment, entity_iri, graph_iri, undated_event_key
from kg.model import ArticleGraph
from kg.vocab import EVENT, FACTS_IRI, ONTOLOGY_IRI

log = logging.getLogger(__name__)

#: Shared participants that make two reports one meeting.
MIN_SHARED = 2
#: The fact graph repeats what the article graphs state; identity reads the articles.
_FACTS = URIRef(FACTS_IRI)

_PREFIX = """PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# the coded documents and the meeting places of one article's graph
_DOCS_OF = (
    _PREFIX + """SELECT DISTINCT ?d WHERE { GRAPH ?g { ?d a kg:Document ; kg:code ?code } }"""
)
_PLACES_OF = (
    _PREFIX
    + """SELECT DISTINCT ?at ?in WHERE { GRAPH ?g {
  ?e a kg:Event ; kg:heldIn ?at . OPTIONAL { ?at kg:locatedIn ?in }
} }"""
)
# every occurrence of a coded document's node, with or without a year
_DOC_OCCURRENCES = (
    _PREFIX
    + """SELECT ?g ?d ?date WHERE {
  GRAPH ?g { ?d a kg:Document ; kg:code ?code . OPTIONAL { ?d kg:date ?date } }
  FILTER(?g != ?facts)
  FILTER(?d = ?base || STRSTARTS(STR(?d), CONCAT(STR(?base), "/")))
}"""
)
# every meeting held at a place (or at a place inside it), with its participants: the
# subjects of attended or of a property under it in the ontology graph
_EVENTS_AT = (
    _PREFIX
    + """SELECT ?g ?e ?label ?date ?who WHERE {
  GRAPH ?g {
    ?e a kg:Event ; rdfs:label ?label ; kg:heldIn ?at .
    OPTIONAL { ?at kg:locatedIn ?in }
    OPTIONAL { ?e kg:date ?date }
  }
  FILTER(?g != ?facts && (?at = ?place || ?in = ?place))
  OPTIONAL { GRAPH ?g { ?who ?rel ?e } GRAPH ?onto { ?rel rdfs:subPropertyOf* kg:attended } }
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
    g = {"g": URIRef(graph_iri(doc_id, store.base))}
    prefix = entity_iri("", store.base)
    docs = set()
    for (d,) in store.query(_DOCS_OF, g, union=False).rows:
        key = str(d)[len(prefix) :]
        docs.add(doc_key_year(key)[0])
    places = {p for row in store.query(_PLACES_OF, g, union=False).rows for p in row if p}
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
    base = URIRef(entity_iri(base_key, store.base))
    stated: set[str] = set()
    unstated: list[tuple[str, str]] = []
    bindings = {"base": base, "facts": _FACTS}
    for g, d, date in store.query(_DOC_OCCURRENCES, bindings, union=False).rows:
        key = str(d)[len(prefix) :]
        root, year = doc_key_year(key)
        if root != base_key:
            continue
        if date is not None and year is not None:
            stated.add(key)
        else:
            unstated.append((str(g), key))
    target = next(iter(stated)) if len(stated) == 1 else base_key
    return [(g, key, target) for g, key in sorted(set(unstated)) if key != target]


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
    bindings = {"place": place, "onto": URIRef(ONTOLOGY_IRI), "facts": _FACTS}
    reports: dict[tuple[str, str], _Report] = {}
    for g, e, label, date, who in store.query(_EVENTS_AT, bindings, union=False).rows:
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
