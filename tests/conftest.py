"""Shared fixtures: a real Oxigraph store under tmp_path and small hand-built graphs.

Every name here is invented (no seed or gold content).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.graph.store import KgStore, open_store
from kg.ids import entity_key
from kg.model import Article, ArticleGraph, Entity, Evidence, Relation
from tests.servers import free_port, running, venv_bin


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server (one per test module), its data in a temporary directory."""
    port = free_port()
    data = tmp_path_factory.mktemp("oxigraph")
    url = f"http://127.0.0.1:{port}"
    args = [venv_bin("oxigraph"), "serve", "--location", str(data), "--bind", f"127.0.0.1:{port}"]
    with running(args, url + "/query?query=ASK%7B%7D"):
        yield url


def make_graph(
    doc_id: str,
    text: str,
    date: str | None,
    entities: list[tuple[str, str, str, tuple[str, ...], dict[str, str]]],
    relations: list[tuple[str, str, str, str | None]],
) -> ArticleGraph:
    """Build an ArticleGraph whose spans and evidence offsets point into ``text``.

    entities: (local id, type, canonical name, mentions, extra) where extra may hold
    "date" and document attrs; relations: (subject, predicate, object, title). The
    evidence of a relation is the sentence holding the subject's first mention; every
    fourth relation has none, so that both shapes are exercised.
    """
    # a sentence ends at ". " before a capital letter ("No. 07" does not end one)
    sentences = [(m.start(), m.end()) for m in re.finditer(r".+?(?:\.(?= [A-Z])|$)", text)]
    sentences = [(s + (text[s] == " "), e) for s, e in sentences]
    ents = []
    for local, etype, name, mentions, extra in entities:
        extra = dict(extra)
        date_ = extra.pop("date", None)
        code = extra.get("code")
        spans = tuple((i, i + len(m)) for m in mentions if (i := text.find(m)) >= 0)
        if etype == "Event":  # every invented meeting takes place in Song Lam
            key = entity_key(etype, name, date=date_, place="Song Lam")
        else:
            key = entity_key(etype, name, code=code, year=date_[:4] if date_ else None)
        ents.append(
            Entity(
                id=local,
                type=etype,
                name=name,
                key=key,
                mentions=mentions,
                spans=spans,
                date=date_,
                attrs=tuple(sorted(extra.items())),
            )
        )
    by_id = {e.id: e for e in ents}
    rels = []
    for n, (subj, pred, obj, title) in enumerate(relations):
        first = by_id[subj].spans[0][0] if by_id[subj].spans else 0
        s, e = next((a, b) for a, b in sentences if a <= first < b)
        ev = Evidence(text[s:e], s, e, f"test.{pred}.v1") if n % 4 != 3 else None
        rels.append(Relation(subj, pred, obj, ev, title))
    article = Article(doc_id, text, source=f"tests/{doc_id}", date=date, title=f"Title of {doc_id}")
    return ArticleGraph(article, tuple(ents), tuple(rels))


TEXT_1 = (
    "Secretary of the Song Lam Provincial Party Committee Hoàng Văn Bình chaired the "
    "conference on March 11 in Song Lam. Deputy Secretary Trịnh Thị Lan presented the report "
    "on Resolution No. 07-NQ/TU. Comrade Bình said the Provincial Party Committee issued "
    "Resolution No. 07-NQ/TU and the province will carry it out"
)

TEXT_2 = (
    "Hoang Van Binh and Colonel Dao Minh Tuan attended the conference in Song Lam on "
    "March 11. Dao Minh Tuan is Director of the Song Lam Department of Public Security"
)


@pytest.fixture
def tiny_graph() -> ArticleGraph:
    """One invented article: two officials, a body, a place, a document and a meeting."""
    return make_graph(
        "t001.txt",
        TEXT_1,
        "2024-03-12",
        [
            (
                "e1",
                "Person",
                "Hoàng Văn Bình",
                (
                    "Secretary of the Song Lam Provincial Party Committee Hoàng Văn Bình",
                    "Comrade Bình",
                ),
                {},
            ),
            ("e2", "Person", "Trịnh Thị Lan", ("Deputy Secretary Trịnh Thị Lan",), {}),
            (
                "e3",
                "Organization",
                "Song Lam Provincial Party Committee",
                ("Song Lam Provincial Party Committee", "the Provincial Party Committee"),
                {},
            ),
            ("e4", "Place", "Song Lam", ("Song Lam",), {}),
            (
                "e5",
                "Document",
                "Resolution No. 07-NQ/TU",
                ("Resolution No. 07-NQ/TU",),
                {
                    "date": "2021-05",
                    "code": "07-NQ/TU",
                    "doc_type": "Resolution",
                    "issuer_code": "TU",
                    "number": "07",
                    "term": "XVII",
                },
            ),
            ("e6", "Event", "conference", ("the conference",), {"date": "2024-03-11"}),
        ],
        [
            ("e1", "chaired", "e6", None),
            ("e2", "spokeAt", "e6", None),
            ("e1", "headOf", "e3", "Secretary"),
            ("e2", "memberOf", "e3", "Deputy Secretary"),
            ("e3", "implements", "e5", None),
            ("e5", "issuedBy", "e3", None),
            ("e3", "locatedIn", "e4", None),
            ("e6", "heldIn", "e4", None),
        ],
    )


@pytest.fixture
def second_graph() -> ArticleGraph:
    """A second invented article on the same meeting: one shared official, one new one."""
    return make_graph(
        "t002.txt",
        TEXT_2,
        "2024-03-13",
        [
            ("e1", "Person", "Hoang Van Binh", ("Hoang Van Binh",), {}),
            ("e2", "Person", "Dao Minh Tuan", ("Colonel Dao Minh Tuan", "Dao Minh Tuan"), {}),
            ("e3", "Event", "conference in Song Lam", ("the conference",), {"date": "2024-03-11"}),
            ("e4", "Place", "Song Lam", ("Song Lam",), {}),
            (
                "e5",
                "Organization",
                "Song Lam Department of Public Security",
                ("Song Lam Department of Public Security",),
                {},
            ),
        ],
        [
            ("e1", "attended", "e3", None),
            ("e2", "attended", "e3", None),
            ("e3", "heldIn", "e4", None),
            ("e2", "headOf", "e5", "Director"),
            ("e5", "locatedIn", "e4", None),
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KgStore]:
    """A real on-disk Oxigraph store, closed after the test."""
    with open_store(tmp_path / "store") as st:
        yield st


# ---- extraction fixtures -------------------------------------------------------------


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The real pipeline: the statistical model plus kg's components, loaded once."""
    from kg.extract.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def extract_text(nlp):  # type: ignore[no-untyped-def]
    """Extract one invented article given as a string: ``extract_text(text, date=None)``."""
    from kg.extract.pipeline import extract

    def run(text: str, date: str | None = None, doc_id: str = "t.txt") -> ArticleGraph:
        return extract(Article(doc_id, text, source=doc_id, date=date), nlp)

    return run
