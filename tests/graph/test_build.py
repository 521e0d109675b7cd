from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.extract.nlp
import kg.extract.pipeline
import kg.read.articles
from kg.cli import cli
from kg.errors import InputError
from kg.graph.build import build
from kg.graph.store import open_store
from kg.model import Article, ArticleGraph


@pytest.fixture
def fake_extraction(
    monkeypatch: pytest.MonkeyPatch, tiny_graph: ArticleGraph, second_graph: ArticleGraph
) -> None:
    """Stand-ins for reading and extraction, so build's own plumbing is what is tested."""
    graphs = {g.doc_id: g for g in (tiny_graph, second_graph)}

    def read_articles(
        paths: Iterable[str], date: str | None = None, **stdin: object
    ) -> Iterator[object]:
        for path in paths:
            name = Path(path).name
            if name in graphs:
                yield graphs[name].article
            else:
                yield InputError(path, "file is empty")

    def extract_all(
        articles: Iterable[Article], nlp: object, workers: int = 1
    ) -> Iterator[ArticleGraph]:
        for article in articles:
            yield graphs[article.doc_id]

    monkeypatch.setattr(kg.read.articles, "read_articles", read_articles)
    monkeypatch.setattr(kg.extract.pipeline, "extract_all", extract_all)
    monkeypatch.setattr(kg.extract.nlp, "build_nlp", lambda settings: object())


@pytest.mark.usefixtures("fake_extraction")
def test_build_reports_bad_input_and_stores_the_rest(tmp_path: Path) -> None:
    seen: list[str] = []
    report = build(
        ["in/t001.txt", "in/empty.txt", "in/t002.txt"],
        tmp_path / "store",
        nlp=None,  # type: ignore[arg-type]
        on_article=lambda graph, n: seen.append(graph.doc_id),
    )
    assert report.failed == ["in/empty.txt: file is empty"]
    assert [doc for doc, _ in report.stored] == seen == ["t001.txt", "t002.txt"]
    assert not report.ok and "1 failed" in report.summary()
    with open_store(tmp_path / "store", read_only=True) as st:
        assert st.articles() == ["t001.txt", "t002.txt"]
        assert len(st) == report.quads
    # the store is left without the write-ahead log of the build (LocalStore.optimize)
    assert sum(f.stat().st_size for f in (tmp_path / "store").glob("*.log")) < 1_000


@pytest.mark.usefixtures("fake_extraction")
def test_build_cli_twice_gives_the_same_store(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    counts = []
    for _ in range(2):
        result = runner.invoke(cli, ["build", "in/t001.txt", "in/t002.txt", "--store", store])
        assert result.exit_code == 0, result.output
        with open_store(store, read_only=True) as st:
            counts.append((len(st), sorted(map(str, st.quads()))))
    assert counts[0] == counts[1]
    result = runner.invoke(cli, ["build", "in/t001.txt", "in/nothing.txt", "--store", store])
    assert result.exit_code == 1
    assert "error: in/nothing.txt: file is empty" in result.output
