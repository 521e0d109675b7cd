"""Every extracted fact carries its rule's measured precision as its confidence."""

import json

from kg.extract.confidence import RULES_FILE, UNMEASURED, combined, rule_confidence
from kg.resources import data_path


def _records() -> list[dict]:
    return [json.loads(line) for line in data_path(RULES_FILE).read_text().splitlines()]


def test_confidence_data_file_holds_probabilities_per_rule_and_predicate() -> None:
    records = _records()
    assert records, "scripts/confidence writes one record per (rule, predicate)"
    for r in records:
        assert 0.0 <= r["confidence"] <= 1.0
        assert r["confidence"] == round((r["tp"] + 1) / (r["tp"] + r["fp"] + 2), 3)


def test_confidence_unknown_rule_falls_back_to_its_predicate_then_to_unmeasured() -> None:
    overall = {r["predicate"]: r["confidence"] for r in _records() if r["rule"] == "*"}
    predicate, value = next(iter(overall.items()))
    assert rule_confidence("a-rule-nobody-wrote", predicate) == value
    assert rule_confidence("a-rule-nobody-wrote", "aPredicateNobodyUses") == UNMEASURED


def test_confidence_of_extracted_relations_is_their_rules(extract_text) -> None:
    g = extract_text(
        "Comrade Lu Van Quang, Secretary of the Cao Bang Provincial Party Committee, chaired "
        "the conference in Cao Bang on May 3, 2024."
    )
    assert g.relations
    for r in g.relations:
        assert r.evidence is not None
        assert r.confidence == rule_confidence(r.evidence.rule, r.predicate)
        assert r.to_dict()["confidence"] == r.confidence


def test_confidence_of_a_fact_stated_twice_is_higher_than_either() -> None:
    assert combined([0.6, 0.7]) > 0.7
    assert combined([1.0, 0.2]) == 1.0
