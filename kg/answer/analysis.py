"""Network analysis of officials: rankings, communities and chains, with NetworkX.

Input: the stored graph read back through :func:`kg.graph.rdf.from_rdf` and viewed with
:mod:`kg.graph.nxview` (the Newman-weighted co-attendance projection for rankings); output:
ranked officials with ties shown as ties, communities, the shortest chains between two
officials as readable text, a text report and drawings.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import QueryError
from kg.graph.layers import article_layer
from kg.graph.nxview import coattendance, to_networkx
from kg.graph.rdf import from_rdf
from kg.names import norm_key
from kg.vocab import sub_properties

if TYPE_CHECKING:
    from kg.graph.store import KgStore

log = logging.getLogger(__name__)


#: How the co-attendance degree can be weighted: name -> (edge attribute, what it means).
WEIGHTINGS: dict[str, tuple[str | None, str]] = {
    "newman": (
        "weight",
        "Newman-weighted degree (sum over shared meetings of 1/(n-1), n = officials there)",
    ),
    "meetings": (
        "meetings",
        "meetings count (shared meetings summed over co-attendees: a meeting of n officials "
        "counts n-1 times)",
    ),
    "degree": (None, "unweighted degree (distinct co-attendees)"),
}

#: At most this many shortest chains are listed to choose the first ``limit`` by text.
_ENUMERATE = 1000

#: Scores equal to this many decimal places tie (Newman weights are sums of fractions).
_PLACES = 9


@dataclass(frozen=True, slots=True)
class Ranked:
    """One node of a ranking.

    Attributes:
        node: the node key (``person/to-lam``).
        label: its label.
        score: the measure it is ranked by.
        rank: its place; equal scores share the place of the first of them (1, 2, 2, 4).
        tied: whether another node has the same score.
    """

    node: str
    label: str
    score: float
    rank: int = 1
    tied: bool = False

    def __str__(self) -> str:
        return f"{rank_label(self.rank, self.tied)} {self.label} ({self.score:g})"


@dataclass(frozen=True, slots=True)
class Chain:
    """One shortest chain between two officials.

    Attributes:
        nodes: node keys from one official to the other, alternating officials and the
            meetings or bodies that link them.
        text: the chain as names: officials, and in brackets each meeting (its name and
            date) or body between them.
    """

    nodes: tuple[str, ...]
    text: str

    @property
    def links(self) -> int:
        """The number of meetings and bodies on the chain."""
        return len(self.nodes) // 2

    def __str__(self) -> str:
        return self.text


def tie_ranks(scores: Sequence[float]) -> list[tuple[int, bool]]:
    """Give scores sorted highest first their ranks: equal scores share a rank.

    Returns:
        ``(rank, tied)`` per score, in "standard competition" order (1, 2, 2, 4).

    Examples:
        >>> tie_ranks([3.0, 2.0, 2.0, 1.0])
        [(1, False), (2, True), (2, True), (4, False)]
        >>> tie_ranks([1 / 3 + 1 / 3 + 1 / 3, 1.0])
        [(1, True), (1, True)]
    """
    keys = [round(s, _PLACES) for s in scores]
    count = Counter(keys)
    first = {k: i + 1 for i, k in reversed(list(enumerate(keys)))}
    return [(first[k], count[k] > 1) for k in keys]


def rank_label(rank: int, tied: bool) -> str:
    """Write a rank, with ``=`` when it is shared.

    Examples:
        >>> rank_label(3, True), rank_label(4, False)
        ('3=', '4')
    """
    return f"{rank}=" if tied else str(rank)


def load_graph(store: KgStore) -> nx.MultiDiGraph:
    """Return the stored graph as one NetworkX multigraph (one node per entity key).

    It is read back through :func:`kg.graph.rdf.from_rdf`, the same path exports take, so the
    answers here agree with SPARQL's. Only the article graphs are read: per-article
    counts and dates come from them, and the fact graph repeats their facts.
    """
    return to_networkx(from_rdf(article_layer(store), store.base), store.base)


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def ranked(graph: nx.Graph, scores: Mapping[str, float], top: int | None = None) -> list[Ranked]:
    """Sort nodes by score, highest first; equal scores share a rank and go by label.

    Examples:
        >>> g = nx.Graph([("a", "b"), ("b", "c")])
        >>> [str(r) for r in ranked(g, {"a": 1.0, "b": 2.0, "c": 1.0})]
        ['1 b (2)', '2= a (1)', '2= c (1)']
    """
    order = sorted(scores, key=lambda n: (-round(scores[n], _PLACES), _label(graph, n), n))
    ranks = tie_ranks([scores[n] for n in order])
    return [
        Ranked(n, _label(graph, n), float(scores[n]), rank, tied)
        for n, (rank, tied) in zip(order[:top], ranks, strict=False)
    ]


def degree_ranking(
    graph: nx.Graph, top: int | None = None, weight: str | None = "weight"
) -> list[Ranked]:
    """Rank officials by degree on the co-attendance graph.

    Args:
        graph: e.g. :func:`kg.graph.nxview.coattendance` of the stored graph.
        top: keep the first ``top``.
        weight: ``"weight"`` (Newman's: each meeting attended with others counts 1, however
            many attended), ``"meetings"`` (each shared meeting counts once per co-attendee),
            or None (distinct co-attendees). See :data:`WEIGHTINGS`.

    Examples:
        >>> g = nx.Graph()
        >>> g.add_edge("a", "b", weight=1.25, meetings=2)
        >>> g.add_edge("b", "c", weight=0.25, meetings=1)
        >>> [(r.node, r.score) for r in degree_ranking(g)]
        [('b', 1.5), ('a', 1.25), ('c', 0.25)]
        >>> [(r.node, r.score) for r in degree_ranking(g, weight="meetings")]
        [('b', 3.0), ('a', 2.0), ('c', 1.0)]
        >>> [(r.node, r.score, r.rank, r.tied) for r in degree_ranking(g, weight=None)]
        [('b', 2.0, 1, False), ('a', 1.0, 2, True), ('c', 1.0, 2, True)]
    """
    return ranked(graph, dict(graph.degree(weight=weight)), top)


def betweenness_ranking(
    graph: nx.Graph, top: int | None = None, normalized: bool = True
) -> list[Ranked]:
    """Rank officials by betweenness centrality: how often they sit between two others.

    Edges count as one step each: a co-attendance weight says how close two officials
    are, not how far apart, so it is not used as a distance.

    Examples:
        >>> [(r.node, r.score) for r in betweenness_ranking(nx.path_graph(["a", "b", "c"]))]
        [('b', 1.0), ('a', 0.0), ('c', 0.0)]
    """
    return ranked(graph, nx.betweenness_centrality(graph, normalized=normalized), top)


def communities(graph: nx.Graph, weight: str | None = "weight") -> list[list[str]]:
    """Split the graph into communities by greedy modularity (deterministic).

    Returns:
        Lists of node keys, largest community first; each list sorted by label.

    Examples:
        >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"),
        ...               ("x", "z"), ("c", "x")])
        >>> communities(g)
        [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    if graph.number_of_edges() == 0:
        groups: Iterable[Iterable[str]] = [[n] for n in graph]
    else:
        groups = nx.community.greedy_modularity_communities(graph, weight=weight)
    out = [sorted(group, key=lambda n: (_label(graph, n), n)) for group in groups]
    return sorted(out, key=lambda g: (-len(g), _label(graph, g[0]), g[0]))


def chain_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Return the officials linked to the meetings and bodies they share.

    A person is joined to every event they attended (or chaired, spoke at) and every
    body they belong to (or head): the sub-properties come from the ontology. Two
    officials are then as close as the meetings and bodies between them.

    Args:
        graph: the graph from :func:`kg.graph.nxview.to_networkx` or :func:`load_graph`.

    Returns:
        An undirected graph of persons, events and bodies, with the node attributes of
        ``graph`` and a ``predicates`` attribute on each edge.
    """
    links = sub_properties("attended") | sub_properties("memberOf")
    out = nx.Graph()
    for s, o, pred in graph.edges(keys=True):
        if pred not in links:
            continue
        for node in (s, o):
            if node not in out:
                out.add_node(node, **graph.nodes[node])
        preds = out.edges[s, o]["predicates"].split("|") if out.has_edge(s, o) else []
        out.add_edge(s, o, predicates="|".join(sorted({*preds, pred})))
    return out


def find_node(graph: nx.Graph, text: str, node_type: str | None = "Person") -> str:
    """Return the key of the node a name denotes: its key, label or one of its aliases.

    Names compare without case, diacritics or punctuation; a label beats an alias.

    Raises:
        QueryError: no node, or several equally good ones, have the name.

    Examples:
        >>> g = nx.Graph()
        >>> g.add_node("person/to-lam", type="Person", label="To Lam", aliases="Tô Lâm|Lam")
        >>> find_node(g, "tô lâm"), find_node(g, "Lam"), find_node(g, "person/to-lam")
        ('person/to-lam', 'person/to-lam', 'person/to-lam')
    """
    if text in graph and (node_type is None or graph.nodes[text].get("type") == node_type):
        return text
    wanted = norm_key(text)
    found: dict[int, list[str]] = {0: [], 1: []}
    for node, data in graph.nodes(data=True):
        if node_type is not None and data.get("type") != node_type:
            continue
        if norm_key(str(data.get("label", ""))) == wanted:
            found[0].append(node)
        elif wanted in {norm_key(a) for a in str(data.get("aliases", "")).split("|") if a}:
            found[1].append(node)
    best = found[0] or found[1]
    kind = node_type or "node"
    if not best:
        raise QueryError(f"no {kind} named {text!r} in the graph")
    if len(best) > 1:
        raise QueryError(f"{text!r} names several {kind}s: {', '.join(sorted(best))}")
    return best[0]


def shortest_chain(graph: nx.MultiDiGraph, a: str, b: str, limit: int = 10) -> list[Chain]:
    """Return the shortest chains of shared meetings and bodies between two officials.

    Only chains of the least length are returned, the first ``limit`` of them by their
    text (of the first thousand found, when there are more); :func:`count_chains` says
    how many there are in all.

    Args:
        graph: the full graph (:func:`load_graph`).
        a: an official, by key, name or alias.
        b: another one.
        limit: return at most this many chains.

    Returns:
        The chains, each with its node keys and its text (names, not keys).

    Raises:
        QueryError: a name denotes no official, or no chain links the two.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> for key, t, label in [("p/a", "Person", "Ana"), ("p/b", "Person", "Ba"),
        ...         ("p/c", "Person", "Cam"), ("p/d", "Person", "Dao"),
        ...         ("e/1", "Event", "review meeting"), ("o/x", "Organization", "Board X")]:
        ...     g.add_node(key, type=t, label=label)
        >>> g.nodes["e/1"]["date"] = "2024-05-02"
        >>> for s, o, p in [("p/a", "e/1", "chaired"), ("p/b", "e/1", "attended"),
        ...         ("p/d", "e/1", "spokeAt"), ("p/b", "o/x", "headOf"),
        ...         ("p/d", "o/x", "memberOf"), ("p/c", "o/x", "memberOf")]:
        ...     _ = g.add_edge(s, o, key=p)
        >>> for chain in shortest_chain(g, "Ana", "Cam"):
        ...     print(chain)
        Ana -[review meeting, 2024-05-02]- Ba -[Board X]- Cam
        Ana -[review meeting, 2024-05-02]- Dao -[Board X]- Cam
        >>> shortest_chain(g, "Ana", "Cam", limit=1)[0].nodes
        ('p/a', 'e/1', 'p/b', 'o/x', 'p/c')
    """
    chains, start, end = _chain_ends(graph, a, b)
    paths = islice(nx.all_shortest_paths(chains, start, end), max(limit, _ENUMERATE))
    found = [Chain(tuple(path), format_chain(graph, path)) for path in paths]
    return sorted(found, key=lambda c: (c.text, c.nodes))[:limit]


def count_chains(graph: nx.MultiDiGraph, a: str, b: str) -> int:
    """Count the shortest chains between two officials (without listing them).

    Raises:
        QueryError: a name denotes no official, or no chain links the two.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> g.add_nodes_from(["a", "b", "c"], type="Person")
        >>> g.add_nodes_from(["e/1", "e/2"], type="Event")
        >>> keys = g.add_edges_from([(p, e, "attended") for p in "abc" for e in ("e/1", "e/2")])
        >>> count_chains(g, "a", "c")
        2
    """
    chains, start, end = _chain_ends(graph, a, b)
    # breadth-first count of shortest paths: sigma[v] sums sigma over v's parents
    sigma, dist, frontier = {start: 1}, {start: 0}, [start]
    while frontier and end not in dist:
        found: list[str] = []
        for u in frontier:
            for v in chains[u]:
                if v not in dist:
                    dist[v], sigma[v] = dist[u] + 1, 0
                    found.append(v)
                if dist[v] == dist[u] + 1:
                    sigma[v] += sigma[u]
        frontier = found
    return sigma[end]


def _chain_ends(graph: nx.MultiDiGraph, a: str, b: str) -> tuple[nx.Graph, str, str]:
    """The chain graph and the two officials' keys, if some chain links them."""
    chains = chain_graph(graph)
    start, end = find_node(graph, a), find_node(graph, b)
    if start not in chains or end not in chains or not nx.has_path(chains, start, end):
        if start != end:
            raise QueryError(
                f"no chain of shared meetings or bodies links {_label(graph, start)!r} "
                f"and {_label(graph, end)!r}"
            )
        chains.add_node(start)
    return chains, start, end


def _step(graph: nx.Graph, node: str) -> str:
    """The name of a node on a chain; a meeting's date follows its name."""
    label = _label(graph, node)
    date = str(graph.nodes[node].get("date", ""))
    if graph.nodes[node].get("type") == "Event" and date and date not in label:
        return f"{label}, {date}"
    return label


def format_chain(graph: nx.Graph, chain: Chain | Sequence[str] | Sequence[Chain]) -> str:
    """Write a chain as text: officials, and in brackets the meetings or bodies linking them.

    Args:
        graph: the graph the chain's nodes come from.
        chain: node keys, a :class:`Chain`, or several chains (one line each).

    Examples:
        >>> g = nx.Graph()
        >>> g.add_nodes_from([("p/a", {"label": "A"}), ("p/b", {"label": "B"}),
        ...     ("e/1", {"label": "a meeting", "type": "Event", "date": "2024-01-05"})])
        >>> format_chain(g, ["p/a", "e/1", "p/b"])
        'A -[a meeting, 2024-01-05]- B'
    """
    if isinstance(chain, Chain):
        return chain.text
    texts = [c.text for c in chain if isinstance(c, Chain)]
    if texts:
        return "\n".join(texts)
    parts = []
    for i, node in enumerate(c for c in chain if isinstance(c, str)):
        label = _step(graph, node)
        parts.append(f"-[{label}]-" if i % 2 else label)
    return " ".join(parts)


def centrality_table(
    graph: nx.Graph, top: int | None = 10, by: str = "newman"
) -> list[dict[str, Any]]:
    """Tabulate the officials of a co-attendance graph, ranked, with ties shown as ties.

    Args:
        graph: a co-attendance graph (:func:`kg.graph.nxview.coattendance`).
        top: the number of rows; None for all.
        by: rank by one of :data:`WEIGHTINGS` (``newman``, ``meetings``, ``degree``) or by
            ``betweenness``; equal scores share a rank, and among them the other
            measure (betweenness, or for betweenness the Newman degree) orders the rows.

    Returns:
        One dict per official: ``rank`` (``"2="`` when shared), ``official``, ``newman``
        (Newman-weighted degree, rounded to 3 places), ``meetings`` (shared meetings
        summed over co-attendees), ``co_attendees`` (degree), ``betweenness``
        (normalised, rounded to 3 places), ``community`` (its index in
        :func:`communities`) and ``key``.

    Raises:
        ValueError: an unknown ``by``.

    Examples:
        >>> g = nx.Graph()
        >>> g.add_edge("a", "b", weight=1.25, meetings=2)
        >>> g.add_edge("b", "c", weight=0.25, meetings=1)
        >>> g.add_edge("c", "d", weight=1.0, meetings=1)
        >>> for r in centrality_table(g):
        ...     print(r["rank"], r["key"], r["newman"], r["meetings"], r["co_attendees"])
        1 b 1.5 3 2
        2= c 1.25 2 2
        2= a 1.25 2 1
        4 d 1.0 1 1
    """
    if by not in (*WEIGHTINGS, "betweenness"):
        raise ValueError(f"cannot rank by {by!r}; expected {', '.join(WEIGHTINGS)} or betweenness")
    between = nx.betweenness_centrality(graph)
    score = {w: dict(graph.degree(weight=attr)) for w, (attr, _) in WEIGHTINGS.items()}
    score["betweenness"] = between
    first, second = score[by], score["newman" if by == "betweenness" else "betweenness"]
    group = {n: i for i, members in enumerate(communities(graph)) for n in members}
    order = sorted(
        graph,
        key=lambda n: (-round(first[n], _PLACES), -round(second[n], _PLACES), _label(graph, n), n),
    )
    ranks = tie_ranks([first[n] for n in order])
    return [
        {
            "rank": rank_label(*rank),
            "official": _label(graph, n),
            "newman": round(score["newman"][n], 3),
            "meetings": int(score["meetings"][n]),
            "co_attendees": graph.degree(n),
            "betweenness": round(between[n], 3),
            "community": group[n],
            "key": n,
        }
        for n, rank in zip(order[:top], ranks, strict=False)
    ]


def format_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """Write dicts as an aligned text table (the columns of the first row).

    Examples:
        >>> print(format_table([{"a": 1, "bb": "x"}, {"a": 22, "bb": "y"}]))
        a   bb
        --  --
        1   x
        22  y
    """
    if not rows:
        return "(none)"
    cols = list(rows[0])
    cells = [[str(r.get(c, "")) for c in cols] for r in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    lines = [cols, ["-" * w for w in widths], *cells]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def report(
    graph: nx.MultiDiGraph,
    top: int = 10,
    path: tuple[str, str] | None = None,
    rank_by: str = "newman",
    chains: int = 10,
) -> str:
    """Return the ``kg analyze`` text: rankings, communities and optionally chains.

    Each ranking says what it ranks by, shows equal scores as a shared rank (``3=``)
    and, when the ``top`` rows end inside a tie, how many more share that rank.

    Args:
        graph: the full graph (:func:`load_graph`).
        top: rows per ranking.
        path: two officials (keys, names or aliases) to link by their shortest chains.
        rank_by: the degree ranking's weighting, one of :data:`WEIGHTINGS`.
        chains: list at most this many shortest chains.

    Raises:
        QueryError: a name in ``path`` denotes no official, or nothing links them.
        ValueError: an unknown ``rank_by``, or ``chains`` below 1.
    """
    if rank_by not in WEIGHTINGS or chains < 1:
        raise ValueError(f"rank_by {rank_by!r} not in {', '.join(WEIGHTINGS)}, or chains < 1")
    co = coattendance(graph)
    groups = communities(co)
    lines = [
        f"co-attendance graph: {co.number_of_nodes()} officials, "
        f"{co.number_of_edges()} pairs who met",
        "columns: rank (3= is a tie); newman = sum over shared meetings of 1/(n-1), n = the",
        "  officials there (so: the meetings attended with others); meetings = shared meetings",
        "  summed over co-attendees; co_attendees = officials met; betweenness = share of",
        "  shortest paths through them",
        "",
        f"officials ranked by {WEIGHTINGS[rank_by][1]}:",
        *_ranking(co, top, rank_by),
        "",
        "officials ranked by betweenness (how often they lie between two others; each pair"
        " who met is one step):",
        *_ranking(co, top, "betweenness"),
        "",
        "communities (greedy modularity on Newman weights):",
    ]
    for i, members in enumerate(groups):
        if len(members) > 1:
            lines.append(f"  {i}: " + ", ".join(_label(co, n) for n in members))
    alone = sum(1 for members in groups if len(members) == 1)
    if alone:
        lines.append(f"  and {alone} official(s) who met nobody else")
    if path is not None:
        lines += ["", *_chain_lines(graph, *path, limit=chains)]
    return "\n".join(lines) + "\n"


def _ranking(co: nx.Graph, top: int, by: str) -> list[str]:
    """A ranking's table, and a line for the officials a tie pushes past ``top``."""
    rows = centrality_table(co, None, by)
    lines = [format_table(rows[:top])]
    if 0 < top < len(rows) and rows[top]["rank"] == rows[top - 1]["rank"]:
        more = sum(1 for r in rows[top:] if r["rank"] == rows[top - 1]["rank"])
        lines.append(f"  ... and {more} more official(s) tied at rank {rows[top]['rank']}")
    return lines


def _chain_lines(graph: nx.MultiDiGraph, a: str, b: str, limit: int) -> list[str]:
    """The shortest chains between two officials, headed by their length and number."""
    found = shortest_chain(graph, a, b, limit)
    total = count_chains(graph, a, b)
    ends = f"{_label(graph, found[0].nodes[0])} and {_label(graph, found[0].nodes[-1])}"
    shown = f" ({len(found)} shown)" if total > len(found) else ""
    head = f"{total} shortest chain(s) of {found[0].links} link(s) between {ends}{shown}:"
    return [head, *(f"  {c.text}" for c in found)]
