"""The notebooks run unchanged on another graph: a store given by KG_STORE, or articles.

The store is built from the invented articles of ``tests/data/devset``; each notebook is
executed with nbclient, as ``pytest --nbmake`` runs it on the seeds.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kg.answer.notebook import SEEDS, open_workspace
from kg.errors import StoreError
from kg.graph.build import build

NOTEBOOKS = sorted((SEEDS.parent / "notebooks").glob("*.ipynb"))
DEVSET = Path(__file__).parent.parent / "data" / "devset" / "articles"


@pytest.fixture(scope="module")
def devset_store(tmp_path_factory: pytest.TempPathFactory, nlp) -> Path:  # type: ignore[no-untyped-def]
    store = tmp_path_factory.mktemp("nb") / "devset-store"
    assert build([DEVSET], store, nlp).ok
    return store


def execute(path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a notebook in its folder with ``env`` set; return its text output."""
    for name in ("KG_STORE", "KG_ARTICLES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(book, timeout=300, resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    return "".join(out.get("text", "") for cell in book.cells for out in cell.get("outputs", []))


def test_notebooks_are_all_found() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_stored_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    first, params = book.cells[0], book.cells[1]
    assert first.cell_type == "markdown" and "**Question:**" in first.source
    assert "parameters" in params.metadata.get("tags", [])
    assert 'os.environ.get("KG_STORE"' in params.source
    assert 'os.environ.get("KG_ARTICLES"' in params.source
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "def " not in cell.source  # logic lives in the package
    assert not any("Nguyen" in c.source or "Lang Son" in c.source for c in book.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_store_kg_store_names(
    path: Path, devset_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = path.read_bytes()
    text = execute(path, {"KG_STORE": str(devset_store)}, monkeypatch)
    # used as it is: no build report follows the summary line
    assert f"store {devset_store}: 12 article(s)\n" in text
    assert path.read_bytes() == before


def test_notebook_builds_a_temporary_store_from_kg_articles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    two = os.pathsep.join(str(p) for p in sorted(DEVSET.glob("*.txt"))[:2])
    text = execute(NOTEBOOKS[0], {"KG_ARTICLES": two}, monkeypatch)
    assert "dev01_ha_tinh_resolution_review.txt" in text
    assert ": 2 article(s); " in text and "stored 2 article(s)" in text


def test_open_workspace_uses_an_existing_store_as_it_is(devset_store: Path) -> None:
    quads = None
    ws = open_workspace(articles=str(DEVSET), store=str(devset_store))
    try:
        quads = len(ws.store)
        assert ws.report is None and ws.store.read_only
        assert len(ws.articles) == 12 and ws.graph.number_of_nodes() > 0
        workdir = ws.workdir
    finally:
        ws.close()
    assert quads and not workdir.exists() and devset_store.is_dir()


def test_open_workspace_names_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"nowhere: no store here \(build one with kg build"):
        open_workspace(store=str(tmp_path / "nowhere"))
