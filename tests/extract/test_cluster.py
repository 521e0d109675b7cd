"""kg extract --dask: extraction on a real dask.distributed LocalCluster of 2 worker processes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import SDO

from kg.cli import cli
from kg.errors import InputError
from kg.extract.cluster import extract_dask, read_extractions
from kg.extract.pipeline import extract_all
from kg.graph.build import ingest
from kg.graph.store import open_store
from kg.model import Article, ArticleGraph
from kg.vocab import ONTOLOGY_IRI

# invented articles (no seed or gold text)
TEXTS = {
    "a1.txt": (
        "On March 11, 2024, Secretary of the Song Lam Provincial Party Committee Hoang Van "
        "Binh chaired a conference in Thanh Hoa on Resolution No. 07-NQ/TU. Deputy Secretary "
        "Trinh Thi Lan attended the conference.\n"
    ),
    "a2.txt": (
        "On May 2, 2024, Minister of Finance Dao Minh Tuan worked with the Standing Committee "
        "of the Nghe An Provincial Party Committee. Chairman of the Nghe An Provincial "
        "People's Committee Le Van Khoa spoke at the meeting.\n"
    ),
    "a3.txt": "Vice Chairwoman Pham Thi Hoa visited Quang Ninh province on June 3, 2024.\n",
}


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A LocalCluster of 2 single-threaded worker PROCESSES (each builds its own nlp)."""
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(tmp_path / name) for name in TEXTS]


def _articles() -> list[Article]:
    return [Article(name, text, source=name, date="2024-06-30") for name, text in TEXTS.items()]


def test_dask_extraction_equals_local_extraction(client: object, nlp) -> None:  # type: ignore[no-untyped-def]
    remote = list(extract_dask(_articles(), client, batch_size=1))
    local = list(extract_all(_articles(), nlp))
    assert [g.doc_id for g in remote] == list(TEXTS)  # input order is kept
    assert [g.to_dict() for g in remote] == [g.to_dict() for g in local]
    assert any(e.type == "Person" for g in remote for e in g.entities)


def test_dask_cli_gathers_jsonl_and_load_stores_it(
    client: object,
    files: list[str],
    tmp_path: Path,
    nlp,  # type: ignore[no-untyped-def]
) -> None:
    runner = CliRunner()
    address = client.scheduler.address  # type: ignore[attr-defined]
    result = runner.invoke(cli, ["extract", "--dask", address, *files])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["doc"] for d in lines] == list(TEXTS)

    jsonl = tmp_path / "graphs.jsonl"
    jsonl.write_text(result.stdout, encoding="utf-8")
    result = runner.invoke(cli, ["load", str(jsonl), "--store", str(tmp_path / "loaded")])
    assert result.exit_code == 0, result.output

    # storing the gathered JSONL gives the same quads as storing the extraction directly
    with open_store(tmp_path / "direct") as direct:
        ingest(extract_all(_articles_from(files), nlp), direct)
        # the JSONL holds no article text, so a loaded article has no schema:sha256 of it
        expected = {q for q in direct.quads() if str(q[3]) != ONTOLOGY_IRI and q[1] != SDO.sha256}
    with open_store(tmp_path / "loaded", read_only=True) as loaded:
        # (the ontology graph's blank nodes differ from store to store)
        assert {q for q in loaded.quads() if str(q[3]) != ONTOLOGY_IRI} == expected


def _articles_from(files: list[str]) -> Iterator[Article]:
    from kg.read.articles import read_articles

    for item in read_articles(files):
        assert isinstance(item, Article)
        yield item


def test_dask_read_extractions_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    good = ArticleGraph(Article("d.txt", "")).to_dict()
    path.write_text(json.dumps(good) + "\n{not json\n\n" + json.dumps({"x": 1}) + "\n")
    items = list(read_extractions([str(path)]))
    assert isinstance(items[0], ArticleGraph)
    assert [str(i) for i in items[1:] if isinstance(i, InputError)] == [
        f"{path}:2: not an extraction record (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1))",
        f"{path}:4: not an extraction record ('doc')",
    ]
