"""Confidence in the graph: kept per statement in RDF, combined over articles in NetworkX."""

from rdflib import Dataset

from kg.graph.nxview import confident, to_networkx
from kg.graph.rdf import from_rdf, to_quads
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation


def _article(doc: str, confidence: float) -> ArticleGraph:
    ev = Evidence("Ha Van Loc heads the board.", 0, 27, "title-apposition")
    return ArticleGraph(
        Article(doc, "Ha Van Loc heads the board.", date="2024-05-02"),
        (
            Entity("e1", "Person", "Ha Van Loc", "person/ha-van-loc"),
            Entity("e2", "Organization", "Tea Board", "org/tea-board"),
        ),
        (Relation("e1", "headOf", "e2", ev, "Head", confidence),),
    )


def test_confidence_round_trips_through_rdf() -> None:
    ds = Dataset()
    for q in to_quads(_article("a.txt", 0.812)):
        ds.add(q)
    (back,) = from_rdf(ds.quads())
    assert back.relations[0].confidence == 0.812


def test_confidence_combined_over_articles_and_filtered() -> None:
    g = to_networkx([_article("a.txt", 0.6), _article("b.txt", 0.5)])
    data = g.edges["person/ha-van-loc", "org/tea-board", "headOf"]
    assert data["confidence"] == 0.8  # 1 - 0.4 * 0.5
    assert confident(g, 0.75).number_of_edges() == 1
    assert confident(g, 0.85).number_of_edges() == 0
