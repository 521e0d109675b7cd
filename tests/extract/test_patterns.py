"""The data files agree with the ontology, and every pattern example does what it says."""

import pytest

from kg.resources import list_data, load_jsonl, load_yaml
from kg.vocab import relation_predicates

EXAMPLES = [
    (path, n, rec)
    for path in list_data("patterns/relations", ".jsonl")
    for n, rec in enumerate(load_jsonl(path, ("predicate",)))
    if "example" in rec
]


def test_patterns_predicates_are_ontology_properties() -> None:
    known = set(relation_predicates())
    for path in list_data("patterns/relations", ".jsonl"):
        for rec in load_jsonl(path, ("predicate",)):
            assert rec["predicate"] in known, path
            assert path.endswith(f"/{rec['predicate']}.jsonl"), "one file per predicate"


def test_patterns_title_relations_are_ontology_properties() -> None:
    known = set(relation_predicates())
    titles = load_yaml("lexicons/titles.yaml")
    for tid, spec in titles["titles"].items():
        assert spec["relation"] in known, tid
    for tid, bodies in titles["overrides"].items():
        assert tid in titles["titles"]
        for over in bodies.values():
            assert over["relation"] in known


@pytest.mark.parametrize(("path", "n", "rec"), EXAMPLES, ids=[f"{p}:{n}" for p, n, _ in EXAMPLES])
def test_patterns_example_fires(extract_text, path: str, n: int, rec: dict) -> None:
    g = extract_text(rec["example"])
    predicates = {r.predicate for r in g.relations}
    if rec["predicate"] == "implements" and "generic_actors" in rec:
        assert "implements" not in predicates  # the example shows what must not fire
    else:
        assert rec["predicate"] in predicates, (rec["example"], g.relations)


def test_patterns_body_heads_are_found_with_a_level_word(extract_text) -> None:
    heads = load_yaml("lexicons/bodies.yaml")["heads"]
    missing = []
    for hid, spec in heads.items():
        if spec.get("parent") or spec.get("national") or spec.get("needs_ordinal"):
            continue
        if spec.get("owned_only"):
            continue  # a body only as a party committee's owner (test_rules_bodies.py)
        form = spec["forms"][0]
        if form.endswith(" of"):
            head = form + " Trade"
        elif spec.get("tail"):
            head = form + " for Tourism"
        else:
            head = form
        g = extract_text(f"Kien Giang held talks. Leaders of the Provincial {head} attended.")
        if not any(e.type == "Organization" and "Kien Giang" in e.name for e in g.entities):
            missing.append(hid)
    assert missing == []
