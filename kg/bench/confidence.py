"""Measured precision of each extraction rule, the confidence its facts carry.

Input: gold annotations and ``kg extract`` predictions of the same articles (the real dev
part); output: one record per (rule, predicate) with true and false positives and the
smoothed precision, written to ``kg/data/confidence/rules.jsonl``. Each rule's facts are
scored alone with the SPEC scorer (its ``score_doc``), so optional gold facts and implied
predicates count exactly as in ``kg eval``.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from kg.bench.evaluate import default_scorer
from kg.errors import KgError


@dataclass(frozen=True, slots=True)
class RulePrecision:
    """How often one rule's facts of one predicate were right on the measured articles."""

    rule: str
    predicate: str
    tp: int
    fp: int

    @property
    def confidence(self) -> float:
        """Precision with add-one smoothing, so a rule seen twice is not certain.

        Examples:
            >>> RulePrecision("r", "chaired", 8, 0).confidence
            0.9
        """
        return round((self.tp + 1) / (self.tp + self.fp + 2), 3)

    def to_dict(self) -> dict[str, Any]:
        """The JSONL record."""
        return {
            "rule": self.rule,
            "predicate": self.predicate,
            "tp": self.tp,
            "fp": self.fp,
            "confidence": self.confidence,
        }


def load_scorer(path: str | None = None) -> ModuleType:
    """Import the SPEC scorer as a module, to reuse its matching.

    Raises:
        KgError: the scorer is missing or cannot be imported.
    """
    where = Path(path) if path else default_scorer()
    spec = importlib.util.spec_from_file_location("kg_spec_scorer", where)
    if spec is None or spec.loader is None or not where.is_file():
        raise KgError(f"{where}: scorer not found (give --scorer or set KG_SCORER)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: str) -> dict[str, dict[str, Any]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return {d["doc"]: d for d in map(json.loads, filter(str.strip, lines))}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise KgError(f"{path}: cannot read JSONL with a 'doc' per line: {err}") from err


def rule_precision(gold: str, pred: str, scorer: str | None = None) -> list[RulePrecision]:
    """Score each (rule, predicate) of the predictions alone against the gold.

    Args:
        gold: gold JSONL (``../shared/eval/ANNOTATING.md``).
        pred: ``kg extract --format jsonl`` of the same articles.
        scorer: path of ``score.py`` (default: :func:`kg.bench.evaluate.default_scorer`).

    Returns:
        One record per (rule, predicate) stated at least once, and per predicate over all
        rules (rule ``"*"``), sorted.
    """
    score = load_scorer(scorer)
    golds, preds = _read(gold), _read(pred)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for doc, p in preds.items():
        g = golds.get(doc)
        if g is None:
            continue
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in p.get("relations", []):
            rule = (r.get("provenance") or {}).get("rule") or "?"
            groups[(rule, r["predicate"])].append(r)
            groups[("*", r["predicate"])].append(r)
        for (rule, predicate), rels in groups.items():
            _, tallies, _, _ = score.score_doc(g, {**p, "relations": rels})
            t = tallies[predicate]
            counts[(rule, predicate)][0] += t.tp
            counts[(rule, predicate)][1] += t.fp
    return [RulePrecision(r, p, tp, fp) for (r, p), (tp, fp) in sorted(counts.items())]


def write_rule_precision(records: list[RulePrecision], path: str) -> None:
    """Write the records as JSONL (the data file :mod:`kg.extract.confidence` reads)."""
    text = "".join(json.dumps(r.to_dict()) + "\n" for r in records)
    Path(path).write_text(text, encoding="utf-8")
