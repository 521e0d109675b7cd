from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.graph.build import ingest
from kg.graph.nxview import VIEWS, body_document, coattendance, person_body, to_networkx, view
from kg.graph.rdf import from_rdf
from kg.graph.store import KgStore
from kg.model import Article, ArticleGraph, Entity, Relation

BINH, LAN, TUAN = "person/hoang-van-binh", "person/trinh-thi-lan", "person/dao-minh-tuan"
EVENT, PLACE = "event/2024-03-11/song-lam", "place/song-lam"
PPC = "org/song-lam-provincial-party-committee"
DEPT = "org/song-lam-department-of-public-security"
DOC = "doc/07-nq-tu/2021"


@pytest.fixture
def full(tiny_graph: ArticleGraph, second_graph: ArticleGraph) -> nx.MultiDiGraph:
    return to_networkx([tiny_graph, second_graph])


def _simple(value: object) -> bool:
    return type(value) in (str, int, float, bool)


def test_nxview_one_node_per_key_across_articles(full: nx.MultiDiGraph) -> None:
    assert set(full) == {BINH, LAN, TUAN, EVENT, PLACE, PPC, DEPT, DOC}
    binh = full.nodes[BINH]
    assert binh["type"] == "Person"
    assert binh["label"] == "Hoàng Văn Bình"  # tie between spellings: first article wins
    assert "Hoang Van Binh" in binh["aliases"].split("|")
    assert binh["articles"] == 2
    assert binh["iri"] == "https://kg.example.org/id/person/hoang-van-binh"


def test_nxview_edges_merge_across_articles(full: nx.MultiDiGraph) -> None:
    # 8 relations in t001, 5 in t002, one (event heldIn place) stated by both
    assert full.number_of_edges() == 12
    held = full.edges[EVENT, PLACE, "heldIn"]
    assert held["weight"] == 2
    assert held["docs"] == "t001.txt|t002.txt"
    assert held["first_seen"] == "2024-03-12" and held["last_seen"] == "2024-03-13"
    assert full.edges[BINH, PPC, "headOf"]["titles"] == "Secretary"


def test_nxview_event_dates_become_intervals(full: nx.MultiDiGraph) -> None:
    event = full.nodes[EVENT]
    assert (event["date"], event["start"], event["end"]) == ("2024-03-11",) * 3
    assert full.edges[BINH, EVENT, "chaired"]["start"] == "2024-03-11"
    assert "start" not in full.nodes[DOC]  # documents keep their date, not an interval
    assert full.nodes[DOC]["date"] == "2021-05"
    assert full.nodes[DOC]["code"] == "07-NQ/TU"


@pytest.mark.parametrize("name", list(VIEWS))
def test_nxview_attributes_are_gephi_safe(
    name: str, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    g = view([tiny_graph, second_graph], name)
    for _, data in g.nodes(data=True):
        assert "type" in data and "label" in data
        assert all(_simple(v) for v in data.values())
    for *_, data in g.edges(data=True):
        # Newman's co-attendance weight is a fraction; the other views count articles
        assert type(data["weight"]) is (float if name == "coattendance" else int)
        assert all(_simple(v) for v in data.values())


def test_nxview_coattendance_counts_shared_events(full: nx.MultiDiGraph) -> None:
    co = coattendance(full)
    # chaired and spokeAt count as attending (from the ontology)
    assert set(co) == {BINH, LAN, TUAN}
    # one meeting of three: each pair shared 1 meeting, weighted 1/(3-1)
    assert co.edges[BINH, LAN]["meetings"] == 1
    assert co.edges[BINH, LAN]["weight"] == 0.5
    assert co.edges[BINH, TUAN]["events"] == EVENT


def test_nxview_coattendance_counts_meetings_of_a_pair_across_articles() -> None:
    people = (Entity("p1", "Person", "An", "person/an"), Entity("p2", "Person", "Ba", "person/ba"))
    graphs = [
        ArticleGraph(
            Article(f"{n}.txt", "", date=f"2024-0{n}-02"),
            (
                *people,
                Entity("ev", "Event", "session", f"event/2024-0{n}-01", date=f"2024-0{n}-01"),
            ),
            (Relation("p1", "chaired", "ev"), Relation("p2", "attended", "ev")),
        )
        for n in (1, 2)
    ]
    co = coattendance(to_networkx(graphs))
    edge = co.edges["person/an", "person/ba"]
    assert edge["meetings"] == 2
    assert edge["weight"] == 2.0  # two meetings of two: 1/(2-1) each
    assert (edge["start"], edge["end"]) == ("2024-01-01", "2024-02-01")


def _meetings(*meetings: tuple[str, ...]) -> nx.MultiDiGraph:
    """One article per meeting of invented officials (lower-case names), merged."""
    graphs = []
    for i, names in enumerate(meetings):
        people = tuple(Entity(n, "Person", n.title(), f"person/{n}") for n in names)
        event = Entity("ev", "Event", f"meeting {i}", f"event/m{i}", date=f"2024-05-{i + 1:02d}")
        rels = tuple(Relation(n, "attended" if j else "chaired", "ev") for j, n in enumerate(names))
        graphs.append(ArticleGraph(Article(f"m{i}.txt", ""), (*people, event), rels))
    return to_networkx(graphs)


def test_nxview_coattendance_newman_weights() -> None:
    # a meeting of two and a meeting of five share the pair (an, ba)
    co = coattendance(_meetings(("an", "ba"), ("an", "ba", "cu", "di", "em")))
    an_ba = co.edges["person/an", "person/ba"]
    assert (an_ba["meetings"], an_ba["weight"]) == (2, 1 + 1 / 4)
    assert an_ba["events"] == "event/m0|event/m1"
    cu_di = co.edges["person/cu", "person/di"]
    assert (cu_di["meetings"], cu_di["weight"]) == (1, 0.25)
    # each meeting adds 1 to each participant's weighted degree, whatever its size
    strength = dict(co.degree(weight="weight"))
    assert strength == pytest.approx(
        {"person/an": 2, "person/ba": 2, "person/cu": 1, "person/di": 1, "person/em": 1}
    )
    assert dict(co.degree(weight="meetings"))["person/cu"] == 4


def test_nxview_coattendance_large_meeting_does_not_outweigh_small_ones() -> None:
    crowd = tuple(f"p{i:02d}" for i in range(28))
    co = coattendance(_meetings(crowd, ("p00", "xa"), ("xa", "yb"), ("xa", "yb", "zc")))
    assert co.edges["person/p01", "person/p02"]["weight"] == pytest.approx(1 / 27)
    strength = dict(co.degree(weight="weight"))
    assert strength["person/xa"] == pytest.approx(3)
    assert strength["person/p01"] == pytest.approx(1)
    assert strength["person/p00"] == pytest.approx(2)
    # unweighted degree says the opposite: the crowd met 27 officials each
    assert co.degree("person/p01") == 27 and co.degree("person/xa") == 3


def test_nxview_coattendance_round_trips_graphml_and_gexf(tmp_path: Path) -> None:
    co = coattendance(_meetings(("an", "ba"), ("an", "ba", "cu")))
    nx.write_graphml(co, tmp_path / "co.graphml")
    nx.write_gexf(co, tmp_path / "co.gexf")
    for back in (nx.read_graphml(tmp_path / "co.graphml"), nx.read_gexf(tmp_path / "co.gexf")):
        edge = back.edges["person/an", "person/ba"]
        assert edge["weight"] == pytest.approx(1.5)
        assert int(edge["meetings"]) == 2


def test_nxview_person_body(full: nx.MultiDiGraph) -> None:
    pb = person_body(full)
    assert {frozenset(e) for e in pb.edges} == {
        frozenset(e) for e in [(BINH, PPC), (LAN, PPC), (TUAN, DEPT)]
    }
    assert pb.edges[BINH, PPC]["head"] is True
    assert pb.edges[LAN, PPC]["head"] is False
    assert pb.edges[LAN, PPC]["titles"] == "Deputy Secretary"


def test_nxview_body_document(full: nx.MultiDiGraph) -> None:
    bd = body_document(full)
    assert set(bd) == {PPC, DOC}
    assert bd.edges[PPC, DOC]["predicates"] == "implements|issuedBy"


def test_nxview_unknown_view(tiny_graph: ArticleGraph) -> None:
    with pytest.raises(ValueError, match="unknown view"):
        view([tiny_graph], "ego")


def test_nxview_of_the_store_agrees_with_sparql(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph, second_graph], store)
    g = to_networkx(from_rdf(store.quads()))
    assert nx.utils.graphs_equal(g, to_networkx([tiny_graph, second_graph]))
    rows = store.query(
        "PREFIX kg: <https://kg.example.org/ontology#>\n"
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "SELECT DISTINCT ?s ?p ?o WHERE { "
        "?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . ?s ?p ?o }"
    ).rows
    base = "https://kg.example.org/id/"
    stated = {(str(s)[len(base) :], str(o)[len(base) :], str(p).split("#")[1]) for s, p, o in rows}
    assert stated == set(g.edges(keys=True))
