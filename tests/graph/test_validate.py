from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef

from kg.graph.build import ingest
from kg.graph.rdf import to_quads
from kg.graph.store import KgStore
from kg.graph.validate import FACTS_DOC, validate_graph, validate_graphs, validate_store
from kg.ids import entity_iri
from kg.model import Article, ArticleGraph, Entity, Relation
from kg.vocab import FACTS_IRI, KG


def _graph(graph: ArticleGraph) -> Graph:
    out = Graph()
    for s, p, o, _ in to_quads(graph):
        out.add((s, p, o))
    return out


def _article(*relations: Relation, date: str | None = "2024-01-02") -> ArticleGraph:
    return ArticleGraph(
        Article("v.txt", "", date=date),
        (
            Entity("p", "Person", "Le Van Minh", "person/le-van-minh"),
            Entity("o", "Organization", "Hoa Binh Farmers' Union", "org/hoa-binh-farmers-union"),
            Entity("pl", "Place", "Hoa Binh", "place/hoa-binh"),
            Entity("ev", "Event", "congress", "event/2024-01-01", date="2024-01-01"),
        ),
        relations,
    )


def test_validate_invented_articles_conform(
    tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    report = validate_graphs([tiny_graph, second_graph])
    assert report.articles == 2
    assert report.conforms, report.text()
    # the fixtures leave every fourth relation without evidence on purpose
    assert {i.severity for i in report.issues} == {"Warning"}
    assert all("without evidence" in i.message for i in report.issues)


def test_validate_the_store(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph, second_graph], store)
    report = validate_store(store)
    assert report.articles == 2 and report.conforms
    last = report.text().splitlines()[-1]
    assert last.startswith("2 article graph(s) and the fact graph checked: 0 violation(s)")
    assert report.facts and not [i for i in report.issues if i.doc == FACTS_DOC]


def test_validate_the_fact_graph_against_its_shapes_and_the_articles(
    store: KgStore, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    ingest([tiny_graph, second_graph], store)
    # a membership fact naming a predicate that is no membership, and stated by nobody
    bad = entity_iri("membership/invented")
    store.update(
        f"INSERT DATA {{ GRAPH <{FACTS_IRI}> {{ <{bad}> a <{KG.Membership}> ; "
        f"<{KG.relation}> <{KG.attended}> ; <http://www.w3.org/ns/org#member> "
        f"<{entity_iri('person/hoang-van-binh')}> }} }}"
    )
    report = validate_store(store)
    assert not report.conforms
    found = {(i.path, i.message) for i in report.violations if i.doc == FACTS_DOC}
    assert any("organization" in path for path, _ in found)  # org:organization is missing
    assert any("no statement states" in message for _, message in found)
    assert any("is not kg:memberOf" in message for _, message in found)
    assert any("3 extra, 0 missing" in message for _, message in found)
    # every article graph still conforms: the problems are the fact graph's
    assert {i.doc for i in report.violations} == {FACTS_DOC}


def test_validate_a_store_built_before_the_fact_layer(
    store: KgStore, tiny_graph: ArticleGraph
) -> None:
    ingest([tiny_graph], store)
    store.update(f"DROP GRAPH <{FACTS_IRI}>")
    (issue,) = validate_store(store).violations
    assert issue.doc == FACTS_DOC and "is missing" in issue.message
    assert "kg build --store" in issue.message


def test_validate_domain_is_read_from_the_ontology() -> None:
    # heldIn: Event -> Place; a person cannot be "held in" a place
    report = validate_graphs([_article(Relation("p", "heldIn", "pl"))])
    assert not report.conforms
    (issue,) = report.violations
    assert issue.doc == "v.txt"
    assert "heldIn" in issue.message and "domain" in issue.message


def test_validate_range_is_read_from_the_ontology() -> None:
    # chaired: Person -> Event; nobody chairs a farmers' union here
    report = validate_graphs([_article(Relation("p", "chaired", "o"))])
    messages = [i.message for i in report.violations]
    assert any("chaired" in m and "range" in m for m in messages)


def test_validate_union_domain_accepts_both_classes() -> None:
    ok = _article(Relation("o", "locatedIn", "pl"), Relation("pl", "locatedIn", "pl"))
    assert validate_graphs([ok]).conforms


def test_validate_bad_date() -> None:
    graph = ArticleGraph(
        Article("d.txt", "", date="2024-01-02"),
        (Entity("ev", "Event", "session", "event/x", date="early spring"),),
    )
    report = validate_graphs([graph])
    assert [i.path for i in report.violations] == ["kg:date"]


def test_validate_statement_without_its_triple() -> None:
    graph = _graph(_article(Relation("p", "memberOf", "o", title="member")))
    person = URIRef(entity_iri("person/le-van-minh"))
    graph.remove((person, KG.memberOf, None))
    issues = validate_graph(graph, "v.txt")
    assert any("missing from the graph" in i.message for i in issues)


def test_validate_membership_needs_a_person() -> None:
    graph = _graph(_article(Relation("p", "memberOf", "o", title="member")))
    person = URIRef(entity_iri("person/le-van-minh"))
    graph.remove((person, RDF.type, KG.Person))
    graph.add((person, RDF.type, KG.Place))
    issues = [i for i in validate_graph(graph, "v.txt") if i.severity == "Violation"]
    assert any(i.path == "org:member" for i in issues)


def test_validate_article_without_date_warns() -> None:
    report = validate_graphs([_article(Relation("p", "attended", "ev"), date=None)])
    assert report.conforms
    assert any("no date" in i.message for i in report.issues)


def test_validate_issue_text_names_article_node_and_problem() -> None:
    graph = _graph(_article())
    graph.add((URIRef(entity_iri("person/le-van-minh")), KG.date, Literal("soon")))
    (issue,) = [i for i in validate_graph(graph, "v.txt") if i.severity == "Violation"]
    text = str(issue)
    assert text.startswith("v.txt: Violation: ")
    assert "person/le-van-minh" in text and "kg:date" in text and "soon" in text


def test_validate_compact_spans_and_mentions_are_checked() -> None:
    graph = _graph(
        ArticleGraph(
            Article("v.txt", "", date="2024-01-02"),
            (Entity("e1", "Person", "Le Van Minh", "person/le-van-minh", ("Minh",), ((4, 8),)),),
        )
    )
    assert validate_graph(graph, "v.txt") == []
    occ = next(iter(graph.subjects(KG.spans, None)))
    graph.set((occ, KG.spans, Literal("4 to 8")))
    graph.set((occ, KG.mentions, Literal("Minh")))
    messages = sorted(i.message for i in validate_graph(graph, "v.txt"))
    assert [m.split(",")[0] for m in messages] == [
        "the mentions are one JSON array of strings",
        "the spans are one literal of start-end pairs",
    ]
