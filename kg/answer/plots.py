"""Plots a reader can read: an official's career, meetings per month, a network drawing.

Input: article extractions (:func:`kg.graph.rdf.from_rdf`) and the NetworkX views of
:mod:`kg.graph.nxview`; output: matplotlib Figures (made without pyplot, so a notebook
shows each once and a test leaves no window open). Reads no data files.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.answer.analysis import communities, degree_ranking
from kg.vocab import sub_properties

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kg.model import ArticleGraph

#: Colours of the largest communities (tab10); the others and lone officials are grey.
_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#7f7f7f",
)
_GREY = "#c7c7c7"


@dataclass(frozen=True, slots=True)
class Post:
    """A post an official holds: a title in a body, and the article dates stating it.

    Attributes:
        body: the body's key.
        body_label: its name.
        title: the title as written ("" when none is stated).
        head: stated as a headship (``headOf``).
        first: the earliest article date stating it ("" when no such article is dated).
        last: the latest one.
        articles: how many articles state it.
    """

    body: str
    body_label: str
    title: str
    head: bool
    first: str
    last: str
    articles: int

    @property
    def label(self) -> str:
        """Title and body, as a bar's label (``Secretary, Song Lam Party Committee``)."""
        return f"{self.title}, {self.body_label}" if self.title else self.body_label


def posts(articles: Iterable[ArticleGraph], person: str) -> list[Post]:
    """Collect the posts of one official, one per body and title, oldest first.

    Args:
        articles: article extractions (:attr:`kg.answer.notebook.Workspace.articles`).
        person: the official's node key (``person/to-lam``).

    Returns:
        The posts; undated ones (stated only by undated articles) last.
    """
    member, head = sub_properties("memberOf"), sub_properties("headOf")
    dates: dict[tuple[str, str], set[str]] = defaultdict(set)
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    heads: set[tuple[str, str]] = set()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for ag in articles:
        for rel in ag.relations:
            if rel.predicate not in member or ag.entity(rel.subject).key != person:
                continue
            body = ag.entity(rel.object)
            title = rel.title or ""
            # "member" and "Member" are one post, as written at a sentence start or not
            post = (body.key, title[:1].upper() + title[1:])
            names[body.key][body.name] += 1
            docs[post].add(ag.doc_id)
            if ag.article.date:
                dates[post].add(ag.article.date)
            if rel.predicate in head:
                heads.add(post)
    out = [
        Post(
            body=body,
            body_label=names[body].most_common(1)[0][0],
            title=title,
            head=(body, title) in heads,
            first=min(dates[(body, title)], default=""),
            last=max(dates[(body, title)], default=""),
            articles=len(found),
        )
        for (body, title), found in docs.items()
    ]
    return sorted(out, key=lambda p: (not p.first, p.first, p.last, p.label))


def _day(text: str) -> int:
    """The first day an ISO date, month or year covers, as a day number (proleptic ordinal)."""
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2]).toordinal()


def _month_ticks(lo: float, hi: float, most: int = 8) -> tuple[list[int], list[str]]:
    """Month starts between two day numbers, at most ``most`` of them, and their labels.

    Examples:
        >>> _month_ticks(date(2024, 1, 20).toordinal(), date(2024, 4, 2).toordinal())[1]
        ['2024-02', '2024-03', '2024-04']
    """
    first, last = date.fromordinal(int(lo)), date.fromordinal(int(hi))
    months = [
        (y, m)
        for y in range(first.year, last.year + 1)
        for m in range(1, 13)
        if (first.year, first.month) < (y, m) <= (last.year, last.month)
    ] or [(first.year, first.month)]
    step = -(-len(months) // most)
    if step > 1:  # whole quarters or years read better than every fifth month
        step = next(s for s in (2, 3, 6, 12, 24, 60, 120, 10**6) if s >= step)
        months = [(y, m) for y, m in months if (y * 12 + m - 1) % step == 0] or months[:1]
    return [date(y, m, 1).toordinal() for y, m in months], [f"{y}-{m:02d}" for y, m in months]


def _new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure  # optional: only the plots need matplotlib

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def plot_career(career: Sequence[Post], name: str) -> Figure:
    """Draw an official's posts as horizontal bars from the first to the last date stated.

    A post stated on one date only is a short bar; each bar is followed by its dates and
    article count; an undated post is a row saying so. Head posts are dark, memberships
    light.

    Args:
        career: from :func:`posts`.
        name: the official's name, for the title.

    Returns:
        The figure: one bar per dated post, y labels "title, body".
    """
    fig, ax = _new_figure(10, 1.4 + 0.4 * max(len(career), 1))
    dated = [p for p in career if p.first]
    lo = min((_day(p.first) for p in dated), default=date.today().toordinal())
    hi = max((_day(p.last) for p in dated), default=lo)
    pad = max(30.0, (hi - lo) / 12)  # days of context either side, a month at least
    least = (hi - lo + 2 * pad) / 60  # a post stated on one day stays visible
    right = hi + pad + 0.45 * (hi - lo + 2 * pad)  # room for the note after the last bar
    for row, post in enumerate(career):
        colour = "#1f4e79" if post.head else "#7fb3d5"
        if post.first:
            start, end = _day(post.first), _day(post.last)
            ax.barh(row, max(end - start, least), left=start, height=0.6, color=colour)
            span = post.first if start == end else f"{post.first} to {post.last}"
            ax.annotate(
                f" {span}, {post.articles} article(s)",
                (max(end, start + least), row),
                va="center",
                fontsize=8,
                color="#444444",
            )
        else:
            ax.annotate(
                "no dated article states it",
                (0.01, row),
                xycoords=("axes fraction", "data"),
                va="center",
                fontsize=8,
                color="grey",
            )
    ax.set_yticks(range(len(career)), [textwrap.shorten(p.label, 70) for p in career])
    ax.set_ylim(len(career) - 0.5, -0.5)
    ax.set_xlim(lo - pad, right)
    ax.set_xticks(*(_month_ticks(lo - pad, right) if dated else ([], [])))
    ax.set_xlabel("date of the articles stating the post")
    fig.suptitle(f"Posts of {name}", x=0.02, ha="left", fontsize=12)
    ax.set_title(
        f"from the first to the last article stating each; {len(dated)} of {len(career)} "
        "dated; dark: head of the body",
        loc="left",
        fontsize=9,
        color="#444444",
    )
    ax.grid(axis="x", alpha=0.3)
    return fig


def meetings_per_month(graph: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """Count dated meetings per month, every month from the first to the last.

    Meetings dated by year only are left out.

    Examples:
        >>> g = nx.MultiDiGraph()
        >>> for i, d in enumerate(["2024-01-05", "2024-03-02", "2024-03", "2024"]):
        ...     g.add_node(f"e/{i}", type="Event", date=d)
        >>> meetings_per_month(g)
        [('2024-01', 1), ('2024-02', 0), ('2024-03', 2)]
    """
    months = Counter(
        str(d["date"])[:7]
        for _, d in graph.nodes(data=True)
        if d.get("type") == "Event" and len(str(d.get("date", ""))) >= 7
    )
    if not months:
        return []
    year, month = (int(x) for x in min(months).split("-"))
    out = []
    while (key := f"{year:04d}-{month:02d}") <= max(months):
        out.append((key, months[key]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def plot_meetings_per_month(graph: nx.MultiDiGraph) -> Figure:
    """Draw the dated meetings of the graph per month as a bar chart.

    Args:
        graph: the merged graph (:attr:`kg.answer.notebook.Workspace.graph`).

    Returns:
        The figure: one bar per month from the first meeting to the last.
    """
    from matplotlib.ticker import MaxNLocator

    counts = meetings_per_month(graph)
    fig, ax = _new_figure(min(4 + 0.3 * len(counts), 14), 3.8)
    xs = range(len(counts))
    ax.bar(xs, [n for _, n in counts], color="#1f77b4", width=0.8)
    step = max(1, len(counts) // 24)  # at most about 24 month labels
    ax.set_xticks(list(xs)[::step], [m for m, _ in counts][::step], rotation=60, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("month")
    ax.set_ylabel("meetings")
    total = sum(n for _, n in counts)
    ax.set_title(f"Meetings per month ({total} with a month and year)", loc="left")
    ax.grid(axis="y", alpha=0.3)
    return fig


def community_layout(
    graph: nx.Graph, groups: Sequence[Sequence[str]], seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Place each community in its own disc, discs in rows, largest first.

    Inside a disc the nodes take a spring layout; a disc's radius grows with the square
    root of its size, so every community is equally dense. Lone nodes share one grid
    below the rest.

    Args:
        graph: any undirected graph.
        groups: its communities, largest first (:func:`kg.answer.analysis.communities`).
        seed: the layout seed, so the same graph gives the same picture.

    Returns:
        Node -> (x, y).

    Examples:
        >>> g = nx.Graph([("a", "b"), ("c", "d")])
        >>> g.add_node("e")
        >>> pos = community_layout(g, [["a", "b"], ["c", "d"], ["e"]])
        >>> sorted(pos) == ["a", "b", "c", "d", "e"]
        True
    """
    big = [list(g) for g in groups if len(g) > 1]
    alone = [n for g in groups if len(g) == 1 for n in g]
    radii = [len(g) ** 0.5 for g in big]
    width = max([2.4 * r for r in radii] + [(sum((2.4 * r) ** 2 for r in radii) * 1.6) ** 0.5])
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, r in zip(big, radii, strict=True):
        if x > 0 and x + 2.4 * r > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        centre = (x + 1.2 * r, y - 1.2 * r)
        sub = graph.subgraph(members)
        inner = _disc(nx.spring_layout(sub, seed=seed, weight=None), r)
        pos.update({n: (centre[0] + p[0], centre[1] + p[1]) for n, p in inner.items()})
        x, row_height = x + 2.4 * r, max(row_height, 2.4 * r)
    y -= row_height + (0.6 if big else 0)
    cols = max(1, int(width / 0.6)) if big else max(1, int(len(alone) ** 0.5))
    for i, node in enumerate(sorted(alone, key=lambda n: str(graph.nodes[n].get("label", n)))):
        pos[node] = (0.3 + 0.6 * (i % cols), y - 0.6 * (i // cols))
    return pos


def _disc(layout: Mapping[str, Any], radius: float) -> dict[str, tuple[float, float]]:
    """Centre a layout and scale it into a disc; a far-flung node is pulled to its rim.

    Scaling by the 80th percentile distance, not the largest, keeps one pendant node
    from squeezing the rest of its community into a dot.
    """
    cx = sum(float(p[0]) for p in layout.values()) / len(layout)
    cy = sum(float(p[1]) for p in layout.values()) / len(layout)
    far = sorted(math.hypot(float(p[0]) - cx, float(p[1]) - cy) for p in layout.values())
    unit = far[int(0.8 * (len(far) - 1))] or 1.0
    out = {}
    for node, p in layout.items():
        x, y = (float(p[0]) - cx) / unit, (float(p[1]) - cy) / unit
        shrink = min(1.0, 1.15 / (math.hypot(x, y) or 1.0))
        out[node] = (x * shrink * radius, y * shrink * radius)
    return out


def _to_label(graph: nx.Graph, groups: Sequence[Sequence[str]], top: int) -> list[str]:
    """The nodes to name: the most connected of each large community, then by degree.

    Examples:
        >>> g = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("x", "y")])
        >>> _to_label(g, [["a", "b", "c"], ["x", "y"]], 3)
        ['a', 'b', 'x']
    """
    ranking = [r.node for r in degree_ranking(graph)]
    rank = {n: i for i, n in enumerate(ranking)}
    leaders = [min(g, key=rank.__getitem__) for g in groups[: min(top, 10)] if len(g) > 1]
    chosen = list(dict.fromkeys([*leaders, *ranking]))[:top]
    return sorted(chosen, key=rank.__getitem__)


def draw_network(graph: nx.Graph, top: int = 10, title: str | None = None, seed: int = 7) -> Figure:
    """Draw a projection with its communities apart and only the most connected labelled.

    Nodes are small (size by degree) and coloured by community (the ten largest; grey
    for the rest), edges thin and light. ``top`` nodes carry their name in a box, pushed
    apart so that no two overlap: the most connected of each coloured community, then
    the most connected of the rest.

    Args:
        graph: the co-attendance graph (:func:`kg.graph.nxview.coattendance`) or another
            projection such as :func:`kg.graph.nxview.body_document`.
        top: how many nodes to label.
        title: the title; by default it says what is drawn.
        seed: the layout seed.

    Returns:
        The figure; its axes hold one text per labelled node.
    """
    groups = communities(graph)
    colour = {
        n: _PALETTE[i] if i < len(_PALETTE) and len(g) > 1 else _GREY
        for i, g in enumerate(groups)
        for n in g
    }
    pos = community_layout(graph, groups, seed)
    fig, ax = _new_figure(11, 8.5)
    nx.draw_networkx_edges(graph, pos, ax=ax, width=0.5, alpha=0.18, edge_color="#555555")
    degree = dict(graph.degree())
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        node_size=[8 + min(60, 4 * degree[n]) for n in graph],
        node_color=[colour[n] for n in graph],
        linewidths=0,
    )
    labelled = _to_label(graph, groups, top)
    texts = [
        ax.annotate(
            str(graph.nodes[n].get("label", n)),
            pos[n],
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": colour[n], "alpha": 0.85},
            arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.5},
        )
        for n in labelled
    ]
    _spread_labels(fig, texts)
    ax.set_title(
        title
        or f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links; colour = "
        f"community; {len(labelled)} of the most connected are named",
        loc="left",
    )
    ax.set_axis_off()
    return fig


def _spread_labels(fig: Figure, texts: Sequence[object], rounds: int = 200) -> None:
    """Move overlapping labels apart vertically, in points, until none overlap."""
    from matplotlib.text import Annotation, Text

    notes = [t for t in texts if isinstance(t, Annotation)]
    if len(notes) < 2:
        return
    fig.draw_without_rendering()  # lays out the axes, so the extents below are final
    scale = fig.dpi / 72  # pixels per point
    for _ in range(rounds):
        # the text's own box: an Annotation's extent would include its leader line
        boxes = [Text.get_window_extent(t).expanded(1.05, 1.15) for t in notes]
        moved = False
        for i in range(len(notes)):
            for j in range(i + 1, len(notes)):
                a, b = boxes[i], boxes[j]
                if not a.overlaps(b):
                    continue
                push = (min(a.y1, b.y1) - max(a.y0, b.y0)) / 2 / scale + 1
                up, down = (
                    (notes[i], notes[j]) if a.y0 + a.y1 >= b.y0 + b.y1 else (notes[j], notes[i])
                )
                for note, sign in ((up, 1), (down, -1)):
                    dx, dy = note.xyann
                    note.xyann = (dx, dy + sign * push)
                moved = True
        if not moved:
            return
