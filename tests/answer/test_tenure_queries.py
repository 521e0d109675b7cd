"""Posts as intervals in the store: body_members as of a date, career_timeline start/end.

Three short invented articles go through the real pipeline into a real store: one head
elected, stated again, then another head (and a former one) stated later.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.answer.queries import run_query
from kg.graph.build import ingest
from kg.graph.store import KgStore
from kg.model import Article, ArticleGraph, Entity, Relation

BODY = "Kon Tum Provincial Party Committee"
ARTICLES = [
    (
        "a1.txt",
        "2020-03-01",
        f"Nguyen Van Thanh was elected Secretary of the {BODY} at the congress. "
        f"Tran Thi Hoa is Deputy Secretary of the {BODY}.",
    ),
    (
        "a2.txt",
        "2021-01-05",
        f"Then-Secretary of the {BODY} Tran Van Son spoke at the ceremony. "
        f"Secretary of the {BODY} Nguyen Van Thanh chaired the ceremony.",
    ),
    (
        "a3.txt",
        "2022-06-10",
        f"Secretary of the {BODY} Le Quang Vinh chaired the meeting. "
        f"Former Secretary of the {BODY} Nguyen Van Thanh attended.",
    ),
]


@pytest.fixture
def tenure_store(store: KgStore, extract_text: Callable[..., ArticleGraph]) -> KgStore:
    """The three articles extracted by the real pipeline and stored."""
    ingest([extract_text(text, date=date, doc_id=doc) for doc, date, text in ARTICLES], store)
    return store


def _members(store: KgStore, date: str | None) -> list[tuple[str, str, str]]:
    params = {"body": BODY} | ({"date": date} if date else {})
    rows = run_query(store, "body_members", params).dicts()
    return [(str(r["official"]), str(r["titles"]), str(r["head"])) for r in rows]


@pytest.mark.parametrize(
    ("date", "head"),
    [
        ("2020-12-31", "Nguyen Van Thanh"),  # after the election
        ("2021-06", "Nguyen Van Thanh"),  # stated again; a "then-Secretary" is no head
        ("2023", "Le Quang Vinh"),  # after the second head is stated
        (None, "Le Quang Vinh"),  # every record counts: the latest head
    ],
)
def test_tenure_body_members_has_one_head_as_of_a_date(
    tenure_store: KgStore, date: str | None, head: str
) -> None:
    members = _members(tenure_store, date)
    assert [name for name, _, is_head in members if is_head == "true"] == [head]
    assert ("Tran Thi Hoa", "Deputy Secretary", "false") in members
    # a past post ("then-Secretary", "Former Secretary") is never listed as current
    assert "Tran Van Son" not in {name for name, _, _ in members}
    if head == "Le Quang Vinh":
        assert "Nguyen Van Thanh" not in {name for name, _, _ in members}


def _timeline(store: KgStore, person: str) -> list[tuple[str, ...]]:
    rows = run_query(store, "career_timeline", {"person": person}).dicts()
    cols = ("start", "startStated", "end", "endKnown", "title", "relation", "articles")
    return [tuple(str(r[c]) for c in cols) for r in rows]


def test_tenure_career_timeline_ends_at_the_next_head(tenure_store: KgStore) -> None:
    assert _timeline(tenure_store, "Nguyen Van Thanh") == [
        ("2020-03-01", "true", "2022-06-10", "true", "Secretary", "headOf", "a1.txt a2.txt"),
    ]
    assert _timeline(tenure_store, "Le Quang Vinh") == [
        ("2022-06-10", "false", "2022-06-10", "false", "Secretary", "headOf", "a3.txt"),
    ]
    # an undated headship has neither start nor end, whoever heads the body later
    ingest([_head_graph("u1", None, "Mai Van Ut")], tenure_store)
    ingest([_head_graph("u2", "2023-01-01", "Kha Thi Le")], tenure_store)
    assert _timeline(tenure_store, "Mai Van Ut") == [
        ("", "false", "", "false", "Chairman", "headOf", "u1"),
    ]
    # a post that is not a headship ends where it was last seen
    assert _timeline(tenure_store, "Tran Thi Hoa") == [
        ("2020-03-01", "false", "2020-03-01", "false", "Deputy Secretary", "memberOf", "a1.txt"),
    ]


def _head_graph(doc: str, date: str | None, person: str) -> ArticleGraph:
    """One invented article stating that ``person`` heads the Song Lam Ward Committee."""
    return ArticleGraph(
        Article(doc, "", date=date),
        (
            Entity("e1", "Person", person, f"person/{person.lower().replace(' ', '-')}"),
            Entity("e2", "Organization", "Song Lam Ward Committee", "org/song-lam-ward-committee"),
        ),
        (Relation("e1", "headOf", "e2", title="Chairman"),),
    )


@pytest.mark.parametrize(
    ("graphs", "date", "head"),
    [
        # two heads stated on one day: one of them, never both
        ([("b1", "2024-02-01", "Mai Van Ut"), ("b2", "2024-02-01", "Kha Thi Le")], None, 1),
        # an undated head counts only when no dated one applies
        ([("b1", None, "Mai Van Ut"), ("b2", "2024-02-01", "Kha Thi Le")], None, "Kha Thi Le"),
        ([("b1", None, "Mai Van Ut"), ("b2", "2024-02-01", "Kha Thi Le")], "2024-01", "Mai Van Ut"),
        ([("b1", None, "Mai Van Ut"), ("b2", None, "Kha Thi Le")], None, 1),
        # a head stated again after another is the head again
        (
            [
                ("b1", "2019", "Mai Van Ut"),
                ("b2", "2020", "Kha Thi Le"),
                ("b3", "2021", "Mai Van Ut"),
            ],
            None,
            "Mai Van Ut",
        ),
    ],
)
def test_tenure_body_members_never_lists_two_heads(
    store: KgStore, graphs: list[tuple[str, str | None, str]], date: str | None, head: str | int
) -> None:
    ingest([_head_graph(*g) for g in graphs], store)
    params = {"body": "Song Lam Ward Committee"} | ({"date": date} if date else {})
    rows = run_query(store, "body_members", params).dicts()
    heads = [str(r["official"]) for r in rows if str(r["head"]) == "true"]
    assert heads == [head] if isinstance(head, str) else len(heads) == head
    assert len(rows) == len(heads)  # a superseded head holds no other post there
