"""The fact graph stays what a recomputation from the article graphs gives, whatever is written.

Every check compares the stored fact graph with :func:`kg.graph.facts.fact_quads` over
every article graph (through an in-memory Oxigraph, tests/factcheck.py). Invented names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import ORG, PROV

from kg.graph.build import ingest
from kg.graph.layers import FactState, fact_state, rebuild_facts
from kg.graph.store import KgStore, open_store
from kg.ids import entity_iri, graph_iri
from kg.model import ArticleGraph
from kg.vocab import FACTS_IRI, KG
from tests.conftest import make_graph
from tests.factcheck import assert_facts_exact, stored_facts

Extract = Callable[..., ArticleGraph]

HAI = "Vo Thanh Hai"
MAI = "Luu Thi Mai"
COMMITTEE = "Ben Lam Provincial People's Committee"

TEXT_A = (
    f"Chairman of the {COMMITTEE} {HAI} chaired the meeting in Ben Lam on May 1. "
    f"Deputy Chairwoman {MAI} attended the meeting"
)
TEXT_B = f"Chairman of the {COMMITTEE} {HAI} and Ms. {MAI} attended the meeting in Ben Lam"
TEXT_C = f"{HAI} is a member of the Ben Lam Farmers' Union"
TEXT_D = f"{HAI} and {MAI} attended a meeting in Ben Lam"


def _sure(graph: ArticleGraph) -> ArticleGraph:
    """The graph with every relation 95% likely: decimals the store writes canonically."""
    rels = tuple(dataclasses.replace(r, confidence=0.95) for r in graph.relations)
    return dataclasses.replace(graph, relations=rels)


def _people(hai: tuple[str, ...], mai: tuple[str, ...]) -> list:
    return [
        ("p1", "Person", HAI, hai, {}),
        ("p2", "Person", MAI, mai, {}),
        ("o1", "Organization", COMMITTEE, (COMMITTEE,), {}),
        ("pl", "Place", "Ben Lam", ("Ben Lam",), {}),
    ]


def article_a() -> ArticleGraph:
    """A dated meeting chaired by the committee's chairman (a headship) and attended."""
    ents = [*_people((HAI,), (MAI,)), ("ev", "Event", "meeting in Ben Lam", ("the meeting",), {})]
    ents[-1] = (*ents[-1][:4], {"date": "2024-05-01"})
    rels = [
        ("p1", "headOf", "o1", "Chairman"),
        ("p1", "chaired", "ev", None),
        ("p2", "attended", "ev", None),
        ("ev", "heldIn", "pl", None),
    ]
    return _sure(make_graph("a.txt", TEXT_A, "2024-05-02", ents, rels))


def article_b() -> ArticleGraph:
    """The same headship, stated again on the same date, and the same meeting."""
    ents = [
        *_people((HAI,), (f"Ms. {MAI}",)),
        ("ev", "Event", "meeting in Ben Lam", ("the meeting",), {"date": "2024-05-01"}),
    ]
    rels = [
        ("p1", "headOf", "o1", "Chairman"),
        ("p1", "attended", "ev", None),
        ("p2", "attended", "ev", None),
        ("ev", "heldIn", "pl", None),
    ]
    return _sure(make_graph("b.txt", TEXT_B, "2024-05-02", ents, rels))


def article_c() -> ArticleGraph:
    """Another post of the same official, in an article of its own."""
    ents = [
        ("p1", "Person", HAI, (HAI,), {}),
        ("o2", "Organization", "Ben Lam Farmers' Union", ("Ben Lam Farmers' Union",), {}),
    ]
    return _sure(make_graph("c.txt", TEXT_C, "2024-06-10", ents, [("p1", "memberOf", "o2", None)]))


def article_d() -> ArticleGraph:
    """An undated report of article a's meeting: identity re-keys it to the dated one."""
    ents = [*_people((HAI,), (MAI,)), ("ev", "Event", "meeting in Ben Lam", ("a meeting",), {})]
    rels = [("p1", "attended", "ev", None), ("p2", "attended", "ev", None)]
    rels.append(("ev", "heldIn", "pl", None))
    return _sure(make_graph("d.txt", TEXT_D, "2024-05-03", ents, rels))


def _iri(key: str) -> URIRef:
    return URIRef(entity_iri(key))


def _membership_facts(store: KgStore) -> dict[URIRef, set[str]]:
    """Membership fact node -> the articles of the statements linked to it."""
    facts = stored_facts(store)
    nodes = {s for s, p, o in facts if p == RDF.type and o == KG.Membership}
    return {
        n: {str(st).split("#", 1)[0] for s, p, st in facts if s == n and p == PROV.wasDerivedFrom}
        for n in nodes
    }


def test_facts_exact_after_build_and_each_remove(store: KgStore) -> None:
    ingest([article_a(), article_b(), article_c()], store)
    facts = assert_facts_exact(store)
    assert (
        len(facts) > 0
        and (
            _iri("person/vo-thanh-hai"),
            RDFS.label,
            Literal(HAI),
        )
        in facts
    )
    for doc in ("b.txt", "a.txt", "c.txt"):
        store.remove_article(doc)
        assert_facts_exact(store)
    assert stored_facts(store) == set()


def test_facts_a_fact_two_articles_state_survives_removing_one(store: KgStore) -> None:
    ingest([article_a(), article_b()], store)
    mai = (_iri("person/luu-thi-mai"), RDF.type, KG.Person)
    chaired = (_iri("person/vo-thanh-hai"), KG.chaired, None)
    assert mai in stored_facts(store)
    store.remove_article("a.txt")
    facts = assert_facts_exact(store)
    assert mai in facts  # b.txt states it too
    assert not [t for t in facts if t[:2] == chaired[:2]]  # only a.txt said "chaired"
    store.remove_article("b.txt")
    assert mai not in stored_facts(store)


def test_facts_one_membership_node_per_content_with_a_link_per_statement(
    store: KgStore,
) -> None:
    ingest([article_a(), article_b(), article_c()], store)
    base = graph_iri("", store.base).replace("/graph/", "/article/")
    links = _membership_facts(store)
    # the headship both a.txt and b.txt state is one node with two links; c.txt's post another
    assert sorted(sorted(docs) for docs in links.values()) == [
        [f"{base}a.txt", f"{base}b.txt"],
        [f"{base}c.txt"],
    ]
    head = next(n for n, docs in links.items() if len(docs) == 2)
    facts = stored_facts(store)
    assert (head, KG.relation, KG.headOf) in facts
    assert (head, ORG.member, _iri("person/vo-thanh-hai")) in facts
    assert (head, KG.title, Literal("Chairman")) in facts
    store.remove_article("a.txt")
    assert _membership_facts(store)[head] == {f"{base}b.txt"}
    assert_facts_exact(store)
    store.remove_article("b.txt")
    assert head not in _membership_facts(store)
    assert_facts_exact(store)


def test_facts_do_not_depend_on_the_order_articles_are_stored(tmp_path: Path) -> None:
    orders = [
        [article_a(), article_b(), article_c(), article_d()],
        [article_d(), article_c(), article_b(), article_a()],
    ]
    found = []
    for i, order in enumerate(orders):
        with open_store(tmp_path / f"s{i}") as store:
            ingest(order, store)
            found.append(assert_facts_exact(store))
    assert found[0] == found[1]


def test_facts_follow_identity_rekeying_a_meeting_across_graphs(store: KgStore) -> None:
    # d.txt's undated meeting is stored under a key of its own, then moved (replace_graph)
    # to a.txt's dated meeting when a.txt arrives with the same two participants
    ingest([article_d()], store)
    undated = {s for s, _, _ in stored_facts(store) if "/event/undated/" in str(s)}
    assert undated
    ingest([article_a()], store)
    facts = assert_facts_exact(store)
    assert not {t for t in facts if t[0] in undated or t[2] in undated}
    meeting = URIRef(str(next(o for s, p, o in facts if p == KG.chaired)))
    assert (_iri("person/luu-thi-mai"), KG.attended, meeting) in facts
    in_d = {q[:3] for q in store.quads(graph_iri("d.txt", store.base))}
    assert (_iri("person/vo-thanh-hai"), KG.attended, meeting) in in_d
    store.remove_article("a.txt")
    assert_facts_exact(store)


# ------------------------------------------------------------------ real extraction

PLAIN = (
    "Secretary of the Ben Lam Provincial Party Committee Vo Thanh Hai chaired the "
    "conference in Ben Lam on May 1. Deputy Secretary Luu Thi Mai attended the conference."
)
CHANGED = (
    "Secretary of the Ben Lam Provincial Party Committee Vo Thanh Hai chaired the "
    "conference in Ben Lam on May 1. Deputy Secretary Kieu Van Dat attended the conference."
)


def _named(store: KgStore, name: str) -> bool:
    ask = f'ASK {{ GRAPH <{FACTS_IRI}> {{ ?x <{RDFS.label}> "{name}" }} }}'
    return bool(store.query(ask, union=False).boolean)


def test_facts_reingesting_a_changed_text_replaces_its_facts(
    store: KgStore, extract_text: Extract
) -> None:
    first = extract_text(PLAIN, date="2024-05-02", doc_id="x.txt")
    ingest([first, article_b()], store)
    assert _named(store, "Luu Thi Mai") and not _named(store, "Kieu Van Dat")
    report = ingest([extract_text(CHANGED, date="2024-05-02", doc_id="x.txt")], store)
    assert report.warnings and "replaced" in report.warnings[0]
    assert_facts_exact(store)
    assert _named(store, "Kieu Van Dat")
    assert _named(store, "Luu Thi Mai")  # b.txt still names her
    store.remove_article("b.txt")
    assert not _named(store, "Luu Thi Mai")
    assert_facts_exact(store)


# ------------------------------------------------------------------ on a SPARQL server


def test_facts_exact_on_a_remote_store(oxigraph_url: str, tmp_path: Path) -> None:
    with open_store(oxigraph_url) as remote:
        remote.update("DROP SILENT ALL")
        ingest([article_d(), article_a(), article_b(), article_c()], remote)
        facts = assert_facts_exact(remote)
        with open_store(tmp_path / "local") as local:
            ingest([article_d(), article_a(), article_b(), article_c()], local)
            assert stored_facts(local) == facts  # the same updates, the same facts
        assert len([n for n, docs in _membership_facts(remote).items() if len(docs) == 2]) == 1
        ingest([dataclasses.replace(article_c(), relations=())], remote)
        assert_facts_exact(remote)
        for doc in ("a.txt", "d.txt"):
            remote.remove_article(doc)
            assert_facts_exact(remote)
        # a server's store built before the fact layer is rebuilt over the protocol
        kept = stored_facts(remote)
        remote.update(f"DROP GRAPH <{FACTS_IRI}>")
        assert fact_state(remote) is FactState.MISSING
        rebuild_facts(remote, batch=1)
        assert stored_facts(remote) == kept and fact_state(remote) is FactState.CURRENT
