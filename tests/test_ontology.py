from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import ORG, SDO

from kg.vocab import (
    ENTITY_TYPES,
    KG,
    PREDICATES,
    domain,
    model_attrs,
    ontology_path,
    range_,
    relation_predicates,
    sub_properties,
    super_properties,
)


@pytest.fixture(scope="module")
def ttl() -> Graph:
    # parsed afresh, not through kg.vocab, so the test reads the file itself
    return Graph().parse(ontology_path(), format="turtle")


def _declared(ttl: Graph) -> set[str]:
    ns = str(KG._NS)
    return {
        str(s)[len(ns) :]
        for s in ttl.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(ns)
    }


def test_ontology_vocab_mirrors_the_ttl(ttl: Graph) -> None:
    in_python = set(KG.__annotations__)
    assert in_python == _declared(ttl)


def test_ontology_vocab_fails_on_a_typo() -> None:
    with pytest.raises(AttributeError):
        KG.spokeat  # noqa: B018


def test_ontology_has_the_spec_classes_and_predicates(ttl: Graph) -> None:
    for name in ENTITY_TYPES:
        assert (KG[name], RDF.type, OWL.Class) in ttl
    assert set(relation_predicates()) == set(PREDICATES)


@pytest.mark.parametrize("predicate", PREDICATES)
def test_ontology_every_predicate_has_domain_and_range(predicate: str) -> None:
    assert domain(predicate) and domain(predicate) <= set(ENTITY_TYPES)
    assert range_(predicate) and range_(predicate) <= set(ENTITY_TYPES)


@pytest.mark.parametrize(
    ("predicate", "implied"),
    [
        ("chaired", {"chaired", "attended"}),
        ("spokeAt", {"spokeAt", "attended"}),
        ("attended", {"attended"}),
        ("headOf", {"headOf", "memberOf"}),
        ("memberOf", {"memberOf"}),
        ("heldIn", {"heldIn"}),
    ],
)
def test_ontology_subproperty_closure(predicate: str, implied: set[str]) -> None:
    assert super_properties(predicate) == implied


def test_ontology_closure_is_read_from_the_ttl(ttl: Graph) -> None:
    stated = {
        (str(s).split("#")[1], str(o).split("#")[1])
        for s, o in ttl.subject_objects(RDFS.subPropertyOf)
        if str(s).startswith(str(KG._NS)) and str(o).startswith(str(KG._NS))
    }
    assert stated == {("chaired", "attended"), ("spokeAt", "attended"), ("headOf", "memberOf")}
    assert sub_properties("attended") == {"attended", "chaired", "spokeAt"}
    assert sub_properties("memberOf") == {"memberOf", "headOf"}


@pytest.mark.parametrize(
    ("term", "relation", "standard"),
    [
        (KG.memberOf, RDFS.subPropertyOf, ORG.memberOf),
        (KG.headOf, RDFS.subPropertyOf, ORG.headOf),
        (KG.Membership, RDFS.subClassOf, ORG.Membership),
        (KG.Organization, RDFS.subClassOf, ORG.Organization),
        (KG.Person, RDFS.subClassOf, SDO.Person),
        (KG.Place, RDFS.subClassOf, SDO.Place),
        (KG.Event, RDFS.subClassOf, SDO.Event),
        (KG.Document, RDFS.subClassOf, SDO.Legislation),
    ],
)
def test_ontology_aligns_with_standard_vocabularies(
    ttl: Graph, term: URIRef, relation: URIRef, standard: URIRef
) -> None:
    assert (term, relation, standard) in ttl


def test_ontology_maps_entity_attrs_to_properties() -> None:
    assert model_attrs() == {
        "doc_type": "documentType",
        "code": "code",
        "number": "number",
        "issuer_code": "issuerCode",
    }
