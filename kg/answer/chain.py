"""Answer stage, shortest chains: a bounded breadth-first search over the fact graph.

Input: a store and two officials (IRIs); output: the shortest chains of shared meetings
or bodies between them, as a :class:`kg.graph.store.QueryResult` shaped like the rows of
``queries/shortest_chain.rq``. Reads the ontology (the link predicates) and no other data.

A link joins two officials through a meeting both attended (or chaired, or spoke at) or a
body both belong to (or head). The search runs from both officials at once over the
deduplicated fact graph ``<https://kg.example.org/facts>``, one small SPARQL lookup per
frontier, always widening the smaller side, so its work grows with the neighbourhoods it
meets rather than with the corpus; it stops at :data:`MAX_LINKS` links or
:data:`MAX_NODES` visited nodes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.graph.store import KgStore, QueryResult, term_text
from kg.vocab import ATTENDED, FACTS_IRI, KG, MEMBER_OF, sub_properties

log = logging.getLogger(__name__)

#: Links in a chain at most: a longer chain is not searched for.
MAX_LINKS = 4
#: Meetings, bodies and officials the search may visit before it gives up.
MAX_NODES = 50_000
#: Chains listed at most when every row is asked for (their number grows as a product).
MAX_CHAINS = 10_000

_RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
#: IRIs per lookup: a frontier larger than this is read in several queries.
_CHUNK = 2_000


def link_predicates() -> tuple[URIRef, ...]:
    """The predicates that link an official to a meeting or a body, from the ontology.

    Examples:
        >>> [p.split("#")[1] for p in link_predicates()]
        ['attended', 'chaired', 'headOf', 'memberOf', 'spokeAt']
    """
    names = sub_properties(ATTENDED) | sub_properties(MEMBER_OF)
    return tuple(URIRef(KG[name]) for name in sorted(names))


def chain_vars(links: int) -> tuple[str, ...]:
    """The columns of chains of ``links`` links: those of the 1-2 link SPARQL, then more.

    A chain of k links reads ``?via1 ?mid ?via2 ?mid2 ?via3 ... ?viak``, each with its
    label; chains of one or two links keep the seven columns of the SPARQL version.

    Examples:
        >>> chain_vars(1)
        ('length', 'via1', 'via1Label', 'mid', 'midLabel', 'via2', 'via2Label')
        >>> chain_vars(3)[7:]
        ('mid2', 'mid2Label', 'via3', 'via3Label')
    """
    out = ["length"]
    for k in range(1, max(links, 2) + 1):
        if k > 1:
            mid = "mid" if k == 2 else f"mid{k - 1}"
            out += [mid, f"{mid}Label"]
        out += [f"via{k}", f"via{k}Label"]
    return tuple(out)


@dataclass
class _Side:
    """One end of the search: how far each reached node is, and from where it was reached."""

    dist: dict[Node, int]
    preds: dict[Node, list[Node]] = field(default_factory=dict)
    frontier: list[Node] = field(default_factory=list)
    depth: int = 0

    @classmethod
    def at(cls, node: Node) -> _Side:
        return cls({node: 0}, {node: []}, [node])


def _per_node(
    store: KgStore, nodes: Sequence[Node], select: str, pattern: str, tail: str
) -> Iterator[tuple[Node | None, ...]]:
    """Rows of one fact-graph pattern for ``?x`` bound to each node, ``_CHUNK`` at a time."""
    for at in range(0, len(nodes), _CHUNK):
        values = " ".join(term_text(n) for n in nodes[at : at + _CHUNK])
        sparql = (
            f"{select} WHERE {{ VALUES ?x {{ {values} }} "
            f"GRAPH <{FACTS_IRI}> {{ {pattern} }} }} {tail}"
        )
        yield from store.query(sparql).rows


def _neighbours(
    store: KgStore, nodes: Sequence[Node], from_people: bool
) -> Iterator[tuple[Node, Node]]:
    """Yield ``(node, neighbour)`` for the link triples of the fact graph at ``nodes``.

    From officials the neighbours are their meetings and bodies; from meetings and
    bodies, the officials linked to them.
    """
    # a path of alternatives, not VALUES ?link: Oxigraph then looks each ?x up in the
    # index instead of joining the whole fact graph (ten times faster at 1M quads)
    links = "|".join(term_text(p) for p in link_predicates())
    pattern = f"?x {links} ?y" if from_people else f"?y {links} ?x"
    for x, y in _per_node(store, nodes, "SELECT DISTINCT ?x ?y", pattern, ""):
        if x is not None and isinstance(y, URIRef):
            yield x, y


def _widen(store: KgStore, side: _Side) -> list[Node]:
    """Move one side a step further; return the nodes it reached for the first time."""
    found: list[Node] = []
    for x, y in _neighbours(store, side.frontier, from_people=side.depth % 2 == 0):
        seen = side.dist.get(y)
        if seen is None:
            side.dist[y] = side.depth + 1
            side.preds[y] = []
            found.append(y)
        elif seen <= side.depth:
            continue  # reached earlier: not on a shortest chain through x
        side.preds[y].append(x)
    side.depth += 1
    side.frontier = found
    return found


def _meet(
    store: KgStore, start: Node, end: Node, max_links: int, max_nodes: int
) -> tuple[_Side, _Side, list[Node]] | None:
    """Search from both ends until they meet; None when no chain is within the bounds.

    Every chain of the least length passes through exactly one node at the forward side's
    final depth that the backward side has also reached: the returned meeting nodes.
    """
    fwd, back = _Side.at(start), _Side.at(end)
    while fwd.depth + back.depth < 2 * max_links:
        side, other = (fwd, back) if len(fwd.frontier) <= len(back.frontier) else (back, fwd)
        if not side.frontier:
            return None  # one end has no more neighbours: no chain at all
        reached = _widen(store, side)
        meet = [n for n in reached if n in other.dist]
        if meet:
            return fwd, back, meet
        if len(fwd.dist) + len(back.dist) > max_nodes:
            log.warning(
                "shortest chain: stopped after visiting %d nodes without meeting (the bound is %d)",
                len(fwd.dist) + len(back.dist),
                max_nodes,
            )
            return None
    return None


def _dag(fwd: _Side, back: _Side, meet: list[Node]) -> dict[Node, list[Node]]:
    """The next steps of every shortest chain, from the start to the end."""
    succ: dict[Node, list[Node]] = {}
    todo, seen = list(meet), set(meet)
    while todo:  # the forward half: back from the meeting nodes to the start
        node = todo.pop()
        for p in fwd.preds.get(node, []):
            succ.setdefault(p, []).append(node)
            if p not in seen:
                seen.add(p)
                todo.append(p)
    todo, seen = list(meet), set(meet)
    while todo:  # the backward half: from the meeting nodes on to the end
        node = todo.pop()
        nexts = back.preds.get(node, [])
        succ[node] = list(nexts)
        for n in nexts:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return succ


def _labels(store: KgStore, nodes: Sequence[Node]) -> dict[Node, Node]:
    """The rdfs:label of each node in the fact graph (the least, if it has several)."""
    out: dict[Node, Node] = {}
    select = "SELECT ?x (MIN(?l) AS ?label)"
    for x, label in _per_node(store, nodes, select, f"?x {_RDFS_LABEL} ?l", "GROUP BY ?x"):
        if x is not None and label is not None:
            out[x] = label
    return out


def _paths(
    succ: Mapping[Node, list[Node]], start: Node, end: Node, key: Mapping[Node, tuple[str, str]]
) -> Iterator[list[Node]]:
    """Yield every path of the chain graph from start to end, in the order of ``key``."""
    stack: list[Iterator[Node]] = [iter(sorted(succ.get(start, []), key=key.__getitem__))]
    path = [start]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            path.pop()
            continue
        path.append(node)
        if node == end:
            yield list(path)
            path.pop()
            continue
        stack.append(iter(sorted(succ.get(node, []), key=key.__getitem__)))


def shortest_chains(
    store: KgStore,
    person: Node,
    other: Node,
    limit: int | None = None,
    offset: int = 0,
    *,
    max_links: int = MAX_LINKS,
    max_nodes: int = MAX_NODES,
) -> QueryResult:
    """Return the shortest chains of shared meetings or bodies between two officials.

    Only chains of the least length are listed, ordered by the labels along them (first
    link, then the official it leads to, and so on). A chain of one link has ``?via1``
    only; of two, ``?via1 ?mid ?via2``; of k, ``?via1 ?mid ?via2 ?mid2 ... ?viak``
    (:func:`chain_vars`).

    Args:
        store: an open store with its fact graph.
        person: the first official's IRI.
        other: the second official's IRI.
        limit: chains at most (None: every chain, up to :data:`MAX_CHAINS`).
        offset: chains skipped first.
        max_links: a chain longer than this is not searched for.
        max_nodes: the search gives up after visiting this many nodes.

    Returns:
        The chains as SELECT rows; ``truncated`` when more follow the page. No rows when
        no chain of at most ``max_links`` links joins the two.

    Raises:
        QueryError: the two officials are one.
    """
    if person == other:
        raise QueryError("shortest_chain: ?person and ?other are the same official")
    met = _meet(store, person, other, max_links, max_nodes)
    if met is None:
        return QueryResult("select", chain_vars(1))
    fwd, back, meet = met
    links = (fwd.depth + back.dist[meet[0]]) // 2
    succ = _dag(fwd, back, meet)
    labels = _labels(store, [n for n in succ if n not in (person, other)])
    nodes = {*succ, *(n for nexts in succ.values() for n in nexts)}
    key = {n: (str(labels.get(n, n)), str(n)) for n in nodes}
    want = MAX_CHAINS if limit is None else offset + limit + 1
    paths = list(islice(_paths(succ, person, other, key), offset, want))
    more = limit is not None and len(paths) > limit
    if limit is None and offset + len(paths) >= MAX_CHAINS:
        log.warning("shortest chain: only the first %d chains are listed", MAX_CHAINS)
    rows = [_row(path, labels, links) for path in paths[:limit]]
    return QueryResult("select", chain_vars(links), rows, truncated=more)


def _row(path: list[Node], labels: Mapping[Node, Node], links: int) -> tuple[Node | None, ...]:
    """One chain as a row of :func:`chain_vars`: length, then each node and its label."""
    row: list[Node | None] = [Literal(links)]
    for node in path[1:-1]:
        row += [node, labels.get(node)]
    width = len(chain_vars(links))
    return tuple(row + [None] * (width - len(row)))
