"""NetworkX view of the cross-article graph, and its projections for network analysis.

Input: ArticleGraphs, usually ``from_rdf(store)`` (one path, so SPARQL and NetworkX agree);
the property hierarchy comes from ``kg/data/ontology/kg.ttl`` through :mod:`kg.vocab`.
Output: nx graphs whose attributes are only str/int/float/bool, ready for GraphML/GEXF.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.extract.confidence import combined
from kg.ids import DEFAULT_BASE, entity_iri
from kg.model import ArticleGraph
from kg.vocab import domain, range_, relation_predicates, sub_properties

#: Node and edge attribute names that GEXF/GraphML writers or Gephi treat specially.
_RESERVED = frozenset({"id", "label", "type", "weight", "start", "end", "pid", "viz", "spells"})


def interval(date: str | None) -> tuple[str, str] | None:
    """Return the first and last day an ISO date (day, month or year) covers.

    Examples:
        >>> interval("2023-08-25")
        ('2023-08-25', '2023-08-25')
        >>> interval("2024-02")
        ('2024-02-01', '2024-02-29')
        >>> interval("2023")
        ('2023-01-01', '2023-12-31')
        >>> interval("August") is None
        True
    """
    if not date:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return date, date
    if m := re.fullmatch(r"(\d{4})-(\d{2})", date):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        return f"{date}-01", f"{date}-{last:02d}"
    if re.fullmatch(r"\d{4}", date):
        return f"{date}-01-01", f"{date}-12-31"
    return None


@dataclass
class _Node:
    type: str
    names: Counter[str] = field(default_factory=Counter)
    first_names: list[str] = field(default_factory=list)
    mentions: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)
    dates: Counter[str] = field(default_factory=Counter)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class _Edge:
    docs: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    #: the article dates of the statements that say the post begins ("was elected")
    starts: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    statements: int = 0
    #: the highest confidence of the fact in each article that states it
    confidence: dict[str, float] = field(default_factory=dict)


def _pick(counter: Counter[str], order: list[str]) -> str:
    """Most frequent value; ties go to the one seen first."""
    best = max(counter.values())
    return next(v for v in order if counter[v] == best)


def to_networkx(graphs: Iterable[ArticleGraph], base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    """Merge article extractions into one directed multigraph, one node per entity key.

    Nodes: ``type``, ``label`` (the most frequent canonical name), ``aliases`` (other
    names and mentions, ``|``-joined), ``articles`` (how many mention it), ``docs``,
    ``iri``, and ``date`` plus ``start``/``end`` (the days it covers) for dated events,
    plus document facts (``doc_type``, ``code``, ...). Edges: one per subject, predicate
    and object, keyed by the predicate, with ``predicate``, ``label``, ``weight`` (how
    many articles state it), ``docs``, ``dates`` (article dates), ``first_seen``,
    ``last_seen``, ``titles`` for memberships, and ``start``/``end`` when one end is a
    dated event. Dated memberships (memberOf, headOf) carry their interval as
    ``start``/``end`` too (:func:`tenure`), with ``start_stated`` and ``end_known``.

    Args:
        graphs: extractions of articles (e.g. :func:`kg.graph.rdf.from_rdf` of the store).
        base: base IRI used for the ``iri`` attribute.

    Returns:
        The merged graph; every attribute is a str, int, float or bool.

    Examples:
        >>> from kg.model import Article, ArticleGraph, Entity, Relation
        >>> a = ArticleGraph(Article("a.txt", "", date="2024-01-02"),
        ...     (Entity("e1", "Person", "Ana", "person/ana"),
        ...      Entity("e2", "Event", "meeting", "event/x", date="2024-01-01")),
        ...     (Relation("e1", "chaired", "e2"),))
        >>> g = to_networkx([a])
        >>> g.nodes["person/ana"]["label"], g.edges["person/ana", "event/x", "chaired"]["weight"]
        ('Ana', 1)
    """
    nodes, edges = _tally(graphs)
    g = nx.MultiDiGraph()
    for key, node in sorted(nodes.items()):
        g.add_node(key, **_node_data(key, node, base))
    member, head = sub_properties("memberOf"), sub_properties("headOf")
    heads: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (s, o, pred), edge in edges.items():
        if pred in head:
            heads[o][s].update(edge.dates)
    for (s, o, pred), edge in sorted(edges.items()):
        data = _edge_data(g, s, o, pred, edge)
        if pred in member and edge.dates:
            others = {d for p, ds in heads[o].items() if p != s for d in ds}
            mine = heads[o][s] if pred in head else None
            data.update(tenure(edge.dates, edge.starts, mine, others))
        g.add_edge(s, o, key=pred, **data)
    return g


def tenure(
    dates: set[str], starts: set[str], head_dates: set[str] | None, others: set[str]
) -> dict[str, str | bool]:
    """Return the interval of a post for GEXF: ``start``, ``end``, ``start_stated``, ``end_known``.

    The post starts on the first date an article states it (``start_stated``: that
    article says it began then). A headship (``head_dates``: every date the person is
    stated head of the body) ends on the first date after the last of them at which
    someone else is stated head (``others``; ``end_known``); any other post ends on the
    last date stated. ``start`` and ``end`` are days (a month or a year is widened).

    Args:
        dates: the article dates that state this post.
        starts: those of them whose statement says the post began.
        head_dates: for a headship, all the dates the person is stated head; else None.
        others: the dates at which other persons are stated head of the body.

    Examples:
        >>> tenure({"2020-05-01", "2021"}, {"2020-05-01"}, None, set())
        {'start': '2020-05-01', 'end': '2021-12-31', 'start_stated': True, 'end_known': False}
        >>> tenure({"2020-05-01"}, set(), {"2020-05-01"}, {"2019", "2022-03-04"})
        {'start': '2020-05-01', 'end': '2022-03-04', 'start_stated': False, 'end_known': True}
    """
    first, last = min(dates), max(head_dates or dates)
    after = min((d for d in others if d > last), default=None) if head_dates else None
    start, stop, last_span = interval(first), interval(after), interval(last)
    out: dict[str, str | bool] = {}
    if start:
        out["start"] = start[0]
    if stop:
        out["end"] = stop[0]
    elif last_span:
        out["end"] = last_span[1]
    out["start_stated"] = min(starts, default="") == first
    out["end_known"] = stop is not None
    return out


def _tally(
    graphs: Iterable[ArticleGraph],
) -> tuple[dict[str, _Node], dict[tuple[str, str, str], _Edge]]:
    """Count names, mentions, dates and articles per entity key and per stated edge."""
    nodes: dict[str, _Node] = {}
    edges: dict[tuple[str, str, str], _Edge] = defaultdict(_Edge)
    for ag in sorted(graphs, key=lambda g: g.doc_id):
        doc, date = ag.doc_id, ag.article.date
        for ent in ag.entities:
            node = nodes.setdefault(ent.key, _Node(ent.type))
            if ent.name not in node.names:
                node.first_names.append(ent.name)
            node.names[ent.name] += 1
            node.mentions.update(ent.mentions)
            node.docs.add(doc)
            if ent.date:
                node.dates[ent.date] += 1
            for k, v in ent.attrs:
                node.attrs.setdefault(k, v)
        for rel in ag.relations:
            s, o = ag.entity(rel.subject).key, ag.entity(rel.object).key
            edge = edges[(s, o, rel.predicate)]
            edge.docs.add(doc)
            edge.statements += 1
            if date:
                edge.dates.add(date)
                if rel.starts:
                    edge.starts.add(date)
            if rel.title:
                edge.titles.add(rel.title)
            if rel.confidence is not None:
                edge.confidence[doc] = max(rel.confidence, edge.confidence.get(doc, 0.0))
    return nodes, edges


def _node_data(key: str, node: _Node, base: str) -> dict[str, str | int | float | bool]:
    """The attributes of one merged node (see :func:`to_networkx`)."""
    label = _pick(node.names, node.first_names)
    data: dict[str, str | int | float | bool] = {
        "type": node.type,
        "label": label,
        "aliases": "|".join(sorted((set(node.names) | node.mentions) - {label})),
        "articles": len(node.docs),
        "docs": "|".join(sorted(node.docs)),
        "iri": entity_iri(key, base),
    }
    if node.dates:
        date = _pick(node.dates, sorted(node.dates))
        data["date"] = date
        span = interval(date)
        if span and node.type == "Event":
            data["start"], data["end"] = span
    for k, v in sorted(node.attrs.items()):
        data[f"attr_{k}" if k in _RESERVED or k in data else k] = v
    return data


def _edge_data(
    g: nx.MultiDiGraph, s: str, o: str, pred: str, edge: _Edge
) -> dict[str, str | int | float | bool]:
    """The attributes of one merged edge; ``g`` already holds its end nodes."""
    data: dict[str, str | int | float | bool] = {
        "predicate": pred,
        "label": pred,
        "weight": len(edge.docs),
        "docs": "|".join(sorted(edge.docs)),
        "dates": "|".join(sorted(edge.dates)),
        "first_seen": min(edge.dates, default=""),
        "last_seen": max(edge.dates, default=""),
        "titles": "|".join(sorted(edge.titles)),
    }
    if edge.confidence:
        # articles are independent witnesses: the fact is wrong only if every one is
        data["confidence"] = round(combined(list(edge.confidence.values())), 3)
    for end_ in (s, o):
        if g.nodes[end_]["type"] == "Event" and "start" in g.nodes[end_]:
            data["start"], data["end"] = g.nodes[end_]["start"], g.nodes[end_]["end"]
    return data


def _copy_nodes(src: nx.MultiDiGraph, dst: nx.Graph, keys: Iterable[str]) -> None:
    for key in keys:
        data = {k: v for k, v in src.nodes[key].items() if k not in ("start", "end")}
        dst.add_node(key, **data)


def confident(graph: nx.MultiDiGraph, minimum: float) -> nx.MultiDiGraph:
    """The graph without the edges whose combined confidence is below ``minimum``.

    Edges that carry no confidence (extractions made before confidences existed) stay.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> g.add_edge("a", "b", key="memberOf", confidence=0.95)
        'memberOf'
        >>> g.add_edge("a", "c", key="headOf", confidence=0.4)
        'headOf'
        >>> sorted(confident(g, 0.9).edges(keys=True))
        [('a', 'b', 'memberOf')]
    """
    out = graph.copy()
    out.remove_edges_from(
        [
            (s, o, k)
            for s, o, k, c in graph.edges(keys=True, data="confidence")
            if c is not None and c < minimum
        ]
    )
    return out


def coattendance(graph: nx.MultiDiGraph) -> nx.Graph:
    """Project to person–person co-attendance, with Newman's collaboration weights.

    Attendance is ``attended`` and every property the ontology makes a sub-property of
    it (``chaired``, ``spokeAt``). Two persons are joined when they attended one event.
    A meeting of ``n`` persons joins each of its ``n(n-1)/2`` pairs, so counting shared
    meetings alone makes one large meeting outweigh everything else; Newman's weight
    (Phys. Rev. E 64, 016132, 2001) gives each pair ``1/(n-1)`` per meeting instead, so
    each participant's edges from one meeting sum to 1, whatever its size.

    Edges carry ``meetings`` (how many events the pair shared, int), ``weight`` (the
    sum over those events of ``1/(n-1)``, float), ``events`` (keys, ``|``-joined),
    ``label`` (event labels) and ``start``/``end`` spanning the dated shared events,
    for Gephi's timeline. A person's weighted degree is then the number of events
    they attended with at least one other person.

    Args:
        graph: the graph from :func:`to_networkx`.

    Returns:
        An undirected graph of the persons who attended at least one event.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> g.add_nodes_from(["a", "b", "c", "d", "e"], type="Person")
        >>> g.add_nodes_from(["e/pair", "e/five"], type="Event")
        >>> keys = g.add_edges_from([(p, "e/pair", "attended") for p in "ab"])
        >>> keys = g.add_edges_from([(p, "e/five", "spokeAt") for p in "abcde"])
        >>> co = coattendance(g)
        >>> co.edges["a", "b"]["meetings"], co.edges["a", "b"]["weight"]
        (2, 1.25)
        >>> co.edges["a", "c"]["meetings"], co.edges["a", "c"]["weight"]
        (1, 0.25)
        >>> co.degree("a", weight="weight"), co.degree("c", weight="weight")
        (2.0, 1.0)
    """
    attend = sub_properties("attended")
    attendees: dict[str, set[str]] = defaultdict(set)
    for s, o, pred in graph.edges(keys=True):
        if pred in attend:
            attendees[o].add(s)
    out = nx.Graph(view="coattendance")
    _copy_nodes(graph, out, sorted({p for people in attendees.values() for p in people}))
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for event, people in sorted(attendees.items()):
        for a, b in combinations(sorted(people), 2):
            shared[(a, b)].append(event)
    for (a, b), events in sorted(shared.items()):
        data: dict[str, str | int | float] = {
            "meetings": len(events),
            "weight": math.fsum(1 / (len(attendees[e]) - 1) for e in events),
            "events": "|".join(events),
            "label": "|".join(str(graph.nodes[e].get("label", e)) for e in events),
        }
        days = [graph.nodes[e]["start"] for e in events if "start" in graph.nodes[e]]
        ends = [graph.nodes[e]["end"] for e in events if "end" in graph.nodes[e]]
        if days:
            data["start"], data["end"] = min(days), max(ends)
        out.add_edge(a, b, **data)
    return out


def person_body(graph: nx.MultiDiGraph) -> nx.Graph:
    """Project to person–body posts: memberOf and its sub-properties (headOf).

    Edges carry ``weight`` (articles stating the post), ``head`` (any headOf),
    ``titles``, ``first_seen`` and ``last_seen`` (article dates), and for dated posts
    the interval ``start``/``end`` with ``start_stated`` and ``end_known`` (the earliest
    start and the latest end of the person's posts in the body, see :func:`tenure`), so
    Gephi's timeline shows when each person held a post there.

    Args:
        graph: the graph from :func:`to_networkx`.

    Returns:
        An undirected bipartite graph of persons and bodies.
    """
    member = sub_properties("memberOf")
    head = sub_properties("headOf")
    posts: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for s, o, pred, data in graph.edges(keys=True, data=True):
        if pred in member:
            posts[(s, o)].append({"pred": pred, **data})
    out = nx.Graph(view="person-body")
    _copy_nodes(graph, out, sorted({n for pair in posts for n in pair}))
    for (person, body), found in sorted(posts.items()):
        docs = {d for f in found for d in str(f["docs"]).split("|") if d}
        dates = {d for f in found for d in str(f["dates"]).split("|") if d}
        titles = {t for f in found for t in str(f["titles"]).split("|") if t}
        out.add_edge(
            person,
            body,
            weight=len(docs),
            head=any(f["pred"] in head for f in found),
            titles="|".join(sorted(titles)),
            label="|".join(sorted(titles)) or "member",
            first_seen=min(dates, default=""),
            last_seen=max(dates, default=""),
            **_merged_tenure(found),
        )
    return out


def _merged_tenure(found: list[dict[str, object]]) -> dict[str, str | bool]:
    """One interval for several posts in one body: the first start, the last end."""
    starts = [f for f in found if "start" in f]
    ends = [f for f in found if "end" in f]
    out: dict[str, str | bool] = {}
    if starts:
        first = min(str(f["start"]) for f in starts)
        out["start"] = first
        out["start_stated"] = any(f["start"] == first and f["start_stated"] for f in starts)
    if ends:
        last = max(str(f["end"]) for f in ends)
        out["end"] = last
        # an end is known only if no post in the body is seen until then without one
        out["end_known"] = all(f["end_known"] for f in ends if f["end"] == last)
    return out


def body_document(graph: nx.MultiDiGraph) -> nx.Graph:
    """Project to body–document links: every predicate with Document as domain or range.

    With the SPEC ontology that is ``implements`` (body or place -> document) and
    ``issuedBy`` (document -> body). Edges carry ``weight`` (articles) and
    ``predicates`` (``|``-joined).

    Args:
        graph: the graph from :func:`to_networkx`.

    Returns:
        An undirected graph of documents and the bodies and places linked to them.
    """
    preds = {p for p in relation_predicates() if "Document" in domain(p) | range_(p)}
    links: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for s, o, pred, data in graph.edges(keys=True, data=True):
        if pred not in preds:
            continue
        doc, other = (s, o) if graph.nodes[s]["type"] == "Document" else (o, s)
        found_preds, docs = links[(other, doc)]
        found_preds.add(pred)
        docs.update(d for d in str(data["docs"]).split("|") if d)
    out = nx.Graph(view="body-document")
    _copy_nodes(graph, out, sorted({n for pair in links for n in pair}))
    for (other, doc), (found_preds, docs) in sorted(links.items()):
        joined = "|".join(sorted(found_preds))
        out.add_edge(other, doc, weight=len(docs), predicates=joined, label=joined)
    return out


#: The views ``kg export --view`` offers: name -> function of the full graph.
VIEWS: dict[str, Callable[[nx.MultiDiGraph], nx.Graph]] = {
    "full": lambda g: g,
    "coattendance": coattendance,
    "person-body": person_body,
    "body-document": body_document,
}


def view(graphs: Iterable[ArticleGraph], name: str = "full", base: str = DEFAULT_BASE) -> nx.Graph:
    """Return one of :data:`VIEWS` of the merged graph.

    Args:
        graphs: extractions of articles.
        name: ``full``, ``coattendance``, ``person-body`` or ``body-document``.
        base: base IRI for the ``iri`` node attribute.

    Raises:
        ValueError: unknown view name.
    """
    if name not in VIEWS:
        raise ValueError(f"unknown view {name!r}; expected one of {', '.join(VIEWS)}")
    return VIEWS[name](to_networkx(graphs, base))
