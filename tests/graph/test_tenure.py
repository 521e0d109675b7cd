"""Posts as intervals: start words at extraction, kg:startDate in RDF, GEXF intervals.

Every name is invented; the articles are short texts written for these tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import networkx as nx
import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import XSD

from kg.answer.export import write_gexf
from kg.graph.nxview import person_body, tenure, to_networkx
from kg.graph.rdf import from_rdf, to_dataset
from kg.model import Article, ArticleGraph, Entity, Relation
from kg.vocab import KG

BODY = "Kon Tum Provincial Party Committee"


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        (f"Nguyen Van Thanh was elected Secretary of the {BODY}.", True),
        (f"Nguyen Van Thanh was re-elected Secretary of the {BODY}.", True),
        (f"Nguyen Van Thanh was appointed Deputy Secretary of the {BODY}.", True),
        (f"The newly appointed Secretary of the {BODY} Nguyen Van Thanh spoke.", True),
        (f"Nguyen Van Thanh took over as Secretary of the {BODY}.", True),
        (f"Nguyen Van Thanh assumed the post of Secretary of the {BODY}.", True),
        (f"Secretary of the {BODY} Nguyen Van Thanh spoke.", False),
        (f"Nguyen Van Thanh will continue to serve as Secretary of the {BODY}.", False),
    ],
)
def test_tenure_start_words_mark_the_post(
    extract_text: Callable[..., ArticleGraph], text: str, starts: bool
) -> None:
    graph = extract_text(text, date="2020-03-01")
    posts = [r for r in graph.relations if r.predicate in ("memberOf", "headOf")]
    assert [graph.entity(r.subject).name for r in posts] == ["Nguyen Van Thanh"]
    assert posts[0].starts is starts


@pytest.mark.parametrize(
    "text",
    [
        f"Former Secretary of the {BODY} Nguyen Van Thanh attended.",
        f"The late Secretary of the {BODY} Nguyen Van Thanh was remembered.",
        f"Then-Secretary of the {BODY} Nguyen Van Thanh spoke.",
    ],
)
def test_tenure_past_markers_state_no_post(
    extract_text: Callable[..., ArticleGraph], text: str
) -> None:
    graph = extract_text(text, date="2020-03-01")
    assert not [r for r in graph.relations if r.predicate in ("memberOf", "headOf")]


def _graph(doc: str, date: str | None, person: str, starts: bool = False) -> ArticleGraph:
    """One article stating that ``person`` heads the Song Lam Ward Committee."""
    return ArticleGraph(
        Article(doc, "", date=date),
        (
            Entity("e1", "Person", person, f"person/{person.lower().replace(' ', '-')}"),
            Entity("e2", "Organization", "Song Lam Ward Committee", "org/song-lam-ward-committee"),
        ),
        (Relation("e1", "headOf", "e2", title="Chairman", starts=starts),),
    )


def test_tenure_relation_json_is_unchanged_without_a_start() -> None:
    rel = Relation("e1", "headOf", "e2", title="Chairman")
    assert "starts" not in rel.to_dict()
    started = Relation("e1", "headOf", "e2", title="Chairman", starts=True)
    assert started.to_dict()["starts"] is True
    assert Relation.from_dict(started.to_dict()) == started


def _start_dates(ds: Dataset) -> list[Literal]:
    return [o for _, _, o, _ in ds.quads((None, KG.startDate, None, None))]


def test_tenure_start_date_in_rdf_and_back() -> None:
    graphs = [_graph("a1.txt", "2020-03-01", "Mai Van Ut", starts=True)]
    ds = to_dataset(graphs)
    assert _start_dates(ds) == [Literal("2020-03-01", datatype=XSD.date)]
    assert from_rdf(ds) == graphs
    # stated without a start word: no start date
    assert not _start_dates(to_dataset([_graph("a2.txt", "2020-03-01", "Mai Van Ut")]))


def _two_heads() -> list[ArticleGraph]:
    return [
        _graph("a1.txt", "2020-03-01", "Mai Van Ut", starts=True),
        _graph("a2.txt", "2021-05", "Mai Van Ut"),
        _graph("a3.txt", "2022-06-10", "Kha Thi Le"),
    ]


def test_tenure_membership_edges_carry_intervals() -> None:
    g = to_networkx(_two_heads())
    first = g.edges["person/mai-van-ut", "org/song-lam-ward-committee", "headOf"]
    second = g.edges["person/kha-thi-le", "org/song-lam-ward-committee", "headOf"]
    assert (first["start"], first["end"], first["start_stated"], first["end_known"]) == (
        "2020-03-01",
        "2022-06-10",
        True,
        True,
    )
    assert (second["start"], second["end"], second["end_known"]) == (
        "2022-06-10",
        "2022-06-10",
        False,
    )
    pb = person_body(g)
    assert pb.edges["person/mai-van-ut", "org/song-lam-ward-committee"]["end"] == "2022-06-10"


def test_tenure_of_a_post_not_a_headship_ends_when_last_seen() -> None:
    assert tenure({"2020", "2021-05"}, set(), None, {"2020-06-01"}) == {
        "start": "2020-01-01",
        "end": "2021-05-31",
        "start_stated": False,
        "end_known": False,
    }


@pytest.mark.parametrize("view", [to_networkx, lambda gs: person_body(to_networkx(gs))])
def test_tenure_gexf_membership_edges_have_start_and_end(
    view: Callable[[list[ArticleGraph]], nx.Graph],
) -> None:
    buf = io.BytesIO()
    write_gexf(view(_two_heads()), buf)
    text = buf.getvalue().decode()
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    back = nx.read_gexf(io.BytesIO(buf.getvalue()))
    # each person has one post, in the one body: key the intervals by the person
    spans = {
        min(u, v, key=lambda n: not n.startswith("person/")): (d.get("start"), d.get("end"))
        for u, v, d in back.edges(data=True)
    }
    assert spans == {
        "person/mai-van-ut": ("2020-03-01", "2022-06-10"),
        "person/kha-thi-le": ("2022-06-10", "2022-06-10"),
    }
