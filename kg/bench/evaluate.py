"""Evaluation: score ``kg extract --format jsonl`` output with the SPEC scorer.

Input: a gold JSONL and a prediction JSONL; output: the scorer's report. The scorer is
``../shared/eval/score.py`` beside the project (or ``$KG_SCORER``, or ``--scorer``); it
is run as it is, in a subprocess, so kg's figures are exactly the contract's figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.errors import KgError


def default_scorer() -> Path:
    """Where the scorer is looked for when none is given."""
    env = os.environ.get("KG_SCORER")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"


def run_scorer(
    gold: str,
    pred: str,
    *,
    by_doc: bool = False,
    as_json: bool = False,
    scorer: str | None = None,
) -> str:
    """Run the scorer and return its report.

    Args:
        gold: gold annotations (JSONL).
        pred: predictions (JSONL, the SPEC contract).
        by_doc: add per-article figures, misses and false positives.
        as_json: totals as JSON.
        scorer: path of ``score.py`` (default: :func:`default_scorer`).

    Raises:
        KgError: the scorer is missing or fails.
    """
    path = Path(scorer) if scorer else default_scorer()
    if not path.is_file():
        raise KgError(f"{path}: scorer not found (give --scorer or set KG_SCORER)")
    cmd = [sys.executable, str(path), gold, pred]
    if by_doc:
        cmd.append("--by-doc")
    if as_json:
        cmd.append("--json")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise KgError(f"{path}: scorer failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout
