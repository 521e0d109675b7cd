"""Vocabulary: the ``kg`` ontology terms as Python names, and the ontology read as data.

Input: ``kg/data/ontology/kg.ttl``; output: :class:`KG` (a DefinedNamespace mirroring
the file, so a typo is an error), the serialisation :data:`PREFIXES`, and the property
hierarchy, domains, ranges and attribute mapping computed from the file, never copied into code.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib import namespace as _namespace
from rdflib.collection import Collection
from rdflib.namespace import ORG, PROV, SDO
from rdflib.term import Node

from kg.resources import data_path, load_turtle

ONTOLOGY_FILE = "ontology/kg.ttl"
#: The ontology's own IRI; the store keeps the ontology in a named graph of this name.
ONTOLOGY_IRI = "https://kg.example.org/ontology"
#: The named graph of the fact layer: one copy of each fact (see :mod:`kg.graph.facts`).
FACTS_IRI = "https://kg.example.org/facts"


# referenced through the module: pytest's doctest finder probes module globals, and a bare
# DefinedNamespace there warns on every probe
class KG(_namespace.DefinedNamespace):
    """Terms of ``kg/data/ontology/kg.ttl`` (``tests/test_ontology.py`` keeps the two equal)."""

    _NS = Namespace("https://kg.example.org/ontology#")
    _fail = True

    # the five entity classes
    Person: URIRef
    Organization: URIRef
    Document: URIRef
    Place: URIRef
    Event: URIRef
    # provenance and posts
    Article: URIRef
    Occurrence: URIRef
    Statement: URIRef
    Evidence: URIRef
    Membership: URIRef
    # the nine SPEC predicates
    attended: URIRef
    chaired: URIRef
    spokeAt: URIRef
    implements: URIRef
    issuedBy: URIRef
    memberOf: URIRef
    headOf: URIRef
    locatedIn: URIRef
    heldIn: URIRef
    # identity across views: a congress as a body and as a meeting
    congressEvent: URIRef
    # facts about entities
    modelAttr: URIRef
    date: URIRef
    documentType: URIRef
    code: URIRef
    number: URIRef
    issuerCode: URIRef
    attribute: URIRef
    # article and occurrences
    docId: URIRef
    source: URIRef
    denotes: URIRef
    localId: URIRef
    index: URIRef
    mentions: URIRef
    spans: URIRef
    start: URIRef
    end: URIRef
    # statements and evidence
    subjectOccurrence: URIRef
    objectOccurrence: URIRef
    evidence: URIRef
    rule: URIRef
    confidence: URIRef
    sentence: URIRef
    title: URIRef
    asOf: URIRef
    startDate: URIRef
    relation: URIRef


#: Prefixes used wherever the graph is written out (Turtle, TriG) or read back as rdflib.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SDO),
}


def ontology_path() -> Path:
    """Return the filesystem path of ``kg.ttl``."""
    return data_path(ONTOLOGY_FILE)


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """Parse the ontology once per process.

    Returns:
        The ontology as an rdflib graph (treat it as read-only: it is shared).

    Raises:
        DataFileError: the file is missing or is not valid Turtle.
    """
    return load_turtle(ONTOLOGY_FILE, "ontology file")


def local_name(term: Node) -> str:
    """Return the local name of a ``kg:`` term (``kg:attended`` -> ``attended``).

    Raises:
        ValueError: the term is not in the ``kg:`` namespace.

    Examples:
        >>> local_name(KG.spokeAt)
        'spokeAt'
    """
    ns = str(KG._NS)
    text = str(term)
    if not text.startswith(ns):
        raise ValueError(f"{text} is not a kg: term")
    return text[len(ns) :]


# The ontology's names as the plain strings that the model, the SPEC JSONL and the data files
# use: every module takes entity types and predicates from here, never writes them out.
PERSON, ORGANIZATION, DOCUMENT, PLACE, EVENT = (
    local_name(term) for term in (KG.Person, KG.Organization, KG.Document, KG.Place, KG.Event)
)
ATTENDED, CHAIRED, SPOKE_AT, IMPLEMENTS, ISSUED_BY, MEMBER_OF, HEAD_OF, LOCATED_IN, HELD_IN = (
    local_name(term)
    for term in (
        KG.attended,
        KG.chaired,
        KG.spokeAt,
        KG.implements,
        KG.issuedBy,
        KG.memberOf,
        KG.headOf,
        KG.locatedIn,
        KG.heldIn,
    )
)
#: the five entity types, in the SPEC's order
ENTITY_TYPES = (PERSON, ORGANIZATION, DOCUMENT, PLACE, EVENT)
#: the nine SPEC predicates, in the SPEC's order
PREDICATES = (
    ATTENDED,
    CHAIRED,
    SPOKE_AT,
    IMPLEMENTS,
    ISSUED_BY,
    MEMBER_OF,
    HEAD_OF,
    LOCATED_IN,
    HELD_IN,
)


def _is_kg(node: Node | None) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(KG._NS))


@cache
def super_properties(predicate: str) -> frozenset[str]:
    """Return the predicate and every ``kg:`` property it implies through rdfs:subPropertyOf.

    Examples:
        >>> sorted(super_properties("chaired"))
        ['attended', 'chaired']
        >>> sorted(super_properties("headOf"))
        ['headOf', 'memberOf']
    """
    graph = ontology()
    found = {predicate}
    for sup in graph.transitive_objects(KG[predicate], RDFS.subPropertyOf):
        if sup is not None and _is_kg(sup):
            found.add(local_name(sup))
    return frozenset(found)


@cache
def sub_properties(predicate: str) -> frozenset[str]:
    """Return the predicate and every ``kg:`` property that implies it.

    Examples:
        >>> sorted(sub_properties("attended"))
        ['attended', 'chaired', 'spokeAt']
        >>> sorted(sub_properties("memberOf"))
        ['headOf', 'memberOf']
    """
    graph = ontology()
    found = {predicate}
    for sub in graph.transitive_subjects(RDFS.subPropertyOf, KG[predicate]):
        if sub is not None and _is_kg(sub):
            found.add(local_name(sub))
    return frozenset(found)


def _classes(graph: Graph, node: Node | None) -> frozenset[str]:
    if node is None:
        return frozenset()
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return frozenset(local_name(m) for m in Collection(graph, union) if _is_kg(m))
    return frozenset([local_name(node)] if _is_kg(node) else [])


@cache
def domain(predicate: str) -> frozenset[str]:
    """Return the ``kg:`` classes allowed as subject of a property (owl:unionOf unfolded).

    Examples:
        >>> sorted(domain("implements"))
        ['Organization', 'Place']
    """
    graph = ontology()
    return _classes(graph, graph.value(KG[predicate], RDFS.domain))


@cache
def range_(predicate: str) -> frozenset[str]:
    """Return the ``kg:`` classes allowed as object of a property.

    Examples:
        >>> sorted(range_("issuedBy"))
        ['Organization']
    """
    graph = ontology()
    return _classes(graph, graph.value(KG[predicate], RDFS.range))


@lru_cache(maxsize=1)
def relation_predicates() -> tuple[str, ...]:
    """Return the local names of the object properties between the five entity classes.

    Examples:
        >>> len(relation_predicates())
        9
    """
    graph = ontology()
    entity_classes = {"Person", "Organization", "Document", "Place", "Event"}
    names = []
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if not _is_kg(prop):
            continue
        name = local_name(prop)
        dom, rng = domain(name), range_(name)
        if dom and rng and dom <= entity_classes and rng <= entity_classes:
            names.append(name)
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def model_attrs() -> dict[str, str]:
    """Return the mapping ``Entity.attrs`` key -> ``kg:`` property name, from ``kg:modelAttr``.

    Examples:
        >>> model_attrs()["issuer_code"]
        'issuerCode'
    """
    graph = ontology()
    out: dict[str, str] = {}
    for prop, key in graph.subject_objects(KG.modelAttr):
        if isinstance(key, Literal) and isinstance(prop, URIRef):
            out[str(key)] = local_name(prop)
    return out
