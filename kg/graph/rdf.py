"""RDF view of the model: ArticleGraph <-> quads, one named graph per article.

Input: :class:`kg.model.ArticleGraph` (and the ontology ``kg/data/ontology/kg.ttl``
through :mod:`kg.vocab`, congress words from ``lexicons/identity.yaml``); output: rdflib
quads with PROV-O evidence per relation, an org:Membership per memberOf/headOf (dated
kg:asOf, and kg:startDate when the sentence says the post begins) and a
kg:congressEvent from a congress to its sitting. :func:`from_rdf` reads the model back.

Provenance is compact: an occurrence's mentions are one JSON literal and its spans one
``"start-end start-end"`` literal; each evidence sentence is one node per article that
every statement read from it refers to; order is kept by the IRIs (``#entity/e<i>``,
``#relation/<n>``), with a kg:index only where an entity's local id does not give it.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Literal, URIRef
from rdflib.graph import Graph
from rdflib.namespace import ORG, PROV, SDO
from rdflib.term import Node

from kg.ids import (
    DEFAULT_BASE,
    article_iri,
    entity_iri,
    entity_key,
    graph_iri,
    is_congress_key,
    role_key,
    slug_doc,
    text_hash,
)
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation
from kg.names import norm_key
from kg.resources import load_yaml
from kg.vocab import (
    ENTITY_TYPES,
    EVENT,
    HELD_IN,
    KG,
    LOCATED_IN,
    MEMBER_OF,
    ONTOLOGY_IRI,
    local_name,
    model_attrs,
    ontology,
    relation_predicates,
    super_properties,
)
from kg.vocab import PREFIXES as PREFIXES  # re-exported: kg.graph.rdf.PREFIXES stays importable

log = logging.getLogger(__name__)

#: One quad as written by :func:`to_quads`: subject, predicate, object, named graph.
Quad = tuple[URIRef, URIRef, URIRef | Literal, URIRef]
#: One quad as read by :func:`from_rdf` (any rdflib terms; no graph means the default graph).
AnyQuad = tuple[Node, Node, Node, Node | None]

_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)


def date_literal(value: str) -> Literal:
    """Return an ISO date string as an xsd:date, xsd:gYearMonth or xsd:gYear literal.

    A value of none of these shapes stays a plain string (SHACL validation reports it).

    Examples:
        >>> date_literal("2023-08-25").datatype == XSD.date
        True
        >>> str(date_literal("2023-08").datatype)
        'http://www.w3.org/2001/XMLSchema#gYearMonth'
        >>> date_literal("late August").datatype is None
        True
    """
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(value):
            return Literal(value, datatype=datatype, normalize=False)
    return Literal(value)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer, normalize=False)


def _float(text: str | None) -> float | None:
    return None if text is None else float(text)


def to_quads(graph: ArticleGraph, base: str = DEFAULT_BASE) -> Iterator[Quad]:
    """Turn one article's extraction into quads in the article's own named graph.

    Entities become ``<base>id/<key>`` nodes shared across articles (rdfs:label = the
    canonical name, skos:altLabel = the other mentions); each stated relation is one
    plain triple plus a kg:Statement carrying its evidence (PROV-O); memberOf/headOf
    also yield a kg:Membership (org:Membership) dated with the article's date.

    Args:
        graph: the extraction of one article.
        base: base IRI of entities, graphs and articles.

    Yields:
        ``(subject, predicate, object, graph)`` with rdflib terms.

    Raises:
        ValueError: an entity type or predicate is not in the ontology, or a relation
            refers to an entity the article does not have (both are extraction bugs).
    """
    at = _Place.of(graph.doc_id, base)
    yield from _article_quads(at, graph.article)
    attr_props = model_attrs()
    nodes: dict[str, URIRef] = {}
    for i, ent in enumerate(graph.entities, 1):
        if ent.type not in ENTITY_TYPES:
            raise ValueError(f"{at.doc}: entity {ent.id} has unknown type {ent.type!r}")
        e = URIRef(entity_iri(ent.key or entity_key(ent.type, ent.name), base))
        nodes[ent.id] = e
        yield from _entity_quads(at, ent, e, attr_props)
        yield from _occurrence_quads(at, ent, e, i)
    predicates = relation_predicates()
    sentences: dict[Evidence, URIRef] = {}
    for n, rel in enumerate(graph.relations, 1):
        if rel.predicate not in predicates:
            raise ValueError(f"{at.doc}: relation {n} has unknown predicate {rel.predicate!r}")
        for local in (rel.subject, rel.object):
            if local not in nodes:
                raise ValueError(f"{at.doc}: relation {n} refers to unknown entity {local!r}")
        yield from _relation_quads(at, rel, n, nodes[rel.subject], nodes[rel.object])
        if rel.evidence is not None:
            yield from _evidence_quads(at, rel, n, sentences)
        if MEMBER_OF in super_properties(rel.predicate):
            subj, obj = nodes[rel.subject], nodes[rel.object]
            yield from _membership_quads(at, rel, n, subj, obj, graph.article.date)
    for body, event in congress_sittings(graph):
        yield nodes[body.id], KG.congressEvent, nodes[event.id], at.g


@cache
def _identity_words() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("lexicons/identity.yaml")
    return data


def congress_sittings(graph: ArticleGraph) -> list[tuple[Entity, Entity]]:
    """Pair each congress the article names as a body with its meeting, if it reports it.

    A meeting is a congress's sitting when its name has a congress word, and either
    names that congress ("session of the 1st Khanh Hoa Provincial Party Congress") or
    is held where the one congress of that place sits (a national congress in the
    capital): an article on a province's congress that cites the national one does
    not make its meeting the national congress.

    Args:
        graph: one article's extraction.

    Returns:
        ``(congress, event)`` pairs.
    """
    words = {w.lower() for w in _identity_words()["congress_event_words"]}
    congresses = [e for e in graph.entities if is_congress_key(e.key)]
    pairs: list[tuple[Entity, Entity]] = []
    for event in graph.entities:
        if event.type != EVENT or not congresses:
            continue
        names = [norm_key(n) for n in (event.name, *event.mentions)]
        if not any(set(n.split()) & words for n in names):
            continue
        chosen = [c for c in congresses if any(norm_key(c.name) in n for n in names)]
        if not chosen:
            where = _places_of(graph, event)
            chosen = [c for c in congresses if _congress_place(c.key) in where]
        if len(chosen) == 1:
            pairs.append((chosen[0], event))
    return pairs


def _places_of(graph: ArticleGraph, event: Entity) -> set[str]:
    """The place keys (without ``place/``) an event is held in, and what those lie in."""
    by_id = {e.id: e for e in graph.entities}
    held = {r.object for r in graph.relations if r.subject == event.id and r.predicate == HELD_IN}
    inside = {r.object for r in graph.relations if r.subject in held and r.predicate == LOCATED_IN}
    return {by_id[i].key.split("/", 1)[-1] for i in held | inside if i in by_id}


def _congress_place(key: str) -> str:
    """The place key a congress sits in, from its key (a national one: the capital)."""
    parts = key.split("/")
    if parts[2] == "national":
        return str(_identity_words()["national_congress_place"])
    return parts[3] if len(parts) > 3 else ""


@dataclass(frozen=True, slots=True)
class _Place:
    """Where one article's quads go: its named graph ``g``, its node ``a``, its fragments."""

    doc: str
    base: str
    g: URIRef
    a: URIRef

    @classmethod
    def of(cls, doc: str, base: str) -> _Place:
        return cls(doc, base, URIRef(graph_iri(doc, base)), URIRef(article_iri(doc, base)))

    def frag(self, *parts: str) -> URIRef:
        """``fragment_iri(doc, *parts)``, with the article's IRI made once."""
        return URIRef(f"{self.a}#{'/'.join(_slug_part(p) for p in parts)}")


@lru_cache(maxsize=4096)
def _slug_part(part: str) -> str:
    """One IRI-safe fragment part, as :func:`kg.ids.fragment_iri` makes it."""
    return slug_doc(part)


def _article_quads(at: _Place, art: Article) -> Iterator[Quad]:
    """The article node: its id, source, date, headline and URL."""
    a, g = at.a, at.g
    yield a, RDF.type, KG.Article, g
    yield a, KG.docId, Literal(at.doc), g
    if art.source:
        yield a, KG.source, Literal(art.source), g
    if art.text:  # tells a changed text from the same one when an id is built again
        yield a, SDO.sha256, Literal(text_hash(art.text)), g
    if art.date:
        yield a, SDO.datePublished, date_literal(art.date), g
    if art.title:
        yield a, SDO.headline, Literal(art.title), g
    if art.url:
        yield a, SDO.url, Literal(art.url, datatype=XSD.anyURI), g


def _entity_quads(
    at: _Place, ent: Entity, e: URIRef, attr_props: Mapping[str, str]
) -> Iterator[Quad]:
    """The shared entity node: type, labels, date and attributes."""
    g = at.g
    yield e, RDF.type, KG[ent.type], g
    yield e, RDFS.label, Literal(ent.name), g
    for mention in dict.fromkeys(ent.mentions):
        if mention != ent.name:
            yield e, SKOS.altLabel, Literal(mention), g
    if ent.date:
        yield e, KG.date, date_literal(ent.date), g
    for name, value in ent.attrs:
        if name in attr_props:
            yield e, KG[attr_props[name]], Literal(value), g
        else:
            yield e, KG.attribute, Literal(f"{name}={value}"), g


def spans_literal(spans: Iterable[tuple[int, int]]) -> Literal:
    """Return character spans as one literal, ``"start-end start-end ..."``.

    Examples:
        >>> str(spans_literal([(12, 20), (45, 53)]))
        '12-20 45-53'
    """
    return Literal(" ".join(f"{start}-{end}" for start, end in spans))


_SPAN = re.compile(r"(-?\d+)-(-?\d+)")


def parse_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Read back :func:`spans_literal`.

    Examples:
        >>> parse_spans("12-20 45-53")
        ((12, 20), (45, 53))

    Raises:
        ValueError: a part is not ``start-end``.
    """
    spans = []
    for part in text.split():
        match = _SPAN.fullmatch(part)
        if match is None:
            raise ValueError(f"span {part!r} is not start-end")
        spans.append((int(match[1]), int(match[2])))
    return tuple(spans)


def mentions_literal(mentions: Iterable[str]) -> Literal:
    """Return surface forms, in order, as one JSON-array literal.

    Examples:
        >>> str(mentions_literal(["Ms. Vu Thi Hoa", "Hoa"]))
        '["Ms. Vu Thi Hoa","Hoa"]'
    """
    return Literal(json.dumps(list(mentions), ensure_ascii=False, separators=(",", ":")))


def parse_mentions(text: str) -> tuple[str, ...]:
    """Read back :func:`mentions_literal`.

    Raises:
        ValueError: the literal is not a JSON array of strings.
    """
    try:
        mentions = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"mentions {text[:40]!r} are not JSON ({err})") from err
    if not isinstance(mentions, list) or not all(isinstance(m, str) for m in mentions):
        raise ValueError(f"mentions {text[:40]!r} are not a JSON array of strings")
    return tuple(mentions)


def _occurrence_quads(at: _Place, ent: Entity, e: URIRef, i: int) -> Iterator[Quad]:
    """The entity's occurrence in this article: local id, mentions and spans.

    Its position among the article's entities is its local id ``e<i>``; only an entity
    whose id says otherwise gets a kg:index.
    """
    g = at.g
    occ = at.frag("entity", ent.id)
    yield occ, RDF.type, KG.Occurrence, g
    yield occ, KG.localId, Literal(ent.id), g
    if ent.id != f"e{i}":
        yield occ, KG.index, _int(i), g
    yield occ, KG.denotes, e, g
    yield occ, PROV.wasDerivedFrom, at.a, g
    if ent.mentions:
        yield occ, KG.mentions, mentions_literal(ent.mentions), g
    if ent.spans:
        yield occ, KG.spans, spans_literal(ent.spans), g


def _relation_quads(at: _Place, rel: Relation, n: int, subj: URIRef, obj: URIRef) -> Iterator[Quad]:
    """The plain triple of relation ``n`` and its kg:Statement (``#relation/<n>``)."""
    g, a, pred = at.g, at.a, KG[rel.predicate]
    yield subj, pred, obj, g
    st = at.frag("relation", str(n))
    yield st, RDF.type, KG.Statement, g
    yield st, RDF.subject, subj, g
    yield st, RDF.predicate, pred, g
    yield st, RDF.object, obj, g
    yield st, KG.subjectOccurrence, at.frag("entity", rel.subject), g
    yield st, KG.objectOccurrence, at.frag("entity", rel.object), g
    yield st, PROV.wasDerivedFrom, a, g
    if rel.title:
        yield st, KG.title, Literal(rel.title), g
    if rel.confidence is not None:
        yield st, KG.confidence, Literal(f"{rel.confidence:.3f}", datatype=XSD.decimal), g
    if rel.evidence is not None and rel.evidence.rule:
        yield st, KG.rule, Literal(rel.evidence.rule), g


def _evidence_quads(
    at: _Place, rel: Relation, n: int, sentences: dict[Evidence, URIRef]
) -> Iterator[Quad]:
    """Link statement ``n`` to its sentence node, written once per article.

    The node is ``#sentence/<start>``: the statements read from one sentence share it
    (another sentence at the same offset, which extraction never gives, gets ``/<k>``).
    """
    ev = rel.evidence
    assert ev is not None
    g, st = at.g, at.frag("relation", str(n))
    key = Evidence(ev.sentence, ev.start, ev.end, "")
    node = sentences.get(key)
    if node is None:
        same = sum(1 for k in sentences if k.start == ev.start)
        node = at.frag("sentence", *([str(ev.start)] + ([str(same + 1)] if same else [])))
        sentences[key] = node
        yield node, RDF.type, KG.Evidence, g
        yield node, PROV.wasQuotedFrom, at.a, g
        yield node, KG.sentence, Literal(ev.sentence), g
        yield node, KG.start, _int(ev.start), g
        yield node, KG.end, _int(ev.end), g
    yield st, KG.evidence, node, g


def _membership_quads(
    at: _Place, rel: Relation, n: int, subj: URIRef, obj: URIRef, date: str | None
) -> Iterator[Quad]:
    """The org:Membership of a memberOf/headOf relation, dated with the article.

    A relation that ``starts`` the post ("was elected Secretary") also gives the article's
    date as the membership's kg:startDate; without an article date there is none.
    """
    g = at.g
    mem = at.frag("relation", str(n), "membership")
    yield mem, RDF.type, KG.Membership, g
    yield mem, ORG.member, subj, g
    yield mem, ORG.organization, obj, g
    yield mem, PROV.wasDerivedFrom, at.frag("relation", str(n)), g
    if date:
        yield mem, KG.asOf, date_literal(date), g
        if rel.starts:
            yield mem, KG.startDate, date_literal(date), g
    if rel.title:
        role = URIRef(entity_iri(role_key(rel.title), at.base))
        yield mem, KG.title, Literal(rel.title), g
        yield mem, ORG.role, role, g
        yield role, RDF.type, ORG.Role, g
        yield role, RDFS.label, Literal(rel.title), g


def ontology_quads() -> Iterator[AnyQuad]:
    """Yield the ontology's triples in the named graph ``<https://kg.example.org/ontology>``.

    The store keeps them so that SPARQL can follow rdfs:subPropertyOf
    (``?p rdfs:subPropertyOf* kg:attended``) without anything duplicated in code.
    """
    g = URIRef(ONTOLOGY_IRI)
    for s, p, o in ontology():
        yield s, p, o, g


def to_dataset(graphs: Iterable[ArticleGraph], base: str = DEFAULT_BASE) -> Dataset:
    """Return an rdflib Dataset holding the quads of every article.

    Args:
        graphs: extractions of articles.
        base: base IRI.

    Returns:
        A Dataset with one named graph per article and the usual prefixes bound.
    """
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for graph in graphs:
        ds.addN((s, p, o, ds.graph(g)) for s, p, o, g in to_quads(graph, base))
    return ds


# ------------------------------------------------------------------------- read-back


@dataclass
class _Index:
    """The triples of one named graph, indexed by subject then predicate."""

    by_subject: dict[Node, dict[Node, list[Node]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.by_subject[s][p].append(o)

    def values(self, s: Node, p: Node) -> list[Node]:
        props = self.by_subject.get(s)
        return list(props.get(p, ())) if props else []

    def value(self, s: Node, p: Node) -> Node | None:
        values = self.values(s, p)
        # several values only where two articles' facts merged; pick deterministically
        return min(values, key=str) if values else None

    def text(self, s: Node, p: Node) -> str | None:
        value = self.value(s, p)
        return None if value is None else str(value)

    def subjects_of_type(self, cls: Node) -> list[Node]:
        return [s for s, props in self.by_subject.items() if cls in props.get(RDF.type, ())]


_LOCAL = re.compile(r"e(\d+)")
_RELATION = re.compile(r"#relation/(\d+)$")


def _occurrence_order(index: _Index, occ: Node) -> tuple[int, str]:
    """An occurrence's position: its kg:index, else the ``<i>`` of its local id ``e<i>``."""
    local = index.text(occ, KG.localId) or ""
    position = index.text(occ, KG.index)
    if position is None:
        match = _LOCAL.fullmatch(local)
        position = match[1] if match else "0"
    return int(position), local


def _statement_order(st: Node) -> int:
    """A statement's position: the ``<n>`` of its IRI ``#relation/<n>``."""
    match = _RELATION.search(str(st))
    return int(match[1]) if match else 0


def _key_of(node: Node, base: str) -> str:
    prefix = entity_iri("", base)
    text = str(node)
    return text[len(prefix) :] if text.startswith(prefix) else text


def _read_article(index: _Index, a: Node, base: str) -> ArticleGraph:
    article = Article(
        doc_id=index.text(a, KG.docId) or "",
        text="",
        source=index.text(a, KG.source) or "",
        date=index.text(a, SDO.datePublished),
        title=index.text(a, SDO.headline),
        url=index.text(a, SDO.url),
    )
    types: dict[Node, str] = {KG[t]: t for t in ENTITY_TYPES}
    props_attr = {KG[prop]: name for name, prop in model_attrs().items()}

    entities: list[Entity] = []
    local_of: dict[Node, str] = {}
    occurrences = index.subjects_of_type(KG.Occurrence)
    for occ in sorted(occurrences, key=lambda o: _occurrence_order(index, o)):
        e = index.value(occ, KG.denotes)
        local = index.text(occ, KG.localId) or ""
        if e is None:
            raise ValueError(f"{article.doc_id}: occurrence {occ} denotes no entity")
        local_of[occ] = local
        etype = next((types[t] for t in index.values(e, RDF.type) if t in types), "")
        attrs = [(props_attr[p], str(v)) for p in props_attr for v in index.values(e, p)]
        for value in index.values(e, KG.attribute):
            name, _, rest = str(value).partition("=")
            attrs.append((name, rest))
        mentions, spans = index.text(occ, KG.mentions), index.text(occ, KG.spans)
        try:
            forms = parse_mentions(mentions) if mentions else ()
            offsets = parse_spans(spans) if spans else ()
        except ValueError as err:
            raise ValueError(f"{article.doc_id}: occurrence {occ}: {err}") from err
        entities.append(
            Entity(
                id=local,
                type=etype,
                name=index.text(e, RDFS.label) or "",
                key=_key_of(e, base),
                mentions=forms,
                spans=offsets,
                date=index.text(e, KG.date),
                attrs=tuple(sorted(attrs)),
            )
        )
    relations = _read_relations(index, local_of, article.doc_id)
    return ArticleGraph(article, tuple(entities), tuple(relations))


def _read_relations(index: _Index, local_of: dict[Node, str], doc: str) -> list[Relation]:
    """The relations of one article graph, in the order :func:`to_quads` wrote them."""
    # a statement whose membership has a start date said that the post begins
    starting = {
        index.value(mem, PROV.wasDerivedFrom)
        for mem in index.subjects_of_type(KG.Membership)
        if index.value(mem, KG.startDate) is not None
    }
    relations: list[Relation] = []
    for st in sorted(index.subjects_of_type(KG.Statement), key=_statement_order):
        pred = index.value(st, RDF.predicate)
        s_occ = index.value(st, KG.subjectOccurrence)
        o_occ = index.value(st, KG.objectOccurrence)
        if pred is None or s_occ not in local_of or o_occ not in local_of:
            raise ValueError(f"{doc}: statement {st} is incomplete")
        evidence = None
        evn = index.value(st, KG.evidence)
        if evn is not None:
            evidence = Evidence(
                sentence=index.text(evn, KG.sentence) or "",
                start=int(index.text(evn, KG.start) or -1),
                end=int(index.text(evn, KG.end) or -1),
                rule=index.text(st, KG.rule) or "",
            )
        relations.append(
            Relation(
                subject=local_of[s_occ],
                predicate=local_name(pred),
                object=local_of[o_occ],
                evidence=evidence,
                title=index.text(st, KG.title),
                confidence=_float(index.text(st, KG.confidence)),
                starts=st in starting,
            )
        )
    return relations


def from_rdf(data: Dataset | Iterable[AnyQuad], base: str = DEFAULT_BASE) -> list[ArticleGraph]:
    """Read the model back from quads written by :func:`to_quads`.

    Named graphs without a kg:Article (the ontology graph) are skipped. The article
    text is not part of the graph, so it comes back empty, as in
    :meth:`kg.model.ArticleGraph.from_dict`; entity attrs come back sorted by name.

    Args:
        data: an rdflib Dataset, or any iterable of ``(s, p, o, g)`` quads.
        base: the base IRI the quads were written with (entity keys are read off it).

    Returns:
        One ArticleGraph per article graph, sorted by document id.

    Raises:
        ValueError: a statement or occurrence lacks a part :func:`to_quads` always writes.
    """
    graphs: dict[Node, _Index] = defaultdict(_Index)
    for s, p, o, g in data:
        if isinstance(g, Graph):
            g = g.identifier
        if g is None:
            continue
        graphs[g].add(s, p, o)
    out = []
    for index in graphs.values():
        for a in index.subjects_of_type(KG.Article):
            out.append(_read_article(index, a, base))
    return sorted(out, key=lambda ag: ag.doc_id)
