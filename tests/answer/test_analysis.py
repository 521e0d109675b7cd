from __future__ import annotations

import json

import matplotlib
import networkx as nx
import pytest
from click.testing import CliRunner

from kg.answer.analysis import (
    Chain,
    betweenness_ranking,
    centrality_table,
    chain_graph,
    communities,
    count_chains,
    degree_ranking,
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
    """A co-attendance graph of invented officials: (a, b, meetings of two they shared)."""
    g = nx.Graph()
    for a, b, w in edges:
        for n in (a, b):
            g.add_node(n, type="Person", label=n.upper())
        g.add_edge(a, b, weight=float(w), meetings=w)
    return g


def _star_with_tail() -> nx.Graph:
    # hub h met a, b, c; c also met t, who met nobody else: h and c are the bridges
    return _people([("h", "a", 1), ("h", "b", 1), ("h", "c", 3), ("c", "t", 1)])


def _meetings(*meetings: str) -> nx.MultiDiGraph:
    """The full graph of meetings of invented officials, one letter each: "abc" is a meeting."""
    g = nx.MultiDiGraph()
    for i, names in enumerate(meetings):
        g.add_node(f"e/{i}", type="Event", label=f"meeting {i}", date=f"2024-06-{i + 1:02d}")
        for n in names:
            g.add_node(f"p/{n}", type="Person", label=n.upper())
            g.add_edge(f"p/{n}", f"e/{i}", key="attended" if i else "chaired")
    return g


#: a meeting of six (a-f); x met a twice alone, then y and z once each
CROWD = ("abcdef", "xa", "xa", "xy", "xz")


def test_analysis_degree_ranking_counts_people_or_meetings() -> None:
    g = _star_with_tail()
    assert [(r.node, r.score, r.rank, r.tied) for r in degree_ranking(g, weight=None)] == [
        ("h", 3, 1, False),
        ("c", 2, 2, False),
        ("a", 1, 3, True),
        ("b", 1, 3, True),
        ("t", 1, 3, True),
    ]
    assert [(r.node, r.score) for r in degree_ranking(g, top=2)] == [("h", 5), ("c", 4)]
    assert degree_ranking(g)[0].label == "H"
    assert [str(r) for r in degree_ranking(g)[2:]] == ["3= A (1)", "3= B (1)", "3= T (1)"]


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        # Newman: one per meeting attended with others, whatever its size
        ("weight", [("x", 4, 1), ("a", 3, 2), *((n, 1, 3) for n in "bcdefyz")]),
        # every shared meeting once per co-attendee: the meeting of six counts 5 times
        ("meetings", [("a", 7, 1), *((n, 5, 2) for n in "bcdef"), ("x", 4, 7), ("y", 1, 8)]),
        (None, [("a", 6, 1), *((n, 5, 2) for n in "bcdef"), ("x", 3, 7), ("y", 1, 8)]),
    ],
)
def test_analysis_degree_ranking_weightings_on_a_known_graph(
    weight: str | None, expected: list[tuple[str, float, int]]
) -> None:
    co = coattendance(_meetings(*CROWD))
    got = [(r.node[2:], r.score, r.rank) for r in degree_ranking(co, weight=weight)]
    assert got[: len(expected)] == [(n, pytest.approx(s), k) for n, s, k in expected]


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
    rows = centrality_table(_star_with_tail(), top=4, by="betweenness")
    assert [(r["rank"], r["key"], r["co_attendees"], r["meetings"]) for r in rows] == [
        ("1", "h", 3, 5),
        ("2", "c", 2, 4),
        ("3=", "a", 1, 1),  # a, b and t never lie between two others
        ("3=", "b", 1, 1),
    ]
    assert rows[0]["betweenness"] == round(5 / 6, 3)
    assert {r["community"] for r in rows} <= {0, 1}
    with pytest.raises(ValueError, match="cannot rank by 'fame'"):
        centrality_table(_star_with_tail(), by="fame")


def test_analysis_centrality_table_shows_newman_scores_and_ties() -> None:
    rows = centrality_table(coattendance(_meetings(*CROWD)), top=None)
    assert [r["rank"] for r in rows] == ["1", "2", *["3="] * 7]
    assert [(r["official"], r["newman"], r["meetings"], r["co_attendees"]) for r in rows[:3]] == [
        ("X", 4.0, 4, 3),
        ("A", 3.0, 7, 6),
        ("B", 1.0, 5, 5),  # among equals: betweenness (all 0 here), then name
    ]
    by_degree = centrality_table(coattendance(_meetings(*CROWD)), top=None, by="degree")
    assert [(r["rank"], r["official"]) for r in by_degree[:3]] == [
        ("1", "A"),
        ("2=", "B"),
        ("2=", "C"),
    ]


def _full_graph() -> nx.MultiDiGraph:
    """Persons, a meeting and bodies, with predicates as the store has them."""
    g = nx.MultiDiGraph()
    nodes = {
        "p/an": ("Person", "An Van Le", "An|Comrade An"),
        "p/bao": ("Person", "Bao Thi Vo", ""),
        "p/cuong": ("Person", "Cuong Duc Ha", ""),
        "p/dung": ("Person", "Dung Van Ho", ""),
        "p/em": ("Person", "Em Thi Ta", ""),
        "p/hai": ("Person", "Hai Van Do", ""),
        "e/1": ("Event", "review meeting", ""),
        "o/x": ("Organization", "Board X", ""),
        "o/y": ("Organization", "Board Y", ""),
        "d/1": ("Document", "Plan No. 1-KH/X", ""),
    }
    for key, (t, label, aliases) in nodes.items():
        g.add_node(key, type=t, label=label, aliases=aliases)
    g.nodes["e/1"]["date"] = "2024-03-11"
    for s, o, p in [
        ("p/an", "e/1", "chaired"),
        ("p/bao", "e/1", "spokeAt"),
        ("p/bao", "o/x", "headOf"),
        ("p/cuong", "o/x", "memberOf"),
        ("p/cuong", "o/y", "memberOf"),
        ("p/hai", "o/x", "memberOf"),  # a second way from Board X to Board Y
        ("p/hai", "o/y", "memberOf"),
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


AN_DUNG = [
    "An Van Le -[review meeting, 2024-03-11]- Bao Thi Vo -[Board X]- Cuong Duc Ha -[Board Y]- "
    "Dung Van Ho",
    "An Van Le -[review meeting, 2024-03-11]- Bao Thi Vo -[Board X]- Hai Van Do -[Board Y]- "
    "Dung Van Ho",
]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("An Van Le", "Bao Thi Vo", ["An Van Le -[review meeting, 2024-03-11]- Bao Thi Vo"]),
        # Bao, Board X, Hai, Board Y, Cuong also links them, but is a link longer
        (
            "An",
            "p/cuong",
            ["An Van Le -[review meeting, 2024-03-11]- Bao Thi Vo -[Board X]- Cuong Duc Ha"],
        ),
        ("comrade an", "p/dung", AN_DUNG),
        (
            "Dung Van Ho",
            "Bao Thi Vo",
            [
                "Dung Van Ho -[Board Y]- Cuong Duc Ha -[Board X]- Bao Thi Vo",
                "Dung Van Ho -[Board Y]- Hai Van Do -[Board X]- Bao Thi Vo",
            ],
        ),
    ],
)
def test_analysis_shortest_chain_lists_the_shortest_chains_as_names(
    a: str, b: str, expected: list[str]
) -> None:
    chains = shortest_chain(_full_graph(), a, b)
    assert [c.text for c in chains] == expected
    assert len({c.links for c in chains}) == 1
    assert count_chains(_full_graph(), a, b) == len(expected)


def test_analysis_shortest_chain_keeps_keys_and_is_bounded() -> None:
    g = _full_graph()
    (first,) = shortest_chain(g, "An Van Le", "Dung Van Ho", limit=1)
    assert first.links == 3
    assert first.nodes == ("p/an", "e/1", "p/bao", "o/x", "p/cuong", "o/y", "p/dung")
    assert str(first) == first.text == AN_DUNG[0]  # the first by name
    assert format_chain(g, first.nodes) == first.text
    assert shortest_chain(g, "An", "An Van Le") == [Chain(("p/an",), "An Van Le")]


def test_analysis_shortest_chain_bound_on_many_chains() -> None:
    # twelve officials each met both a and b: twelve shortest chains of two links
    g = _meetings(*(f"a{n}" for n in "cdefghijklmn"), *(f"{n}b" for n in "cdefghijklmn"))
    assert count_chains(g, "A", "B") == 12
    chains = shortest_chain(g, "A", "B", limit=5)
    every = [
        f"A -[meeting {i}, 2024-06-{i + 1:02d}]- {n} -[meeting {i + 12}, 2024-06-{i + 13:02d}]- B"
        for i, n in enumerate("CDEFGHIJKLMN")
    ]
    assert [c.text for c in chains] == sorted(every)[:5]  # the first five by text


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
    text = "An Van Le -[review meeting, 2024-03-11]- Bao Thi Vo"
    assert format_chain(g, ["p/an", "e/1", "p/bao"]) == text
    g.nodes["e/1"]["label"] = "review meeting of 2024-03-11"  # the date is not repeated
    assert (
        format_chain(g, ["p/an", "e/1", "p/bao"])
        == "An Van Le -[review meeting of 2024-03-11]- Bao Thi Vo"
    )
    chains = shortest_chain(g, "An Van Le", "Dung Van Ho")
    assert format_chain(g, chains) == "\n".join(c.text for c in chains)


def test_analysis_report_says_what_it_ranks_by_and_shows_ties() -> None:
    g = _meetings(*CROWD)
    text = report(g, top=3)
    assert "officials ranked by Newman-weighted degree (sum over shared meetings of 1/(n-1)" in text
    lines = text.splitlines()
    first = lines.index(
        next(line for line in lines if line.startswith("officials ranked by Newman"))
    )
    assert lines[first + 1].split() == [
        "rank",
        "official",
        "newman",
        "meetings",
        "co_attendees",
        "betweenness",
        "community",
        "key",
    ]
    assert [line.split()[:3] for line in lines[first + 3 : first + 6]] == [
        ["1", "X", "4.0"],
        ["2", "A", "3.0"],
        ["3=", "B", "1.0"],
    ]
    assert lines[first + 6] == "  ... and 6 more official(s) tied at rank 3="
    assert "communities (greedy modularity on Newman weights):" in text
    by_degree = report(g, top=3, rank_by="degree")
    assert "officials ranked by unweighted degree (distinct co-attendees):" in by_degree
    assert "  ... and 3 more official(s) tied at rank 2=" in by_degree
    assert "officials ranked by meetings count" in report(g, rank_by="meetings")
    with pytest.raises(ValueError, match="rank_by 'fame'"):
        report(g, rank_by="fame")


def test_analysis_report_lists_the_shortest_chains() -> None:
    text = report(_full_graph(), path=("An", "Dung Van Ho"), chains=1)
    assert "2 shortest chain(s) of 3 link(s) between An Van Le and Dung Van Ho (1 shown):" in text
    assert text.endswith("\n  " + AN_DUNG[0] + "\n")
    assert "p/" not in text.split("shortest chain(s)")[1]  # names, not keys


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
    assert all(d["meetings"] == 1 and d["weight"] == 0.5 for *_, d in co.edges(data=True))


def test_analysis_report_from_the_store(two_articles: KgStore) -> None:
    text = report(load_graph(two_articles), top=2, path=("Trinh Thi Lan", "Dao Minh Tuan"))
    assert "co-attendance graph: 3 officials, 3 pairs who met" in text
    assert "officials ranked by betweenness" in text
    assert (
        "1 shortest chain(s) of 1 link(s) between Trịnh Thị Lan and Dao Minh Tuan:\n"
        "  Trịnh Thị Lan -[conference, 2024-03-11]- Dao Minh Tuan\n"
    ) in text


def test_analysis_cli_analyze(two_articles: KgStore) -> None:
    store_dir = str(two_articles.path)
    two_articles.close()
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["analyze", "--store", store_dir, "--top", "3", "--path", "trinh thi lan", "Dao Minh Tuan"],
    )
    assert result.exit_code == 0, result.output
    assert "1 shortest chain(s) of 1 link(s)" in result.output
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
