"""The seeds' store for the browser's tests: built once per test session with `kg build`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.servers import venv_bin

#: The repository root: `kg build seeds/` records the articles' paths relative to it.
ROOT = Path(__file__).resolve().parents[2]


def seeds_store(factory: pytest.TempPathFactory) -> Path:
    """The store of the seeds (built on first use in this session's temporary folder)."""
    store = factory.getbasetemp() / "web-seeds-store"
    done = factory.getbasetemp() / "web-seeds-store.done"
    if not done.exists():
        subprocess.run(
            [venv_bin("kg"), "build", "seeds/", "--store", str(store)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        done.write_text("built\n")
    return store
