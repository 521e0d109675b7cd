"""The query library and the CLI leave out statements below a minimum confidence."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.answer.queries import run_query
from kg.cli import cli
from kg.errors import QueryError
from kg.graph.build import ingest
from kg.graph.store import KgStore, open_store
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation


def _implements(doc: str, body: str, confidence: float) -> ArticleGraph:
    text = f"The {body} implements Resolution No. 9-NQ/TW."
    return ArticleGraph(
        Article(doc, text, date="2024-04-01"),
        (
            Entity("e1", "Organization", body, "org/" + body.lower().replace(" ", "-")),
            Entity(
                "e2",
                "Document",
                "Resolution No. 9-NQ/TW",
                "doc/9-nq-tw",
                attrs=(("code", "9-NQ/TW"),),
            ),
        ),
        (
            Relation(
                "e1",
                "implements",
                "e2",
                Evidence(text, 0, len(text), "implementation"),
                confidence=confidence,
            ),
        ),
    )


@pytest.fixture
def two_implementers(tmp_path: Path) -> KgStore:
    store = open_store(tmp_path / "store")
    ingest([_implements("a.txt", "Tea Board", 0.9), _implements("b.txt", "Salt Board", 0.3)], store)
    return store


def _implementers(store: KgStore, **params: str) -> set[str]:
    rows = run_query(store, "document_implementers", {"document": "9-NQ/TW", **params}).dicts()
    return {str(r["implementerLabel"]) for r in rows}


def test_queries_min_confidence_leaves_out_unlikely_statements(two_implementers: KgStore) -> None:
    with two_implementers as store:
        assert _implementers(store) == {"Tea Board", "Salt Board"}
        assert _implementers(store, minConfidence="0.5") == {"Tea Board"}
        with pytest.raises(QueryError, match="must be a number"):
            _implementers(store, minConfidence="high")


def test_queries_cli_min_confidence(two_implementers: KgStore) -> None:
    path = str(two_implementers.path)
    two_implementers.close()
    args = ["query", "document_implementers", "-p", "document=9-NQ/TW", "--store", path]
    out = CliRunner().invoke(cli, [*args, "--min-confidence", "0.5"])
    assert out.exit_code == 0, out.output
    assert "Tea Board" in out.stdout and "Salt Board" not in out.stdout
    other = CliRunner().invoke(
        cli, ["query", "co_attendees", "-p", "person=x", "--store", path, "--min-confidence", "0.5"]
    )
    assert other.exit_code != 0 and "no confidence filter" in other.output
