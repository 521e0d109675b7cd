"""Plots and the choices notebooks make, on small hand-built graphs (invented names)."""

from __future__ import annotations

import networkx as nx
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text

from kg.answer import notebook as choose
from kg.answer.plots import (
    community_layout,
    draw_network,
    meetings_per_month,
    plot_career,
    plot_meetings_per_month,
    posts,
)
from kg.errors import QueryError
from kg.graph.nxview import coattendance, to_networkx
from kg.model import Article, ArticleGraph, Entity, Relation


def article(
    doc: str, date: str | None, rels: list[tuple[str, str, str, str | None]]
) -> ArticleGraph:
    """One article whose entities are named by their keys (``person/an``, ``org/x``)."""
    kinds = {"person": "Person", "org": "Organization", "event": "Event", "doc": "Document"}
    keys = sorted({k for s, _, o, _ in rels for k in (s, o)})
    ents = tuple(
        Entity(
            f"e{i}",
            kinds[key.split("/")[0]],
            key.split("/")[1].replace("-", " ").title(),
            key,
            date="2024-05-02" if key.startswith("event") else None,
        )
        for i, key in enumerate(keys)
    )
    local = {e.key: e.id for e in ents}
    relations = tuple(Relation(local[s], p, local[o], title=t) for s, p, o, t in rels)
    return ArticleGraph(Article(doc, "", date=date), ents, relations)


@pytest.fixture
def careers() -> list[ArticleGraph]:
    return [
        article(
            "a1", "2023-01-10", [("person/vu-an", "memberOf", "org/river-board", "Deputy Head")]
        ),
        article("a2", "2023-06-02", [("person/vu-an", "headOf", "org/river-board", "Head")]),
        article(
            "a3",
            "2024-02-20",
            [
                ("person/vu-an", "headOf", "org/river-board", "Head"),
                ("person/le-ba", "memberOf", "org/river-board", "Member"),
            ],
        ),
        article("a4", None, [("person/vu-an", "memberOf", "org/hill-council", None)]),
    ]


def test_posts_one_per_body_and_title_dated_by_articles(careers: list[ArticleGraph]) -> None:
    found = posts(careers, "person/vu-an")
    assert [(p.label, p.head, p.first, p.last, p.articles) for p in found] == [
        ("Deputy Head, River Board", False, "2023-01-10", "2023-01-10", 1),
        ("Head, River Board", True, "2023-06-02", "2024-02-20", 2),
        ("Hill Council", False, "", "", 1),
    ]


def test_plot_career_draws_a_bar_per_dated_post_and_labels_every_post(
    careers: list[ArticleGraph],
) -> None:
    fig = plot_career(posts(careers, "person/vu-an"), "Vu An")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 2  # the undated post is a row of text, not a bar
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Deputy Head, River Board",
        "Head, River Board",
        "Hill Council",
    ]
    assert any("no dated article" in t.get_text() for t in ax.texts)
    head = ax.patches[1]
    assert head.get_width() == pytest.approx(263)  # 2023-06-02 to 2024-02-20, in days
    fig.savefig(__import__("io").BytesIO(), format="png")  # it renders


def test_plot_career_of_an_official_without_dated_posts() -> None:
    fig = plot_career(
        posts([article("a", None, [("person/x", "memberOf", "org/y", "Member")])], "person/x"), "X"
    )
    assert len(fig.axes[0].patches) == 0
    assert fig.axes[0].get_xticks().size == 0  # no dates to show, so no made-up axis


def test_meetings_per_month_fills_the_empty_months() -> None:
    g = nx.MultiDiGraph()
    for i, d in enumerate(["2023-11-30", "2024-02-01", "2024-02-14", "2023", "2023-12"]):
        g.add_node(f"event/{i}", type="Event", date=d)
    g.add_node("person/a", type="Person", date="2023-05-05")  # not a meeting
    assert meetings_per_month(g) == [("2023-11", 1), ("2023-12", 1), ("2024-01", 0), ("2024-02", 2)]
    fig = plot_meetings_per_month(g)
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == [1, 1, 0, 2]
    assert ax.get_xlabel() == "month" and ax.get_ylabel() == "meetings"


def test_meetings_per_month_of_a_graph_without_dated_meetings() -> None:
    assert meetings_per_month(nx.MultiDiGraph()) == []
    assert len(plot_meetings_per_month(nx.MultiDiGraph()).axes[0].patches) == 0


def two_cliques() -> nx.Graph:
    """Two groups of officials joined by one edge, and one who met nobody."""
    g = nx.Graph()
    for group, size in (("a", 8), ("b", 5)):
        names = [f"{group}{i}" for i in range(size)]
        g.add_edges_from((x, y) for i, x in enumerate(names) for y in names[i + 1 :])
    g.add_edge("a0", "b0")
    g.add_node("loner")
    for n in g:
        g.nodes[n]["label"] = f"Official {n.upper()}"
    return g


def test_community_layout_keeps_groups_apart() -> None:
    g = two_cliques()
    groups = [[f"a{i}" for i in range(8)], [f"b{i}" for i in range(5)], ["loner"]]
    pos = community_layout(g, groups)
    assert set(pos) == set(g)

    def spread(names: list[str]) -> tuple[float, float, float, float]:
        xs, ys = [pos[n][0] for n in names], [pos[n][1] for n in names]
        return min(xs), max(xs), min(ys), max(ys)

    a, b = spread(groups[0]), spread(groups[1])
    assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]  # bounding boxes apart


@pytest.mark.parametrize("top", [1, 3, 10])
def test_draw_network_names_only_the_top_officials(top: int) -> None:
    g = two_cliques()
    fig = draw_network(g, top=top)
    labels = [t for t in fig.axes[0].texts if isinstance(t, Annotation)]
    assert len(labels) == top
    names = {t.get_text() for t in labels}
    # the most connected of each community is named before the rest
    assert ("Official A0" in names) and (top == 1 or "Official B0" in names)
    boxes = [Text.get_window_extent(t) for t in labels]
    assert not any(x.overlaps(y) for i, x in enumerate(boxes) for y in boxes[i + 1 :])


def test_draw_network_of_an_empty_graph() -> None:
    fig = draw_network(nx.Graph())
    assert len(fig.axes[0].texts) == 0


# ------------------------------------------------------------------ choices


@pytest.fixture
def merged(careers: list[ArticleGraph]) -> nx.MultiDiGraph:
    meeting = article(
        "m1",
        "2024-05-03",
        [
            ("person/vu-an", "chaired", "event/spring-review", None),
            ("person/le-ba", "attended", "event/spring-review", None),
            ("person/ha-cu", "attended", "event/spring-review", None),
            ("person/ha-cu", "spokeAt", "event/budget-talk", None),
            ("person/mai-do", "attended", "event/budget-talk", None),
            ("org/river-board", "implements", "doc/plan-7", None),
            ("org/hill-council", "implements", "doc/plan-7", None),
            ("org/hill-council", "implements", "doc/plan-9", None),
            ("doc/plan-7", "issuedBy", "org/hill-council", None),
        ],
    )
    return to_networkx([*careers, meeting])


def test_choices_come_from_the_data(merged: nx.MultiDiGraph, careers: list[ArticleGraph]) -> None:
    co = coattendance(merged)
    top = choose.most_connected_official(co)
    assert (top.key, top.score) == ("person/ha-cu", 3)
    assert top.iri.endswith("/person/ha-cu") and str(top) == "Ha Cu (met 3 other officials)"
    assert choose.most_implemented_document(merged).key == "doc/plan-7"
    assert choose.top_implementer(merged).key == "org/hill-council"
    assert choose.top_issuer(merged).key == "org/hill-council"
    assert choose.busiest_body(merged).key == "org/river-board"
    assert choose.longest_career(careers).key == "person/vu-an"
    far = choose.farthest_official(merged, "person/mai-do")
    assert (far.key, far.score) == ("person/vu-an", 2)  # mai-do, talk, ha-cu, review, vu-an
    assert choose.busiest_months(merged) == ("2024-01", "2024-12")
    assert choose.richest_article([*careers]).doc_id == "a3"


def test_choices_say_what_the_graph_lacks() -> None:
    empty = to_networkx([article("x", None, [("person/a", "memberOf", "org/b", None)])])
    with pytest.raises(QueryError, match="no implemented document"):
        choose.most_implemented_document(empty)
    with pytest.raises(QueryError, match="1 official"):
        choose.most_connected_official(
            coattendance(
                to_networkx([article("y", None, [("person/a", "attended", "event/e", None)])])
            ),
            rank=1,
        )
    with pytest.raises(QueryError, match="no meeting"):
        choose.busiest_months(empty)
