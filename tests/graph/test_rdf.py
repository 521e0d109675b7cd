from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.graph.rdf import date_literal, from_rdf, ontology_quads, to_dataset, to_quads
from kg.ids import entity_iri, fragment_iri, graph_iri
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation
from kg.vocab import KG, ONTOLOGY_IRI

DATA = Path(__file__).parents[1] / "data"

SMALL_TEXT = (
    "Ms. Vu Thi Hoa chaired the meeting. "
    "She is Chairwoman of the Ky Son District People's Committee."
)


@pytest.fixture
def small_graph() -> ArticleGraph:
    return ArticleGraph(
        Article("x1.txt", SMALL_TEXT, source="x1.txt", date="2024-05-02"),
        (
            Entity(
                "e1", "Person", "Vu Thi Hoa", "person/vu-thi-hoa", ("Ms. Vu Thi Hoa",), ((0, 14),)
            ),
            Entity(
                "e2",
                "Organization",
                "Ky Son District People's Committee",
                "org/ky-son-district-peoples-committee",
                ("Ky Son District People's Committee",),
            ),
            Entity("e3", "Event", "meeting", "event/2024-05-01/ky-son", date="2024-05-01"),
        ),
        (
            Relation(
                "e1",
                "chaired",
                "e3",
                Evidence("Ms. Vu Thi Hoa chaired the meeting.", 0, 35, "test.chair.v1"),
            ),
            Relation("e1", "headOf", "e2", title="Chairwoman"),
        ),
    )


def _triples(graph: ArticleGraph) -> Graph:
    out = Graph()
    for s, p, o, _ in to_quads(graph):
        out.add((s, p, o))
    return out


def _without_text(graph: ArticleGraph) -> ArticleGraph:
    return replace(graph, article=replace(graph.article, text="", skip=()))


def test_rdf_turtle_isomorphic_to_expected(small_graph: ArticleGraph) -> None:
    written = Graph().parse(data=_triples(small_graph).serialize(format="turtle"), format="turtle")
    expected = Graph().parse(DATA / "small_article.ttl", format="turtle")
    if not isomorphic(written, expected):
        _, only_written, only_expected = graph_diff(to_isomorphic(written), to_isomorphic(expected))
        pytest.fail(
            "RDF differs from tests/data/small_article.ttl\nonly written:\n"
            + only_written.serialize(format="nt")
            + "only expected:\n"
            + only_expected.serialize(format="nt")
        )


def test_rdf_round_trip_gives_equal_model(
    tiny_graph: ArticleGraph, second_graph: ArticleGraph, small_graph: ArticleGraph
) -> None:
    graphs = [tiny_graph, second_graph, small_graph]
    back = from_rdf(to_dataset(graphs))
    assert back == sorted((_without_text(g) for g in graphs), key=lambda g: g.doc_id)


def test_rdf_round_trip_through_trig(tiny_graph: ArticleGraph) -> None:
    text = to_dataset([tiny_graph]).serialize(format="trig")
    ds = Dataset()
    ds.parse(data=text, format="trig")
    assert from_rdf(ds) == [_without_text(tiny_graph)]


def test_rdf_one_named_graph_per_article(
    tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    graphs = {g for *_, g in to_quads(tiny_graph)} | {g for *_, g in to_quads(second_graph)}
    assert graphs == {URIRef(graph_iri("t001.txt")), URIRef(graph_iri("t002.txt"))}


def test_rdf_same_person_is_one_node_across_articles(
    tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    # "Hoàng Văn Bình" in one article, "Hoang Van Binh" in the other
    ds = to_dataset([tiny_graph, second_graph])
    person = URIRef(entity_iri("person/hoang-van-binh"))
    in_graphs = {str(g) for _, _, _, g in ds.quads((person, RDF.type, KG.Person, None))}
    assert in_graphs == {graph_iri("t001.txt"), graph_iri("t002.txt")}
    event = URIRef(entity_iri("event/2024-03-11/song-lam"))
    attendees = {s for s, _, _, _ in ds.quads((None, None, event, None)) if s != event}
    assert person in attendees


def test_rdf_memberships_are_dated_with_title_as_written(tiny_graph: ArticleGraph) -> None:
    ds = to_dataset([tiny_graph])
    rows = ds.query(
        """
        PREFIX kg: <https://kg.example.org/ontology#>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name ?body ?title ?asOf WHERE {
            GRAPH ?g {
                ?m a kg:Membership ; org:member ?p ; org:organization ?o ;
                   kg:title ?title ; kg:asOf ?asOf .
                ?p rdfs:label ?name . ?o rdfs:label ?body .
            }
        } ORDER BY ?name
        """
    )
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("Hoàng Văn Bình", "Song Lam Provincial Party Committee", "Secretary", "2024-03-12"),
        ("Trịnh Thị Lan", "Song Lam Provincial Party Committee", "Deputy Secretary", "2024-03-12"),
    ]


def test_rdf_evidence_offsets_point_into_the_article(tiny_graph: ArticleGraph) -> None:
    ds = to_dataset([tiny_graph])
    rows = list(
        ds.query(
            """
            PREFIX kg: <https://kg.example.org/ontology#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?rule ?sentence ?start ?end ?article WHERE {
                GRAPH ?g {
                    ?st a kg:Statement ; kg:rule ?rule ; kg:evidence ?ev .
                    ?ev kg:sentence ?sentence ; kg:start ?start ; kg:end ?end ;
                        prov:wasQuotedFrom ?article .
                }
            }
            """
        )
    )
    assert len(rows) == 6  # two of the eight relations have no evidence
    for rule, sentence, start, end, article in rows:
        assert tiny_graph.article.text[int(start) : int(end)] == str(sentence), rule
        assert str(article).endswith("/article/t001.txt")


def test_rdf_unknown_attrs_are_kept(tiny_graph: ArticleGraph) -> None:
    g = _triples(tiny_graph)
    doc = URIRef(entity_iri("doc/07-nq-tu/2021"))
    assert g.value(doc, KG.code) == Literal("07-NQ/TU")
    assert g.value(doc, KG.issuerCode) == Literal("TU")
    assert g.value(doc, KG.attribute) == Literal("term=XVII")
    assert g.value(doc, KG.date) == Literal("2021-05", datatype=XSD.gYearMonth)


def test_rdf_entity_without_key_gets_one_from_ids() -> None:
    graph = ArticleGraph(Article("k.txt", ""), (Entity("e1", "Place", "Bắc Hà", ""),))
    back = from_rdf(to_dataset([graph]))
    assert back[0].entities[0].key == "place/bac-ha"


@pytest.mark.parametrize(
    ("relation", "problem"),
    [
        (Relation("e1", "visited", "e1"), "unknown predicate 'visited'"),
        (Relation("e1", "locatedIn", "e9"), "unknown entity 'e9'"),
    ],
)
def test_rdf_rejects_what_the_ontology_lacks(relation: Relation, problem: str) -> None:
    graph = ArticleGraph(
        Article("bad.txt", ""), (Entity("e1", "Place", "X", "place/x"),), (relation,)
    )
    with pytest.raises(ValueError, match=problem):
        list(to_quads(graph))


def test_rdf_rejects_unknown_entity_type() -> None:
    graph = ArticleGraph(Article("bad.txt", ""), (Entity("e1", "Ship", "X", "ship/x"),))
    with pytest.raises(ValueError, match="unknown type 'Ship'"):
        list(to_quads(graph))


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        ("2023-08-25", XSD.date),
        ("2023-08", XSD.gYearMonth),
        ("2023", XSD.gYear),
        ("August 2023", None),
    ],
)
def test_rdf_date_literal(value: str, datatype: URIRef | None) -> None:
    lit = date_literal(value)
    assert str(lit) == value
    assert lit.datatype == datatype


def test_rdf_from_rdf_skips_the_ontology_graph(tiny_graph: ArticleGraph) -> None:
    quads = list(to_quads(tiny_graph)) + list(ontology_quads())
    assert {str(g) for *_, g in quads} == {graph_iri("t001.txt"), ONTOLOGY_IRI}
    assert from_rdf(quads) == [_without_text(tiny_graph)]


def _sentence_graph(ids: tuple[str, str, str]) -> ArticleGraph:
    """Three entities (local ids given) and three relations from two sentences."""
    text = 'Le Van Tam, "Chairman", chaired and spoke at the session. Le Van Tam is Chairman.'
    first, second = text[:57], text[58:]
    tam, board, session = ids
    return ArticleGraph(
        Article("s1.txt", text),
        (
            Entity(
                tam,
                "Person",
                "Le Van Tam",
                "person/le-van-tam",
                ('Le Van Tam, "Chairman"', "Le Van Tam"),
                ((0, 22), (58, 68)),
            ),
            Entity(board, "Organization", "Board", "org/board", ("Chairman",), ((13, 21),)),
            Entity(session, "Event", "session", "event/session", ("the session",), ((45, 56),)),
        ),
        (
            Relation(tam, "chaired", session, Evidence(first, 0, 57, "r.chair")),
            Relation(tam, "spokeAt", session, Evidence(first, 0, 57, "r.speak")),
            Relation(tam, "headOf", board, Evidence(second, 58, 81, "r.head"), title="Chairman"),
        ),
    )


def test_rdf_each_evidence_sentence_is_written_once() -> None:
    graph = _sentence_graph(("e1", "e2", "e3"))
    for rel in graph.relations:
        assert (
            rel.evidence
            and graph.article.text[rel.evidence.start : rel.evidence.end] == rel.evidence.sentence
        )
    g = _triples(graph)
    sentences = sorted(str(o) for o in g.objects(None, KG.sentence))
    assert sentences == sorted(r.evidence.sentence for r in graph.relations[1:] if r.evidence)
    nodes = [g.value(URIRef(fragment_iri("s1.txt", "relation", n)), KG.evidence) for n in "123"]
    assert nodes[0] == nodes[1] != nodes[2]
    assert str(nodes[0]).endswith("/article/s1.txt#sentence/0")
    assert g.value(nodes[2], KG.start) == Literal(58)
    assert {str(o) for o in g.objects(None, KG.rule)} == {"r.chair", "r.speak", "r.head"}


def test_rdf_compact_occurrence_round_trips_any_local_ids() -> None:
    # ids that do not say the order get a kg:index; a mention with quotes stays one
    for ids in (("e1", "e2", "e3"), ("tam", "e1", "x9")):
        graph = _sentence_graph(ids)
        g = _triples(graph)
        indexed = sorted(int(o) for o in g.objects(None, KG.index))
        assert indexed == ([] if ids[0] == "e1" else [1, 2, 3])
        assert from_rdf(to_dataset([graph])) == [_without_text(graph)]


def test_rdf_two_sentences_at_one_offset_stay_apart() -> None:
    # evidence read from plain JSONL has no offsets: every sentence is at -1
    base = _sentence_graph(("e1", "e2", "e3"))
    relations = tuple(
        replace(r, evidence=Evidence(r.evidence.sentence, -1, -1, r.evidence.rule))
        for r in base.relations
        if r.evidence
    )
    graph = replace(base, relations=relations)
    g = _triples(graph)
    assert len(set(g.subjects(RDF.type, KG.Evidence))) == 2
    assert from_rdf(to_dataset([graph])) == [_without_text(graph)]


def test_rdf_bad_spans_literal_is_named() -> None:
    graph = _sentence_graph(("e1", "e2", "e3"))
    ds = to_dataset([graph])
    g = ds.graph(URIRef(graph_iri("s1.txt")))
    occ = next(iter(g.subjects(KG.spans, None)))
    g.set((occ, KG.spans, Literal("12 to 20")))
    with pytest.raises(ValueError, match="s1.txt: occurrence .* span '12'"):
        from_rdf(ds)


def test_rdf_fragment_iris_are_those_of_ids() -> None:
    graph = ArticleGraph(
        Article("news/Hà Nội 1.html", ""),
        (Entity("e 1/x", "Place", "Bắc Hà", "place/bac-ha"),),
    )
    occurrences = {s for s, _, o, _ in to_quads(graph) if o == KG.Occurrence}
    assert occurrences == {URIRef(fragment_iri("news/Hà Nội 1.html", "entity", "e 1/x"))}
