"""Confidence of an extracted fact: the measured precision of the rule that stated it.

Input: a relation's rule (``Evidence.rule``) and predicate; output: a probability in
[0, 1]. Reads ``kg/data/confidence/rules.jsonl``, written by ``scripts/confidence`` from
the real dev articles (:mod:`kg.bench.confidence`): one record per (rule, predicate) with
its true and false positives and the smoothed precision used as confidence.
"""

from __future__ import annotations

from functools import cache

from kg.errors import DataFileError
from kg.resources import load_jsonl

RULES_FILE = "confidence/rules.jsonl"
#: confidence of a rule never measured (no fact of it in the dev articles' predictions)
UNMEASURED = 0.5


@cache
def _table() -> dict[tuple[str, str], float]:
    table: dict[tuple[str, str], float] = {}
    for rec in load_jsonl(RULES_FILE, ("rule", "predicate", "confidence")):
        value = rec["confidence"]
        if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            raise DataFileError(
                f"kg/data/{RULES_FILE}", None, f"confidence {value!r} is not in [0, 1]"
            )
        table[(str(rec["rule"]), str(rec["predicate"]))] = float(value)
    return table


def rule_confidence(rule: str, predicate: str) -> float:
    """The confidence of a fact stated by ``rule``: its measured precision for ``predicate``.

    A rule measured for other predicates only, or not at all, falls back to the precision
    of all rules for this predicate (``"*"``), then to :data:`UNMEASURED`.

    Examples:
        >>> 0.0 <= rule_confidence("role-verb", "chaired") <= 1.0
        True
        >>> rule_confidence("no-such-rule", "no-such-predicate")
        0.5
    """
    table = _table()
    for key in ((rule, predicate), ("*", predicate)):
        if key in table:
            return table[key]
    return UNMEASURED


def combined(confidences: list[float]) -> float:
    """The confidence of a fact stated independently several times (noisy-or).

    Each statement is wrong with probability 1 - c; the fact is wrong only if all are.

    Examples:
        >>> round(combined([0.8, 0.5]), 3)
        0.9
        >>> combined([])
        0.0
    """
    wrong = 1.0
    for c in confidences:
        wrong *= 1.0 - c
    return 1.0 - wrong if confidences else 0.0
