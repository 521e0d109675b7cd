"""Who heads a body, and when a headship ends, read from the fact graph in passes.

Invented articles about one body, each stating one post with a date (a day, a month, a
year, or none) and a confidence, go into a real store; body_members and career_timeline
must agree with the rule their headers state, computed here record by record in Python.
"""

from __future__ import annotations

import random

import pytest

from kg.answer.queries import run_query
from kg.graph.build import ingest
from kg.graph.store import KgStore
from kg.model import Article, ArticleGraph, Entity, Relation

BODY = "Hoa Binh Ward Committee"
PEOPLE = ["Ana Lum", "Bo Kett", "Cal Dray", "Dia Venn"]
DATES = [None, "2019", "2019-05", "2019-05-01", "2020-01-01", "2021"]

#: (doc, person, predicate, date, confidence)
Record = tuple[str, str, str, str | None, float]


def _graph(rec: Record) -> ArticleGraph:
    doc, person, predicate, date, confidence = rec
    title = "Chairman" if predicate == "headOf" else "Member"
    return ArticleGraph(
        Article(doc, "", date=date),
        (
            Entity("e1", "Person", person, f"person/{person.lower().replace(' ', '-')}"),
            Entity("e2", "Organization", BODY, "org/hoa-binh-ward-committee"),
        ),
        (Relation("e1", predicate, "e2", title=title, confidence=confidence),),
    )


def _records(seed: int) -> list[Record]:
    rng = random.Random(seed)
    return [
        (
            f"d{seed}-{i}",
            rng.choice(PEOPLE),
            rng.choice(["headOf", "headOf", "memberOf"]),
            rng.choice(DATES),
            rng.choice([0.5, 0.9]),
        )
        for i in range(rng.randint(2, 7))
    ]


def _beats(other: Record, rec: Record) -> bool:
    """The header's rule: a later dated head record, or a tie broken by IRI."""
    (_, p2, _, d2, _), (_, p, _, d, _) = other, rec
    key = "person/" + p.lower().replace(" ", "-")
    key2 = "person/" + p2.lower().replace(" ", "-")
    if d2 is not None:
        return d is None or d2 > d or (d2 == d and key2 < key)
    return d is None and key2 < key


def _expected(recs: list[Record], date: str | None, least: float | None) -> set[tuple]:
    kept = [
        r
        for r in recs
        if (date is None or r[3] is None or r[3] <= date) and (least is None or r[4] >= least)
    ]
    heads = [r for r in kept if r[2] == "headOf"]
    out: dict[str, list[Record]] = {}
    for r in kept:
        if r[2] == "headOf" and any(o[1] != r[1] and _beats(o, r) for o in heads):
            continue  # an earlier head's head record drops out
        out.setdefault(r[1], []).append(r)
    return {
        (
            person,
            any(r[2] == "headOf" for r in rs),
            min(r[3] for r in rs if r[3]) if any(r[3] for r in rs) else "",
            max(r[3] or "" for r in rs),
        )
        for person, rs in out.items()
    }


@pytest.mark.parametrize("seed", range(8))
def test_fact_queries_body_members_follow_the_head_rule(store: KgStore, seed: int) -> None:
    recs = _records(seed)
    ingest([_graph(r) for r in recs], store)
    for date in (None, "2019-05", "2020"):
        for least in (None, 0.8):
            params = {"body": BODY} | ({"date": date} if date else {})
            params |= {"minConfidence": str(least)} if least else {}
            rows = run_query(store, "body_members", params).dicts()
            got = {
                (
                    str(r["official"]),
                    str(r["head"]) == "true",
                    str(r["firstSeen"]),
                    str(r["lastSeen"]),
                )
                for r in rows
            }
            assert got == _expected(recs, date, least), (recs, date, least)
            assert sum(str(r["head"]) == "true" for r in rows) <= 1


def _end(recs: list[Record], person: str) -> str | None:
    """A dated headship ends at the first later dated head record of someone else."""
    mine = [r[3] for r in recs if r[1] == person and r[2] == "headOf" and r[3]]
    if not mine:
        return None
    later = [
        r[3] for r in recs if r[1] != person and r[2] == "headOf" and r[3] and r[3] > max(mine)
    ]
    return min(later) if later else None


@pytest.mark.parametrize("seed", range(8))
def test_fact_queries_career_timeline_ends_at_the_next_head(store: KgStore, seed: int) -> None:
    recs = _records(seed)
    ingest([_graph(r) for r in recs], store)
    for person in {r[1] for r in recs}:
        rows = run_query(store, "career_timeline", {"person": person}).dicts()
        heads = [r for r in rows if str(r["relation"]) == "headOf"]
        end = _end(recs, person)
        if end is None:
            assert all(str(r["endKnown"]) == "false" for r in heads)
        else:
            assert [(str(r["end"]), str(r["endKnown"])) for r in heads] == [(end, "true")]
        docs = {d for r in rows for d in str(r["articles"]).split()}
        assert docs == {r[0] for r in recs if r[1] == person}
