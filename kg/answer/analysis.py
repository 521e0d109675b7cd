"""Network analysis of officials: rankings, communities and chains, with NetworkX.

Input: the stored graph read back through :func:`kg.graph.rdf.from_rdf` and viewed with
:mod:`kg.graph.nxview` (the co-attendance projection for rankings); output: ranked officials,
communities, the shortest chain between two officials, a text report and drawings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import QueryError
from kg.graph.nxview import coattendance, to_networkx
from kg.graph.rdf import from_rdf
from kg.names import norm_key
from kg.vocab import sub_properties

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from kg.graph.store import KgStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One node of a ranking.

    Attributes:
        node: the node key (``person/to-lam``).
        label: its label.
        score: the measure it is ranked by.
    """

    node: str
    label: str
    score: float


def load_graph(store: KgStore) -> nx.MultiDiGraph:
    """Return the stored graph as one NetworkX multigraph (one node per entity key).

    It is read back through :func:`kg.graph.rdf.from_rdf`, the same path exports take, so the
    answers here agree with SPARQL's.
    """
    return to_networkx(from_rdf(store.quads(), store.base), store.base)


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def ranked(graph: nx.Graph, scores: Mapping[str, float], top: int | None = None) -> list[Ranked]:
    """Sort nodes by score, highest first; ties go by label, then key.

    Examples:
        >>> g = nx.Graph([("a", "b")])
        >>> ranked(g, {"a": 1.0, "b": 2.0})
        [Ranked(node='b', label='b', score=2.0), Ranked(node='a', label='a', score=1.0)]
    """
    order = sorted(scores, key=lambda n: (-scores[n], _label(graph, n), n))
    return [Ranked(n, _label(graph, n), float(scores[n])) for n in order[:top]]


def degree_ranking(
    graph: nx.Graph, top: int | None = None, weight: str | None = None
) -> list[Ranked]:
    """Rank officials by degree on the co-attendance graph.

    Args:
        graph: e.g. :func:`kg.graph.nxview.coattendance` of the stored graph.
        top: keep the first ``top``.
        weight: None counts distinct co-attendees; ``"weight"`` counts shared meetings.

    Examples:
        >>> g = nx.Graph()
        >>> g.add_edge("a", "b", weight=3)
        >>> g.add_edge("b", "c", weight=1)
        >>> [(r.node, r.score) for r in degree_ranking(g)]
        [('b', 2.0), ('a', 1.0), ('c', 1.0)]
        >>> [(r.node, r.score) for r in degree_ranking(g, weight="weight")]
        [('b', 4.0), ('a', 3.0), ('c', 1.0)]
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


def shortest_chain(graph: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """Return the shortest chain of shared meetings and bodies between two officials.

    Args:
        graph: the full graph (:func:`load_graph`).
        a: an official, by key, name or alias.
        b: another one.

    Returns:
        Node keys from ``a`` to ``b``, alternating officials and the meetings or bodies
        that link them.

    Raises:
        QueryError: a name denotes no official, or no chain links the two.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> for key, t in [("p/a", "Person"), ("p/b", "Person"), ("p/c", "Person"),
        ...                ("e/1", "Event"), ("o/x", "Organization")]:
        ...     g.add_node(key, type=t, label=key[2:])
        >>> g.add_edge("p/a", "e/1", key="chaired")
        'chaired'
        >>> g.add_edge("p/b", "e/1", key="attended")
        'attended'
        >>> g.add_edge("p/b", "o/x", key="headOf")
        'headOf'
        >>> g.add_edge("p/c", "o/x", key="memberOf")
        'memberOf'
        >>> shortest_chain(g, "a", "c")
        ['p/a', 'e/1', 'p/b', 'o/x', 'p/c']
    """
    chains = chain_graph(graph)
    start, end = find_node(graph, a), find_node(graph, b)
    try:
        return list(nx.shortest_path(chains, start, end))
    except (nx.NetworkXNoPath, nx.NodeNotFound) as err:
        raise QueryError(
            f"no chain of shared meetings or bodies links {_label(graph, start)!r} "
            f"and {_label(graph, end)!r}"
        ) from err


def format_chain(graph: nx.Graph, chain: Sequence[str]) -> str:
    """Write a chain as text: officials, and in brackets what links them.

    Examples:
        >>> g = nx.Graph()
        >>> g.add_nodes_from([("p/a", {"label": "A"}), ("e/1", {"label": "a meeting"}),
        ...                   ("p/b", {"label": "B"})])
        >>> format_chain(g, ["p/a", "e/1", "p/b"])
        'A -[a meeting]- B'
    """
    parts = []
    for i, node in enumerate(chain):
        label = _label(graph, node)
        parts.append(f"-[{label}]-" if i % 2 else label)
    return " ".join(parts)


def centrality_table(
    graph: nx.Graph, top: int | None = 10, by: str = "degree"
) -> list[dict[str, Any]]:
    """Tabulate the officials of a co-attendance graph: degree, meetings, betweenness.

    Args:
        graph: a co-attendance graph (:func:`kg.graph.nxview.coattendance`).
        top: the number of rows; None for all.
        by: rank by ``degree`` (then betweenness) or by ``betweenness`` (then degree).

    Returns:
        One dict per official: ``official``, ``key``, ``co_attendees`` (degree),
        ``shared_meetings`` (weighted degree), ``betweenness`` (normalised, rounded to
        3 places) and ``community`` (its index in :func:`communities`).

    Examples:
        >>> g = nx.Graph()
        >>> g.add_edge("a", "b", weight=2)
        >>> g.add_edge("b", "c", weight=1)
        >>> [(r["key"], r["co_attendees"], r["shared_meetings"], r["betweenness"])
        ...  for r in centrality_table(g)]
        [('b', 2, 3, 1.0), ('a', 1, 2, 0.0), ('c', 1, 1, 0.0)]
    """
    between = nx.betweenness_centrality(graph)
    strength = dict(graph.degree(weight="weight"))
    group = {n: i for i, members in enumerate(communities(graph)) for n in members}
    if by not in ("degree", "betweenness"):
        raise ValueError(f"cannot rank by {by!r}; expected degree or betweenness")
    first, second = (graph.degree, between.get) if by == "degree" else (between.get, graph.degree)
    order = sorted(graph, key=lambda n: (-first(n), -second(n), _label(graph, n), n))
    return [
        {
            "official": _label(graph, n),
            "key": n,
            "co_attendees": graph.degree(n),
            "shared_meetings": int(strength[n]),
            "betweenness": round(between[n], 3),
            "community": group[n],
        }
        for n in order[:top]
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


def report(graph: nx.MultiDiGraph, top: int = 10, path: tuple[str, str] | None = None) -> str:
    """Return the ``kg analyze`` text: rankings, communities and optionally a chain.

    Args:
        graph: the full graph (:func:`load_graph`).
        top: rows per ranking.
        path: two officials (keys, names or aliases) to link by the shortest chain.

    Raises:
        QueryError: a name in ``path`` denotes no official, or nothing links them.
    """
    co = coattendance(graph)
    groups = communities(co)
    lines = [
        f"co-attendance graph: {co.number_of_nodes()} officials, "
        f"{co.number_of_edges()} pairs who met",
        "",
        "officials by degree (how many others they met at meetings):",
        format_table(centrality_table(co, top, by="degree")),
        "",
        "officials by betweenness (how often they lie between two others):",
        format_table(centrality_table(co, top, by="betweenness")),
        "",
        "communities (greedy modularity):",
    ]
    for i, members in enumerate(groups):
        if len(members) > 1:
            lines.append(f"  {i}: " + ", ".join(_label(co, n) for n in members))
    alone = sum(1 for members in groups if len(members) == 1)
    if alone:
        lines.append(f"  and {alone} official(s) who met nobody else")
    if path is not None:
        chain = shortest_chain(graph, *path)
        lines += [
            "",
            f"shortest chain ({len(chain) // 2} link(s)):",
            "  " + format_chain(graph, chain),
        ]
    return "\n".join(lines) + "\n"


def draw_graph(graph: nx.Graph, ax: Axes | None = None, labels: int = 12, seed: int = 7) -> Axes:
    """Draw a projection of the graph: node size by degree, colour by community.

    Args:
        graph: a co-attendance graph (:func:`kg.graph.nxview.coattendance`), or another
            projection such as :func:`kg.graph.nxview.body_document`.
        ax: the matplotlib axes to draw on (a new figure if None).
        labels: label the nodes with the highest degree, this many.
        seed: layout seed, so the same graph gives the same picture.

    Returns:
        The axes.
    """
    import matplotlib.pyplot as plt  # optional: only drawing needs it

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 7))
    group = {n: i for i, members in enumerate(communities(graph)) for n in members}
    pos = nx.spring_layout(graph, seed=seed, weight="weight")
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        alpha=0.3,
        width=[float(d.get("weight", 1)) for *_, d in graph.edges(data=True)],
    )
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        node_size=[60 + 40 * graph.degree(n) for n in graph],
        node_color=[group[n] for n in graph],
        cmap="tab20",
    )
    top = [r.node for r in degree_ranking(graph, top=labels)]
    nx.draw_networkx_labels(
        graph, pos, labels={n: _label(graph, n) for n in top}, ax=ax, font_size=8
    )
    ax.set_axis_off()
    return ax
