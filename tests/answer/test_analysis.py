from __future__ import annotations

import json

import matplotlib
import networkx as nx
import pytest
from click.testing import CliRunner

from kg.answer.analysis import (
    betweenness_ranking,
    centrality_table,
    chain_graph,
    communities,
    degree_ranking,
    draw_graph,
    find_node,
    format_chain,
    load_graph,
    report,
    shortest_chain,
)
from kg.cli import cli
from kg.errors import QueryError
from kg.graph.build import ingest
from kg.graph.nxview import coattendance
from kg.graph.store import KgStore
from kg.model import ArticleGraph

matplotlib.use("Agg")

BINH, LAN, TUAN = "person/hoang-van-binh", "person/trinh-thi-lan", "person/dao-minh-tuan"


def _people(edges: list[tuple[str, str, int]]) -> nx.Graph:
    """A co-attendance graph of invented officials: (a, b, shared meetings)."""
    g = nx.Graph()
    for a, b, w in edges:
        for n in (a, b):
            g.add_node(n, type="Person", label=n.upper())
        g.add_edge(a, b, weight=w)
    return g


def _star_with_tail() -> nx.Graph:
    # hub h met a, b, c; c also met t, who met nobody else: h and c are the bridges
    return _people([("h", "a", 1), ("h", "b", 1), ("h", "c", 3), ("c", "t", 1)])


def test_analysis_degree_ranking_counts_people_or_meetings() -> None:
    g = _star_with_tail()
    assert [(r.node, r.score) for r in degree_ranking(g)] == [
        ("h", 3),
        ("c", 2),
        ("a", 1),
        ("b", 1),
        ("t", 1),
    ]
    assert [(r.node, r.score) for r in degree_ranking(g, top=2, weight="weight")] == [
        ("h", 5),
        ("c", 4),
    ]
    assert degree_ranking(g)[0].label == "H"


def test_analysis_betweenness_on_a_star_with_a_tail() -> None:
    # h lies on the shortest paths a-b, a-c, a-t, b-c, b-t; c on a-t, b-t, h-t
    ranking = betweenness_ranking(_star_with_tail(), normalized=False)
    assert [(r.node, r.score) for r in ranking] == [
        ("h", 5.0),
        ("c", 3.0),
        ("a", 0.0),
        ("b", 0.0),
        ("t", 0.0),
    ]
    normalized = betweenness_ranking(_star_with_tail(), top=1)
    assert normalized[0].score == pytest.approx(5.0 / 6.0)


def test_analysis_communities_split_two_cliques_joined_by_one_edge() -> None:
    g = _people(
        [("a", "b", 2), ("b", "c", 2), ("a", "c", 2), ("x", "y", 2), ("y", "z", 2)]
        + [("x", "z", 2), ("c", "x", 1)]
    )
    g.add_node("lone", type="Person", label="LONE")
    assert communities(g) == [["a", "b", "c"], ["x", "y", "z"], ["lone"]]
    assert communities(nx.Graph()) == []


def test_analysis_centrality_table_ranks_and_groups() -> None:
    rows = centrality_table(_star_with_tail(), top=3, by="betweenness")
    assert [(r["key"], r["co_attendees"], r["shared_meetings"]) for r in rows] == [
        ("h", 3, 5),
        ("c", 2, 4),
        ("a", 1, 1),
    ]
    assert rows[0]["betweenness"] == round(5 / 6, 3)
    assert {r["community"] for r in rows} <= {0, 1}
    with pytest.raises(ValueError, match="cannot rank by"):
        centrality_table(_star_with_tail(), by="fame")


def _full_graph() -> nx.MultiDiGraph:
    """Persons, a meeting and bodies, with predicates as the store has them."""
    g = nx.MultiDiGraph()
    nodes = {
        "p/an": ("Person", "An Van Le", "An|Comrade An"),
        "p/bao": ("Person", "Bao Thi Vo", ""),
        "p/cuong": ("Person", "Cuong Duc Ha", ""),
        "p/dung": ("Person", "Dung Van Ho", ""),
        "p/em": ("Person", "Em Thi Ta", ""),
        "e/1": ("Event", "review meeting", ""),
        "o/x": ("Organization", "Board X", ""),
        "o/y": ("Organization", "Board Y", ""),
        "d/1": ("Document", "Plan No. 1-KH/X", ""),
    }
    for key, (t, label, aliases) in nodes.items():
        g.add_node(key, type=t, label=label, aliases=aliases)
    for s, o, p in [
        ("p/an", "e/1", "chaired"),
        ("p/bao", "e/1", "spokeAt"),
        ("p/bao", "o/x", "headOf"),
        ("p/cuong", "o/x", "memberOf"),
        ("p/cuong", "o/y", "memberOf"),
        ("p/dung", "o/y", "headOf"),
        ("o/x", "d/1", "implements"),  # not a link between officials
        ("o/y", "d/1", "implements"),
    ]:
        g.add_edge(s, o, key=p, predicate=p)
    return g


def test_analysis_chain_graph_keeps_attendance_and_membership_only() -> None:
    chains = chain_graph(_full_graph())
    assert "d/1" not in chains and "p/em" not in chains
    assert chains.edges["p/bao", "o/x"]["predicates"] == "headOf"
    assert nx.is_bipartite(chains)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("An Van Le", "Bao Thi Vo", ["p/an", "e/1", "p/bao"]),
        ("comrade an", "p/dung", ["p/an", "e/1", "p/bao", "o/x", "p/cuong", "o/y", "p/dung"]),
        ("Dung Van Ho", "An", ["p/dung", "o/y", "p/cuong", "o/x", "p/bao", "e/1", "p/an"]),
    ],
)
def test_analysis_shortest_chain_follows_meetings_and_bodies(
    a: str, b: str, expected: list[str]
) -> None:
    assert shortest_chain(_full_graph(), a, b) == expected


def test_analysis_shortest_chain_reports_strangers_and_unknowns() -> None:
    g = _full_graph()
    with pytest.raises(QueryError, match="no chain of shared meetings or bodies links"):
        shortest_chain(g, "An Van Le", "Em Thi Ta")
    with pytest.raises(QueryError, match="no Person named 'Nobody'"):
        shortest_chain(g, "An Van Le", "Nobody")


def test_analysis_find_node_prefers_labels_and_reports_ties() -> None:
    g = _full_graph()
    g.add_node("p/an2", type="Person", label="An Thi Le", aliases="An")
    assert find_node(g, "AN VAN LE") == "p/an"
    with pytest.raises(QueryError, match="several Persons: p/an, p/an2"):
        find_node(g, "An")
    assert find_node(g, "board x", node_type="Organization") == "o/x"


def test_analysis_format_chain() -> None:
    g = _full_graph()
    assert format_chain(g, ["p/an", "e/1", "p/bao"]) == "An Van Le -[review meeting]- Bao Thi Vo"


# ---------------------------------------------------------------- from the store


@pytest.fixture
def two_articles(store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph) -> KgStore:
    ingest([tiny_graph, second_graph], store)
    return store


def test_analysis_load_graph_agrees_with_the_articles(two_articles: KgStore) -> None:
    co = coattendance(load_graph(two_articles))
    # one meeting: Binh chaired (t001) and attended (t002), Lan spoke, Tuan attended
    assert set(co) == {BINH, LAN, TUAN}
    assert co.number_of_edges() == 3
    assert all(d["weight"] == 1 for *_, d in co.edges(data=True))


def test_analysis_report_from_the_store(two_articles: KgStore) -> None:
    text = report(load_graph(two_articles), top=2, path=("Trinh Thi Lan", "Dao Minh Tuan"))
    assert "co-attendance graph: 3 officials, 3 pairs who met" in text
    assert "officials by betweenness" in text
    assert "shortest chain (1 link(s)):\n  Trịnh Thị Lan -[conference]- Dao Minh Tuan" in text


def test_analysis_draw_graph(two_articles: KgStore) -> None:
    co = coattendance(load_graph(two_articles))
    ax = draw_graph(co, labels=2)
    assert len(ax.texts) == 2
    assert len(ax.collections) == 2  # edges and nodes


def test_analysis_cli_analyze(two_articles: KgStore) -> None:
    store_dir = str(two_articles.path)
    two_articles.close()
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["analyze", "--store", store_dir, "--top", "3", "--path", "trinh thi lan", "Dao Minh Tuan"],
    )
    assert result.exit_code == 0, result.output
    assert "shortest chain (1 link(s))" in result.output
    bad = runner.invoke(cli, ["analyze", "--store", store_dir, "--path", "Trinh Thi Lan", "Nobody"])
    assert bad.exit_code == 1
    assert "no Person named 'Nobody'" in bad.output


def test_analysis_cli_query(two_articles: KgStore) -> None:
    store_dir = str(two_articles.path)
    two_articles.close()
    runner = CliRunner()
    listed = runner.invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0 and "co_attendees  ?person:Person" in listed.output
    result = runner.invoke(
        cli,
        [
            "query",
            "co_attendees",
            "-p",
            "person=Trịnh Thị Lan",
            "--store",
            store_dir,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["official"] for r in rows] == ["Dao Minh Tuan", rows[1]["official"]]
    assert rows[1]["official"] in ("Hoàng Văn Bình", "Hoang Van Binh")
    missing = runner.invoke(cli, ["query", "co_attendees", "--store", store_dir])
    assert missing.exit_code == 1 and "missing ?person" in missing.output
    usage = runner.invoke(cli, ["query", "co_attendees", "-p", "person", "--store", store_dir])
    assert usage.exit_code == 2
