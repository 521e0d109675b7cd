"""Each rule's precision is measured with the SPEC scorer, on gold and predictions we write."""

import json
from pathlib import Path

from click.testing import CliRunner

from kg.bench.confidence import rule_precision
from kg.cli import cli

GOLD = {
    "doc": "a.txt",
    "entities": [
        {"id": "p1", "type": "Person", "names": ["Ha Van Loc"]},
        {"id": "p2", "type": "Person", "names": ["Le Thi Mai"]},
        {"id": "o1", "type": "Organization", "names": ["Cao Bang Provincial Party Committee"]},
    ],
    "relations": [{"s": "p1", "p": "headOf", "o": "o1"}, {"s": "p2", "p": "memberOf", "o": "o1"}],
}


def _rel(s: str, p: str, o: str, rule: str) -> dict:
    return {
        "subject": s,
        "predicate": p,
        "object": o,
        "provenance": {"sentence": "", "start": 0, "end": 0, "rule": rule},
    }


PRED = {
    "doc": "a.txt",
    "entities": [
        {"id": "e1", "type": "Person", "name": "Ha Van Loc"},
        {"id": "e2", "type": "Person", "name": "Le Thi Mai"},
        {"id": "e3", "type": "Organization", "name": "Cao Bang Provincial Party Committee"},
    ],
    "relations": [
        _rel("e1", "headOf", "e3", "title-apposition"),  # right
        _rel("e2", "headOf", "e3", "title-guess"),  # wrong: she is a member, not the head
        _rel("e2", "memberOf", "e3", "title-apposition"),  # right
    ],
}


def _write(tmp_path: Path) -> tuple[str, str]:
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n")
    pred.write_text(json.dumps(PRED) + "\n")
    return str(gold), str(pred)


def test_confidence_rule_precision_counts_each_rule_alone(tmp_path: Path) -> None:
    found = {(r.rule, r.predicate): (r.tp, r.fp) for r in rule_precision(*_write(tmp_path))}
    assert found[("title-apposition", "headOf")] == (1, 0)
    assert found[("title-guess", "headOf")] == (0, 1)
    assert found[("title-apposition", "memberOf")] == (1, 0)
    assert found[("*", "headOf")] == (1, 1)


def test_confidence_cli_eval_writes_the_data_file(tmp_path: Path) -> None:
    gold, pred = _write(tmp_path)
    out = tmp_path / "rules.jsonl"
    result = CliRunner().invoke(cli, ["eval", gold, pred, "--rule-precision", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    guess = next(r for r in records if r["rule"] == "title-guess")
    assert guess == {
        "rule": "title-guess",
        "predicate": "headOf",
        "tp": 0,
        "fp": 1,
        "confidence": 0.333,
    }
